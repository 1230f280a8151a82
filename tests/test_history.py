"""History in SQLite: baselines and 同比 from the year before, recording, replay, safe storage.

Everything runs against real SQLite files in temporary folders; concurrency and crashes use real
processes, each bounded in time.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from evalengine.cli.app import main
from evalengine.errors import EvalEngineError
from evalengine.history.record import pack_content, run_record
from evalengine.history.store import APPLICATION_ID, SCHEMA_VERSION, open_store
from evalengine.inputs.actuals import load_job
from evalengine.language.parser import parse_actual
from evalengine.language.predicates import Quantity, uses_baseline
from evalengine.packs.load import builtin_packs, load_pack
from evalengine.pipeline import Baseline, Prior, Scored, score_job

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zunhua-2024"
Y2023 = EXAMPLE / "history" / "2023" / "actuals.yaml"
Y2024 = EXAMPLE / "history" / "2024" / "actuals.yaml"  # the example's 2024 results without baselines
CASES = yaml.safe_load((ROOT / "tests" / "compliance" / "history.yaml").read_text(encoding="utf-8"))["cases"]
CODE = "13028124P00091910001P"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def record(db: Path, actuals: Path = Y2023, *extra: str) -> Result:
    result = run("score", actuals, "--record", "--history", db, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return result


# ---- the rule, as data: which baseline a target is judged against ----------------------------------


class Recorded:
    """A history holding one indicator's actuals by year (pipeline.History)."""

    def __init__(self, recorded: dict[int, str]):
        self.values: dict[int, Any] = {int(y): parse_actual(str(v)) for y, v in recorded.items()}

    def baseline(self, code: str, indicator: str, year: int) -> Baseline | None:
        q = self.values.get(year)
        assert code == CODE and indicator == "指标(%)"  # the NFKC name of 指标（%）
        return None if q is None else Baseline(year, q.value, q.unit, q.text)

    def prior(self, code: str, year: int) -> Prior | None:
        return None


def one_indicator(tmp: Path, target: str, actual: Any) -> Path:
    targets = {
        "department": "测试部门",
        "year": 2024,
        "projects": [
            {
                "code": CODE,
                "name": "测试项目",
                "budget": 10,
                "indicators": [
                    {
                        "level1": "效益指标",
                        "level2": "社会效益指标",
                        "name": "指标（%）",
                        "target": target,
                        "weight": 30,
                    }
                ],
            }
        ],
    }
    actuals = {
        "targets": "targets.yaml",
        "year": 2024,
        "projects": [{"code": CODE, "execution": {"spent": 10}, "indicators": {"指标（%）": actual}}],
    }
    (tmp / "targets.yaml").write_text(yaml.safe_dump(targets, allow_unicode=True), encoding="utf-8")
    (tmp / "actuals.yaml").write_text(yaml.safe_dump(actuals, allow_unicode=True), encoding="utf-8")
    return tmp / "actuals.yaml"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_baseline_from_history(case: dict[str, Any], tmp_path: Path) -> None:
    job = load_job(one_indicator(tmp_path, case["target"], case["actual"]))
    history = Recorded(case["recorded"])
    if "error" in case:
        with pytest.raises(EvalEngineError, match=case["error"]):
            score_job(job, history)
        return
    (card,) = score_job(job, history)
    (result,) = card.indicators
    assert result.score == Decimal(case["score"])
    assert result.tier == case.get("tier")
    if "baseline" in case:
        assert result.trace.startswith(f"基线取自2023年记录：{case['baseline']}；实际")
    else:
        assert "基线取自" not in result.trace
    assert ("基线" in result.trace) == ("baseline" in case or case.get("written", False))


def test_only_trend_kinds_use_a_baseline() -> None:
    kinds = {
        text: uses_baseline(parse_actual_target(text)) for text in ("只减不增", "持续提高", "≥95%", "12月底前", "好")
    }
    assert kinds == {"只减不增": True, "持续提高": True, "≥95%": False, "12月底前": False, "好": False}


def parse_actual_target(text: str) -> Any:
    from evalengine.language.parser import parse_target

    return parse_target(text)


# ---- two years of the bundled example ---------------------------------------------------------------


def test_two_years_baselines_from_history_and_change(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    record(db)
    result = run("score", Y2024, "--history", db, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    plain = json.loads(run("score", EXAMPLE / "actuals.yaml", "--format", "json").stdout)
    # the baselines read from 2023 are those the example writes: every score is the same
    assert [(p["code"], p["total"]) for p in report["projects"]] == [(p["code"], p["total"]) for p in plain["projects"]]
    traces = [i["trace"] for p in report["projects"] for i in p["indicators"] if "基线取自" in i["trace"]]
    assert traces == [
        "基线取自2023年记录：2次；实际2次，基线2次，保持稳定：达成，默认100%×30.00=30.00",
        "基线取自2023年记录：4次；实际3次，基线4次，只减不增：达成，默认100%×30.00=30.00",
        "基线取自2023年记录：88%；实际92%，基线88%，持续提高：达成，默认100%×30.00=30.00",
        "基线取自2023年记录：88%；实际86%，基线88%，相应提高：未达成，默认30%×30.00=9.00",
    ]
    assert report["history"] == {"compared_with": [2023]}
    by_code = {p["code"]: p for p in report["projects"]}
    assert by_code["13028124P000915100011"]["previous"] == {"year": 2023, "total": "82.47", "grade": "良"}
    assert by_code["13028124P000915100011"]["change"] == "-2.76"  # 79.71 − 82.47
    assert by_code["13028124P00091910001P"]["change"] == "+0.30"  # 99.70 − 99.40
    assert by_code["13028124P00090310001E"]["change"] == "0.00"
    md = run("score", Y2024, "--history", db).stdout
    assert "| 总分 | 等级 | 上年总分 | 同比 | 问题 |" in md
    assert "| 79.71 | 中 | 82.47 | -2.76 | " in md
    html = run("score", Y2024, "--history", db, "--format", "html").stdout
    assert '<td class="num previous">82.47</td><td class="num change">-2.76</td>' in html


def test_written_baselines_win_and_no_history_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    record(db)
    with_history = json.loads(run("score", EXAMPLE / "actuals.yaml", "--history", db, "--format", "json").stdout)
    without = json.loads(run("score", EXAMPLE / "actuals.yaml", "--format", "json").stdout)
    assert not any("基线取自" in i["trace"] for p in with_history["projects"] for i in p["indicators"])
    assert "history" not in without and not any("previous" in p or "change" in p for p in without["projects"])
    for p in with_history["projects"]:
        p.pop("previous"), p.pop("change")
    with_history.pop("history")
    assert with_history == without


def test_xlsx_overview_gains_the_two_columns(tmp_path: Path) -> None:
    import openpyxl

    db = tmp_path / "h.sqlite"
    record(db)
    assert run("score", Y2024, "--history", db, "-o", tmp_path / "r.xlsx").exit_code == 0
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["总览"]
    assert (ws.cell(2, 9).value, ws.cell(2, 10).value) == ("上年总分", "同比")
    row = next(r for r in range(3, 15) if ws.cell(r, 1).value == "13028124P000915100011")
    assert (str(ws.cell(row, 9).value), str(ws.cell(row, 10).value)) == ("82.47", "-2.76")


def test_ndjson_records_and_compares(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    record(db)
    result = run("score", Y2024, "--history", db, "--record", "--format", "ndjson")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[6]["code"] == "13028124P000915100011" and lines[6]["change"] == "-2.76"
    store = open_store(db)
    assert [(r.year, r.projects) for r in store.runs()] == [(2023, 12), (2024, 12)]
    store.close()


def test_monitor_reads_baselines_from_history(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    record(db)
    june = yaml.safe_load((EXAMPLE / "monitoring" / "actuals-2024-06.yaml").read_text(encoding="utf-8"))
    for p in june["projects"]:
        for name, value in (p.get("indicators") or {}).items():
            if isinstance(value, dict) and "baseline" in value:
                p["indicators"][name] = value["value"]
    june["targets"] = str(EXAMPLE / "targets.yaml")
    path = tmp_path / "june.yaml"
    path.write_text(yaml.safe_dump(june, allow_unicode=True), encoding="utf-8")
    args = ("monitor", path, "--as-of", "2024-06-30", "--format", "json")
    without = run(*args)
    assert without.exit_code == 0, without.output
    notes = [i["note"] for p in json.loads(run(*args, "--history", db).stdout)["projects"] for i in p["indicators"]]
    assert "基线取自2023年记录：4次；只减不增：达成" in notes
    assert "基线取自2023年记录：88%；持续提高：达成" in notes


# ---- recording -----------------------------------------------------------------------------------


def test_record_keeps_exact_decimals_and_does_not_duplicate(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    first = record(db)
    assert "recorded 2023 中共遵化市委政法委本级 (12 projects)" in first.stderr
    again = record(db)
    assert "already recorded" in again.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM runs").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM indicators").fetchone() == (72,)
    total, rate = conn.execute("SELECT total, rate FROM projects WHERE code = ?", ("13028124P000915100011",)).fetchone()
    assert (total, rate) == ("82.47", str(Decimal("7.1") / Decimal(9)))
    row = conn.execute(
        "SELECT written, actual, value, unit, value_text FROM indicators WHERE code = ? AND name = ?",
        ("13028124P00089810002P", "按项目预算执行"),
    ).fetchone()
    assert row == ("3986000元", "398.6万元", "3986000", "元", "3986000元")
    pack, engine, inputs = conn.execute("SELECT pack_name, engine, (SELECT count(*) FROM inputs) FROM runs").fetchone()
    assert (pack, inputs) == ("mof-2020", 2) and engine
    conn.close()


def test_changed_inputs_keep_both_and_the_newer_is_current(tmp_path: Path) -> None:
    folder = tmp_path / "2023"
    folder.mkdir()
    (folder / "targets.yaml").write_bytes((Y2023.parent / "targets.yaml").read_bytes())
    text = Y2023.read_text(encoding="utf-8")
    (folder / "actuals.yaml").write_text(text, encoding="utf-8")
    db = tmp_path / "h.sqlite"
    record(db, folder / "actuals.yaml")
    (folder / "actuals.yaml").write_text(text.replace("execution: {spent: 7.1}", "execution: {spent: 9}"), "utf-8")
    record(db, folder / "actuals.yaml")
    listing = json.loads(run("history", "list", "--history", db, "--all", "--format", "json").stdout)
    assert [(r["run"], r["current"], r["runs"]) for r in listing["runs"]] == [(1, False, 2), (2, True, 2)]
    shown = json.loads(run("history", "list", "--history", db, "--format", "json").stdout)
    assert [r["run"] for r in shown["runs"]] == [2]
    store = open_store(db)
    prior = store.prior("13028124P000915100011", 2023)
    assert prior is not None and str(prior.total) != "82.47"  # the newer run's total counts
    store.close()
    record(db, Y2023)  # the first inputs again (from another place): no third run, the first is current again
    listing = json.loads(run("history", "list", "--history", db, "--all", "--format", "json").stdout)
    assert [(r["run"], r["current"]) for r in listing["runs"]] == [(1, True), (2, False)]


def test_default_history_file_is_beside_the_targets(tmp_path: Path) -> None:
    folder = tmp_path / "dept"
    folder.mkdir()
    for name in ("targets.yaml", "actuals.yaml"):
        (folder / name).write_bytes((Y2023.parent / name).read_bytes())
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    try:
        assert run("score", folder / "actuals.yaml", "--record").exit_code == 0
    finally:
        os.chdir(ROOT)
    assert (folder / "evalengine-history.sqlite").is_file()
    assert not list(elsewhere.iterdir())


# ---- list, show, export ----------------------------------------------------------------------------


def test_list_show_and_export(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    record(db)
    record(db, Y2024)
    listing = run("history", "list", "--history", db)
    assert listing.exit_code == 0
    assert "| 中共遵化市委政法委本级 | 2023 | 12 | 98.19 | 1 | mof-2020（" in listing.stdout
    shown = run("history", "show", "13028124P000915100011", "--history", db)
    assert shown.exit_code == 0, shown.output
    assert "| 2024 | 中共遵化市委政法委本级 | 79.71 | 中 | -2.76 | 70.00% | mof-2020 | 2 |" in shown.stdout
    assert "| 市领导批示率 | 18%（11.25/12.50） | 15%（9.38/12.50） |" in shown.stdout
    unknown = run("history", "show", "13028124P000915100019", "--history", db)
    assert unknown.exit_code == 2 and "did you mean '13028124P000915100011'" in unknown.output

    rows = list(csv.DictReader(io.StringIO(run("history", "export", "--history", db, "--format", "csv").stdout)))
    assert len(rows) == 144 and {r["year"] for r in rows} == {"2023", "2024"}
    filled = [r for r in rows if r["baseline_year"]]
    assert [(r["indicator"], r["baseline"], r["baseline_year"]) for r in filled][:2] == [
        ("铁路事故次数", "2", "2023"),
        ("精神障碍患者相关事故次数", "4", "2023"),
    ]
    lines = run("history", "export", "--history", db, "--format", "ndjson").stdout.splitlines()
    assert [json.loads(line) for line in lines] == [
        dict(r, run=int(r["run"]), year=int(r["year"])) | _typed(r) for r in rows
    ]
    out = tmp_path / "all.csv"
    assert run("history", "export", "--history", db, "--format", "csv", "-o", out).exit_code == 0
    assert out.read_bytes().startswith("\ufeffdepartment,".encode())


def _typed(row: dict[str, str]) -> dict[str, Any]:
    """The CSV's text back to the JSON types of the NDJSON export."""
    out: dict[str, Any] = {"current": row["current"] == "True"}
    for key in ("value", "unit", "baseline", "baseline_unit", "tier", "baseline_year"):
        if row[key] == "":
            out[key] = None
    if row["baseline_year"]:
        out["baseline_year"] = int(row["baseline_year"])
    return out


# ---- replay --------------------------------------------------------------------------------------


def test_replay_of_an_unchanged_year_shows_no_difference(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    record(db)
    record(db, Y2024)  # its baselines came from history: replay takes them as recorded
    for year in ("2023", "2024"):
        result = run("history", "replay", year, "--history", db)
        assert result.exit_code == 0, result.output
        assert "12 projects, exactly as recorded." in result.stdout


def test_replay_in_another_language_shows_no_difference(tmp_path: Path) -> None:
    """A run recorded in Chinese and replayed with --lang en is exactly as recorded: the weights' findings (a
    block labelled 50 points over rows of 40) are written in the language of each scoring, not remembered from
    the first (the scorer's weights memo once was, and replay reported two false differences)."""
    (tmp_path / "targets.yaml").write_text(
        "department: {code: '1', name: 测试}\nyear: 2024\nprojects:\n"
        "  - code: P1\n    name: 项目一\n    budget: 10\n    indicators:\n"
        "      - {level1: 产出指标(50分), level2: 数量指标, name: 甲, target: ≥90%, weight: 20}\n"
        "      - {level1: 产出指标(50分), level2: 质量指标, name: 乙, target: ≥90%, weight: 20}\n"
        "      - {level1: 效益指标, level2: 社会效益指标, name: 丙, target: ≥90%, weight: 30}\n"
        "      - {level1: 满意度指标, level2: 服务对象满意度指标, name: 丁, target: ≥90%, weight: 10}\n",
        encoding="utf-8",
    )
    actuals = tmp_path / "actuals.yaml"
    actuals.write_text(
        "targets: targets.yaml\nrules: mof-2020\nyear: 2024\nprojects:\n  - code: P1\n    execution: {spent: 9}\n"
        "    summary: 完成\n    indicators: {甲: 95%, 乙: 95%, 丙: 95%, 丁: 95%}\n",
        encoding="utf-8",
    )
    db = tmp_path / "h.sqlite"
    recorded = record(db, actuals, "--lang", "zh")
    assert "weights-mismatch" in recorded.stdout  # the finding this is about
    result = run("--lang", "en", "history", "replay", "2024", "--history", db)
    assert result.exit_code == 0, result.output
    assert "1 project, exactly as recorded." in result.stdout


def test_replay_reports_a_tampered_score(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    record(db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE indicators SET score = '11.00' WHERE code = ? AND name = ?", (CODE, "补助覆盖率(%)"))
        conn.execute("UPDATE projects SET total = '98.90' WHERE code = ?", (CODE,))
    conn.close()
    result = run("history", "replay", "2023", "--history", db, "--format", "json")
    assert result.exit_code == 1
    view = json.loads(result.stdout)
    assert view["runs"][0]["differences"] == [
        {"code": CODE, "project": "见义勇为专项资金", "what": "total", "stored": "98.90", "now": "99.40"},
        {"code": CODE, "project": "见义勇为专项资金", "what": "补助覆盖率(%).score", "stored": "11.00", "now": "12.50"},
    ]
    assert "2 difference(s)" in result.stderr
    md = run("history", "replay", "2023", "--history", db).stdout
    assert "| 13028124P00091910001P | 见义勇为专项资金 | 补助覆盖率(%).score | 11.00 | 12.50 |" in md


def test_replay_shows_a_changed_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "h.sqlite"
    monkeypatch.setattr("evalengine.history.record.engine_version", lambda: "0.0.9")
    record(db)
    monkeypatch.undo()
    from evalengine.scoring.indicator import IndicatorScorer

    judged = IndicatorScorer.indicator

    def harsher(self: Any, *args: Any) -> Any:  # an engine whose tiers score one point less
        result = judged(self, *args)  # every indicator's result, whichever path scored it
        return result if result.tier is None else result._replace(score=max(result.score - 1, result.score * 0))

    monkeypatch.setattr(IndicatorScorer, "indicator", harsher)
    result = run("history", "replay", "2023", "--history", db, "--format", "json")
    assert result.exit_code == 1
    view = json.loads(result.stdout)["runs"][0]
    assert view["engine_recorded"] == "0.0.9" and view["engine_now"] != "0.0.9"
    whats = {d["what"] for d in view["differences"]}
    assert {"total", "对社会风气带来的影响.score"} <= whats


def test_replay_uses_the_pack_recorded_then(tmp_path: Path) -> None:
    pack = tmp_path / "my-pack.yaml"
    pack.write_text("extends: mof-2020\ntitle: 我的规则\n", encoding="utf-8")
    db = tmp_path / "h.sqlite"
    record(db, Y2023, "--rules", str(pack))
    pack.write_text("extends: mof-2020\ntitle: 我的规则（修订）\n", encoding="utf-8")
    result = run("history", "replay", "2023", "--history", db, "--format", "json")
    view = json.loads(result.stdout)["runs"][0]
    assert result.exit_code == 0, result.output  # scored under the recorded pack: no difference
    assert view["rules_changed"] and view["rules_changed"].startswith("its content now hashes to")


@pytest.mark.parametrize("name", builtin_packs())
def test_a_packs_recorded_content_loads_as_the_same_pack(name: str, tmp_path: Path) -> None:
    pack = load_pack(name)
    path = tmp_path / "pack.yaml"
    path.write_text(pack_content(dict(pack.data)), encoding="utf-8")
    again = load_pack(path)
    assert again == type(pack)(**{**pack.__dict__, "name": again.name})


# ---- safe storage --------------------------------------------------------------------------------


def test_refuses_files_that_are_not_our_history(tmp_path: Path) -> None:
    text = tmp_path / "notes.sqlite"
    text.write_text("this is not a database\n" * 10, encoding="utf-8")
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    newer = tmp_path / "newer.sqlite"
    record(newer)
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    cases = {
        text: "not an evalengine history file: it is not an SQLite database",
        other: "not an evalengine history file: an SQLite database of another program",
        newer: f"schema version {SCHEMA_VERSION + 1}, written by a newer evalengine",
        tmp_path / "missing.sqlite": "no history file here",
    }
    for path, message in cases.items():
        before = path.read_bytes() if path.exists() else None
        for args in (("history", "list", "--history", path), ("score", Y2023, "--record", "--history", path)):
            result = run(*args)
            if path.name == "missing.sqlite" and args[0] == "score":
                continue  # recording creates it
            assert result.exit_code == 2, (path, args, result.output)
            assert message in result.output and "Traceback" not in result.output
            assert (path.read_bytes() if path.exists() else None) == before


def test_a_fresh_file_gets_the_schema(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    db.touch()  # an empty file: SQLite's own empty database
    record(db)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert conn.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


def test_reading_a_history_that_does_not_exist_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "typo.sqlite"
    result = run("score", Y2024, "--history", db)
    assert result.exit_code == 2 and "no history file here" in result.output
    assert not db.exists() and result.stdout == ""


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_runs_both_record(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    command = "import sys; from evalengine.cli import main; sys.exit(main())"
    procs = [
        _python(command, "score", str(path), "--record", "--history", str(db), "--format", "json")
        for path in (Y2023, EXAMPLE / "actuals.yaml", Y2023.parent / "actuals.yaml", EXAMPLE / "actuals.yaml")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    store = open_store(db)
    assert sorted((r.year, r.projects) for r in store.runs()) == [(2023, 12), (2024, 12)]
    assert store.check() == []
    store.close()


KILLED = """
import sys
from dataclasses import replace
from pathlib import Path
from evalengine.history.record import run_record
from evalengine.history.store import open_store
from evalengine.inputs.actuals import load_job
from evalengine.pipeline import Scored, score_job

job = load_job(Path(sys.argv[1]))
run = run_record(Scored(job, score_job(job)))
store = open_store(Path(sys.argv[2]), create=True)
n = 0
while True:  # record until killed: each run has its own identity
    n += 1
    store.record(replace(run, identity=f"{run.identity}-{n}", year=2000 + n % 20))
    print(n, flush=True)
"""


def test_a_run_killed_mid_record_leaves_the_database_consistent(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    record(db)  # what was recorded before must survive
    proc = _python(KILLED, str(EXAMPLE / "actuals.yaml"), str(db))
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    done = 0
    while done < 20 and time.monotonic() < deadline:  # let it commit some runs, then kill it mid-stream
        line = proc.stdout.readline()
        if not line:
            break
        done = int(line)
    time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert done >= 20, proc.stderr.read() if proc.stderr else ""
    store = open_store(db)
    assert store.check() == []
    runs = sorted(store.runs(everything=True), key=lambda r: r.id)
    assert runs[0].year == 2023 and len(runs) >= done + 1  # the earlier record, and every run committed
    assert all(len(store.projects(r.id)) == r.projects == 12 for r in runs)
    store.close()
    assert run("history", "replay", "2023", "--history", db).exit_code == 0


def test_record_rows_are_built_from_the_scored_job() -> None:
    job = load_job(Y2023)
    rows = run_record(Scored(job, score_job(job)))
    assert rows.year == 2023 and rows.pack_name == "mof-2020" and len(rows.projects) == 12
    assert [role for role, *_ in rows.inputs] == ["actuals", "targets"]
    first = rows.projects[0]["indicators"][0]
    assert (first["name"], first["value"], first["unit"], first["score"]) == ("补助覆盖率(%)", "95", "%", "12.50")
    assert isinstance(parse_actual(first["value_text"]), Quantity)
