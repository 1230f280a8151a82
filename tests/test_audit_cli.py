"""evalengine audit from the command line: every format, the xlsx 自评表 that score writes audited back,
one changed score flagged on exactly its row, strict and bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from bilingual import LANGS, check_messages, inputs_of, invoke
from click.testing import CliRunner, Result

from evalengine.cli.app import main

ROOT = Path(__file__).resolve().parent.parent
TABLES = ROOT / "examples" / "audit" / "tables.yaml"
EXAMPLE = ROOT / "examples" / "zunhua-2024" / "actuals.yaml"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def audit_json(*args: str) -> dict[str, Any]:
    result = run("audit", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


@pytest.fixture(scope="module")
def scored_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("score") / "report.xlsx"
    assert run("score", str(EXAMPLE), "-o", str(out)).exit_code == 0
    return out


def test_the_json_contract_has_the_issues_keys() -> None:
    report = audit_json(str(TABLES))
    t = report["tables"][0]
    assert {"project", "verdict", "rounding", "budget", "rows", "total"} <= set(t)
    assert {"places", "mode"} <= set(t["rounding"])
    assert {"printed", "recomputed", "verdict"} <= set(t["budget"])
    assert {"name", "printed", "recomputed", "verdict", "reason", "explanation"} <= set(t["rows"][0])
    assert {"printed", "sum_of_printed", "recomputed", "verdict", "reason"} <= set(t["total"])
    assert {"tables", "rows", "reasons"} <= set(report["summary"])
    assert set(report["summary"]["rows"]) == {"consistent", "inconsistent", "unchecked"}
    row = t["rows"][0]
    assert (row["name"], row["printed"], row["recomputed"], row["verdict"], row["reason"]) == (
        "监测数据合格率",
        "19.6",
        "20.00",
        "inconsistent",
        "met-docked",
    )
    assert t["rounding"] == {"places": 1, "mode": "half_up", "agreeing": {"half_up": 4, "down": 4}}
    assert t["total"] == {
        "printed": "94",
        "sum_of_printed": "94.0",
        "recomputed": "94.44",
        "verdict": "inconsistent",
        "reason": "total-mismatch",
        "explanation": "the total recomputed under the rules is 94.4, the table's is 94",
        "reasons": ["total-mismatch"],
    }
    assert report["summary"]["reasons"] == {"met-docked": 1, "missed-full-marks": 1, "total-mismatch": 2}


def test_the_xlsx_that_score_writes_audits_consistent(scored_xlsx: Path) -> None:
    report = audit_json(str(scored_xlsx))
    assert report["summary"]["tables"] == 12
    assert report["summary"]["rows"]["inconsistent"] == 0
    rows = [r for t in report["tables"] for r in t["rows"]]
    assert len(rows) == 72
    unchecked = [r for r in rows if r["verdict"] == "unchecked"]
    # the one indicator without an actual cannot be checked; every other row agrees with the rules
    assert [(r["name"], r["actual"]) for r in unchecked] == [("用户使用满意度（%）", "")]
    assert all(t["budget"]["verdict"] == "consistent" for t in report["tables"])
    assert all(t["rounding"] == {**t["rounding"], "places": 2, "mode": "half_up"} for t in report["tables"])


def _sheet_rows(path: Path, sheet: int) -> list[int]:
    ws = openpyxl.load_workbook(path).worksheets[sheet]
    return [r for r in range(8, ws.max_row + 1) if ws.cell(r, 3).value and ws.cell(r, 7).value is not None][:6]


@pytest.mark.parametrize("row", range(6))
def test_one_changed_score_is_flagged_on_exactly_that_row(scored_xlsx: Path, tmp_path: Path, row: int) -> None:
    wb = openpyxl.load_workbook(scored_xlsx)
    ws = wb.worksheets[2]  # 涉法涉诉信访救助资金: partial, late and qualitative rows
    r = 8 + row
    name = ws.cell(r, 3).value
    ws.cell(r, 7).value = 0
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    report = audit_json(str(changed))
    checks = [(t["project"], x) for t in report["tables"] for x in [t["budget"], *t["rows"]]]
    flagged = [(project, x.get("name", "预算执行率")) for project, x in checks if x["verdict"] == "inconsistent"]
    assert flagged == [("涉法涉诉信访救助资金", name)]


def test_the_changed_funds_score_is_an_execution_mismatch(scored_xlsx: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(scored_xlsx)
    wb.worksheets[1]["H4"].value = 10  # 见义勇为专项资金: 97% of 10 is 9.70
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    t = audit_json(str(changed))["tables"][0]
    assert (t["budget"]["verdict"], t["budget"]["reason"]) == ("inconsistent", "execution-mismatch")
    assert [r["name"] for r in t["rows"] if r["verdict"] != "consistent"] == []
    assert t["total"]["reasons"] == ["total-not-sum"]


@pytest.mark.parametrize("fmt", ["md", "html", "json", "xlsx"])
def test_every_format_is_written(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"audit.{fmt}"
    result = run("audit", str(TABLES), "-o", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data
    if fmt in ("md", "html"):
        text = data.decode()
        assert "met-docked" in text and "水土保持监测" in text
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames == ["复核结论", "问题分类", "逐行复核"]


def test_html_is_escaped(tmp_path: Path) -> None:
    src = tmp_path / "t.yaml"
    src.write_text(TABLES.read_text("utf-8").replace("水土保持监测", "<b>监测</b>&"), "utf-8")
    result = run("audit", str(src), "--format", "html")
    assert "&lt;b&gt;监测&lt;/b&gt;&amp;" in result.stdout and "<b>监测" not in result.stdout


def test_strict_exits_1_on_an_inconsistent_table(tmp_path: Path) -> None:
    result = run("audit", str(TABLES), "--strict")
    assert result.exit_code == 1
    assert "strict: 2 inconsistent tables" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("tables: [\n  - {project: x\n", "malformed YAML"),
        ("year: 2020\n", "tables: expected a list"),
        ("tables: []\nyeer: 2020\n", "unknown key 'yeer'"),
        ("year: twenty\ntables: [{project: x}]\n", "year: expected a year"),
    ],
)
@pytest.mark.parametrize("lang", LANGS)  # the same exit, locations and files in Chinese (tests/bilingual.py)
def test_bad_input_exits_2_and_writes_nothing(content: str, message: str, lang: str, tmp_path: Path) -> None:
    src = tmp_path / "t.yaml"
    src.write_text(content, "utf-8")
    out = tmp_path / "audit.json"
    args = ["audit", str(src), "-o", str(out)]
    result = invoke(args, lang)
    assert result.exit_code == 2
    check_messages(result.stderr, lang, [message, str(src)], inputs_of(content, args), result.stderr)
    assert not out.exists()


def test_one_odd_table_does_not_sink_the_others(tmp_path: Path) -> None:
    src = tmp_path / "t.yaml"
    text = TABLES.read_text("utf-8").replace("target: ≥50个", "target: ≥≥50个").replace("score: 9}", "score: abc}")
    src.write_text(text, "utf-8")
    report = audit_json(str(src))
    first, second = report["tables"]
    assert [r["name"] for r in first["rows"] if r["verdict"] == "unchecked"] == ["监测点数"]
    assert first["problems"][0]["place"] == "第 11 行"
    assert second["budget"]["verdict"] == "unchecked" and "score" in second["problems"][0]["message"]
    assert [r["verdict"] for r in second["rows"]].count("inconsistent") == 1


def test_a_folder_audits_its_tables_and_passes_over_other_files(tmp_path: Path) -> None:
    (tmp_path / "tables.yaml").write_text(TABLES.read_text("utf-8"), "utf-8")
    (tmp_path / "actuals.yaml").write_text(EXAMPLE.read_text("utf-8"), "utf-8")
    result = run("audit", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["tables"] == 2
    assert "actuals.yaml: not a file of published tables" in result.stderr


@pytest.mark.parametrize("name", ["audit.ndjson", "audit.pdf"])  # .docx is written (tests/test_docx_review_audit.py)
def test_an_output_format_audit_does_not_write_is_refused(name: str, tmp_path: Path) -> None:
    out = tmp_path / name
    result = run("audit", str(TABLES), "-o", str(out))
    assert result.exit_code == 2 and not out.exists()


ODD = """\
year: 2020
tables:
  - project: 甲项目
    colour: red
    budget: {initial: 10, spent: 9, weight: 10, score: 12}
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 监测点数, target: ≥50个, actual: 45个, weight: 30, score: 30}
      - {level1: 产出指标, level2: 数量指标, name: 站点数, target: ≥50个, actual: 50个, weight: 30, score: 20}
      - {level1: 产出指标, level2: 质量指标, name: 合格率, target: ≥98%, actual: 98%, weight: 20, score: abc}
      - {level1: 效益指标, level2: 社会效益, name: 水质, target: 持续改善, actual: 不适用, weight: 10, score: 5}
    total: 80
"""


def _places(t: dict[str, Any]) -> list[Any]:
    """What an audit decides and where, which must not depend on the language."""
    rows = [(r["name"], r["verdict"], r["reasons"], r["place"], r["trace"]) for r in t["rows"]]
    problems = [(p["place"], p["location"]) for p in t["problems"]]
    return [t["verdict"], rows, problems, t["budget"]["verdict"], t["total"]["verdict"], t["total"].get("reasons")]


def test_explanations_speak_the_language_asked_in_the_same_places(tmp_path: Path) -> None:
    src = tmp_path / "t.yaml"
    src.write_text(ODD, "utf-8")
    en = run("audit", str(src), "--format", "json", "--lang", "en")
    zh = run("audit", str(src), "--format", "json", "--lang", "zh")
    assert en.exit_code == zh.exit_code == 0, en.output + zh.output
    english, chinese = json.loads(en.stdout)["tables"][0], json.loads(zh.stdout)["tables"][0]
    assert _places(english) == _places(chinese)
    said = {r["name"]: r["explanation"] for r in english["rows"]}
    assert said["监测点数"] == (
        "actual 45个, target ≥50个: not met, so 27 under the rules; the table gives full marks, 30; "
        "did worse than '站点数' but scores a higher share (100.0% against 66.7%)"
    )
    assert said["合格率"] == "cannot check: score: expected a number such as 19.6, found 'abc'"
    assert said["水质"] == "the actual value is 不适用 and scores nothing, but the table gives 5"
    assert english["budget"]["explanation"] == "the 资金 row's score 12 is above its weight 10"
    assert english["problems"][0]["message"] == "unknown key 'colour'"
    shown = {r["name"]: r["explanation"] for r in chinese["rows"]}
    assert shown["监测点数"] == (
        "实际45个，目标≥50个，未完成，按规则得27，表中却为满分30；完成情况不如「站点数」，得分率却更高（100.0%对66.7%）"
    )
    assert shown["合格率"] == "无法核对：score: 应为数字（如 19.6），实为 'abc'"
    assert shown["水质"] == "实际完成值为不适用，不应计分，表中得分5"
    assert chinese["budget"]["explanation"] == "资金行得分12超过分值10"
    assert chinese["problems"][0]["message"] == "未知的键“colour”"
    for text in [*shown.values(), chinese["budget"]["explanation"], *(p["message"] for p in chinese["problems"])]:
        if text:  # no English prose left: only the table's words, keys and codes
            assert re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"[a-z]{3,} [a-z]{3,}", text), text


def test_a_bad_file_is_refused_in_both_languages_at_the_same_place(tmp_path: Path) -> None:
    src = tmp_path / "t.yaml"
    src.write_text("year: 2020\ntables: 3\n", "utf-8")
    en = run("audit", str(src), "--lang", "en")
    zh = run("audit", str(src), "--lang", "zh")
    assert en.exit_code == zh.exit_code == 2
    message = "tables: expected a list of published 自评表 tables"
    assert message in en.stderr
    before = en.stderr.split(message)[0]
    location = before[before.index(str(src)) :]
    assert location == f"{src}:2:1 (tables): "
    assert f"{location}tables: 应为已公开的自评表列表" in zh.stderr
