"""`evalengine score` end to end: the bundled example, every format, and bad input."""

from __future__ import annotations

import importlib
import io
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
import openpyxl
import pytest
import yaml
from bilingual import LANGS, check_messages, inputs_of, invoke
from click.testing import CliRunner, Result
from golden.regenerate import GOLDEN_FILES

from evalengine.cli.app import COMMANDS, main
from evalengine.cli.output import _progress

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zunhua-2024"
GOLDEN = Path(__file__).resolve().parent / "golden"

# Hand-computed from the rules of mof-2020 (see the comments in examples/zunhua-2024/actuals.yaml):
# code -> (execution score, total, grade)
EXPECTED = {
    "13028124P00091910001P": ("9.70", "99.70", "优"),  # 9.70 + 50 + 30 + 10
    "13028124P000918100012": ("8.40", "92.38", "优"),  # 8.40 + 11.81 + 12.50 + 8.75 + 12.50 + 28.42 + 10
    "13028124P00089810002P": ("9.87", "99.20", "优"),  # 398.6/404 → 9.87; 29.33 for 88% of 90%
    "13028124P00090910001G": ("10.00", "96.43", "优"),  # 67.50 over 70 applicable (one 不适用)
    "13028124P000912100010": ("9.10", "99.10", "优"),
    "13028124P000901100013": ("9.33", "99.33", "优"),
    "13028124P000915100011": ("7.00", "79.71", "中"),  # 7 + 8.33 + 9.38 + 12.5 + 12.5 + 20 + 10
    "13028124P00090310001E": ("10.00", "100.00", "优"),
    "13028124P00090810001T": ("9.73", "99.73", "优"),
    "13028124P00090510001R": ("9.50", "89.19", "良"),  # satisfaction missing → 0
    "13028124P00083610001D": ("9.93", "99.93", "优"),
    "13028124P00083810002C": ("9.43", "69.30", "中"),  # 9.43 + 12.25 + 12.37 + 3.75 + 12.5 + 9 + 10
}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A writable copy of the bundled example."""
    target = tmp_path / "zunhua"
    shutil.copytree(EXAMPLE, target)
    return target


def report_json(*args: str) -> dict[str, Any]:
    result = run("score", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_example_scores_as_computed_by_hand() -> None:
    data = report_json(str(EXAMPLE / "actuals.yaml"))
    got = {p["code"]: (p["execution"]["score"], p["total"], p["grade"]) for p in data["projects"]}
    assert got == EXPECTED
    assert data["rules"] == "mof-2020" and data["year"] == 2024
    summary = data["summary"]
    assert summary["projects"] == 12
    assert (summary["budget"], summary["spent"], summary["rate"]) == ("823.00", "797.80", "96.94")
    assert summary["average"] == "97.38"  # Σ total × budget / 823 = 80142.01 / 823
    assert summary["grades"] == {"优": 9, "良": 1, "中": 2, "差": 0}


def test_json_follows_the_contract() -> None:
    data = report_json(str(EXAMPLE / "actuals.yaml"))
    project = data["projects"][0]
    assert {"code", "name", "total", "grade", "execution", "indicators", "findings"} <= set(project)
    assert set(project["execution"]) >= {"budget", "spent", "rate", "weight", "score"}
    assert project["execution"] == {
        **project["execution"],
        "budget": "5.00",
        "spent": "4.85",
        "rate": "97.00",
        "weight": "10",
        "score": "9.70",
    }
    indicator = project["indicators"][0]
    assert set(indicator) >= {
        "level1",
        "level2",
        "name",
        "target",
        "actual",
        "weight",
        "score",
        "status",
        "tier",
        "explanation",
        "trace",
    }
    assert indicator["target"] == "≥95%" and indicator["weight"] == "12.50" and indicator["status"] == "met"
    for p in data["projects"]:
        for f in p["findings"]:
            assert set(f) == {"severity", "code", "indicator", "message"} and f["severity"] in ("error", "warning")
    assert set(data["summary"]) >= {"projects", "budget", "spent", "rate", "average", "grades"}


def test_findings_of_the_example() -> None:
    data = report_json(str(EXAMPLE / "actuals.yaml"))
    found = sorted((p["code"], f["code"], f["indicator"]) for p in data["projects"] for f in p["findings"])
    assert found == sorted(
        [
            ("13028124P000912100010", "over-achievement", "组织宣传活动次数（次）"),
            ("13028124P000915100011", "missing-explanation", "督导项目建设次数"),
            ("13028124P000918100012", "missing-explanation", "被救助信访案件息诉率（%）"),
            ("13028124P00090510001R", "missing-actual", "用户使用满意度（%）"),
            ("13028124P00090510001R", "missing-explanation", "信息利用率（%）"),
            ("13028124P00090510001R", "missing-summary", None),
        ]
    )


@pytest.mark.parametrize("name", list(GOLDEN_FILES))
def test_report_matches_the_golden_file(name: str) -> None:
    """Compares only: after an intended change, run `python tests/golden/regenerate.py` and read the diff."""
    result = run(*GOLDEN_FILES[name])
    assert result.exit_code == 0
    golden = (GOLDEN / name).read_text(encoding="utf-8")
    assert result.stdout == golden, f"{name} differs: if the change is intended, run tests/golden/regenerate.py"


def test_strict_exits_1_on_error_findings_and_0_without() -> None:
    assert run("score", str(EXAMPLE / "actuals.yaml"), "--strict").exit_code == 1
    assert run("score", str(EXAMPLE / "actuals.yaml")).exit_code == 0


def test_clean_project_passes_strict(example: Path) -> None:
    actuals = example / "actuals.yaml"
    text = actuals.read_text(encoding="utf-8")
    keep = text.split("\n  - code: 13028124P000918100012")[0]  # only the first, flawless project
    actuals.write_text(keep + "\n", encoding="utf-8")
    result = run("score", str(actuals), "--strict", "--format", "json")
    # the other 11 projects are absent from the file: each is a missing-project error, never skipped
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert sum(1 for p in data["projects"] for f in p["findings"] if f["code"] == "missing-project") == 11
    assert data["projects"][0]["findings"] == []


def test_html_is_self_contained_and_matches_json(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert run("score", str(EXAMPLE / "actuals.yaml"), "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<style>" in html and "<svg" in html and "Noto Sans CJK SC" in html and "@page { size: A4" in html
    assert "http://" not in html and "https://" not in html  # nothing fetched from elsewhere
    data = report_json(str(EXAMPLE / "actuals.yaml"))
    for p in data["projects"]:
        assert f'data-code="{p["code"]}" data-total="{p["total"]}" data-grade="{p["grade"]}"' in html


def test_xlsx_has_an_overview_and_a_sheet_per_project(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    assert run("score", str(EXAMPLE / "actuals.yaml"), "-o", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "总览" and len(wb.sheetnames) == 13
    overview = wb["总览"]
    totals = {row[0]: Decimal(str(row[5])) for row in overview.iter_rows(min_row=3, max_row=14, values_only=True)}
    assert totals == {code: Decimal(total) for code, (_, total, _) in EXPECTED.items()}
    sheet = wb[wb.sheetnames[1]]
    assert "A3:B4" in {str(r) for r in sheet.merged_cells.ranges}  # the 资金情况 header block
    assert "A8:A11" in {str(r) for r in sheet.merged_cells.ranges}  # 产出指标 spans its four rows
    assert sheet["C7"].value == "三级指标" and sheet["D8"].value == "≥95%"


def test_xlsx_needs_an_output_file() -> None:
    result = run("score", str(EXAMPLE / "actuals.yaml"), "--format", "xlsx")
    assert result.exit_code == 2 and "-o report.xlsx" in result.output


def test_several_files_make_one_overview(example: Path, tmp_path: Path) -> None:
    second = tmp_path / "second"
    shutil.copytree(example, second)
    targets = second / "targets.yaml"
    text = targets.read_text(encoding="utf-8").replace("中共遵化市委政法委本级", "另一部门")
    targets.write_text(text.replace("13028124P", "13028199P"), encoding="utf-8")
    actuals = second / "actuals.yaml"  # another department's projects have codes of their own
    actuals.write_text(actuals.read_text(encoding="utf-8").replace("13028124P", "13028199P"), encoding="utf-8")
    data = report_json(str(example / "actuals.yaml"), str(second / "actuals.yaml"))
    assert data["summary"]["projects"] == 24
    assert data["summary"]["budget"] == "1646.00"
    assert data["departments"] == ["中共遵化市委政法委本级", "另一部门"]


def test_a_directory_is_scored_and_other_files_are_named(example: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(example), "--format", "json"])
    assert result.exit_code == 0
    # the year-end actuals are scored (mid-year monitoring lives in monitoring/); the targets file is named
    assert json.loads(result.stdout)["summary"]["projects"] == 12
    assert "targets.yaml: not an actuals file" in result.stderr


def test_script_in_a_name_is_text_everywhere(example: Path, tmp_path: Path) -> None:
    targets = example / "targets.yaml"
    evil = "<script>alert(1)</script>"
    text = targets.read_text(encoding="utf-8")
    assert 'name: "见义勇为专项资金"' in text
    targets.write_text(text.replace('name: "见义勇为专项资金"', f'name: "{evil}"'), encoding="utf-8")
    out = tmp_path / "r.html"
    assert run("score", str(example / "actuals.yaml"), "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert evil not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    markdown = run("score", str(example / "actuals.yaml")).stdout
    assert evil not in markdown and "\\<script\\>" in markdown


def test_a_bom_is_fine(example: Path) -> None:
    actuals = example / "actuals.yaml"
    actuals.write_bytes(b"\xef\xbb\xbf" + actuals.read_bytes())
    assert run("score", str(actuals), "--format", "json").exit_code == 0


def test_gbk_is_read_with_encoding(example: Path) -> None:
    for name in ("actuals.yaml", "targets.yaml"):
        path = example / name
        path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    result = run("score", str(example / "actuals.yaml"), "--encoding", "gbk", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["summary"]["average"] == "97.38"


def _break(example: Path, name: str, old: str, new: str) -> None:
    path = example / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD_INPUTS: dict[str, tuple[str, str, str, list[str]]] = {
    # id: (file, replace this, with this, fragments the message must contain)
    "malformed-yaml": (
        "actuals.yaml",
        "    execution: {spent: 4.85}",
        "    execution: {spent: 4.85",
        ["actuals.yaml:", "malformed YAML"],
    ),
    "targets-missing": (
        "actuals.yaml",
        "targets: targets.yaml",
        "targets: nowhere.yaml",
        ["actuals.yaml:6", "targets file not found", "nowhere.yaml"],
    ),
    "unknown-project": (
        "actuals.yaml",
        "code: 13028124P00091910001P",
        "code: 13028124P00091910001X",
        ["actuals.yaml:10", "unknown project code", "did you mean '13028124P00091910001P'"],
    ),
    "unknown-indicator": (
        "actuals.yaml",
        "      补助覆盖率(%): 96%",
        "      补助覆盖律(%): 96%",
        ["actuals.yaml:14", "has no indicator '补助覆盖律(%)'", "did you mean '补助覆盖率(%)'"],
    ),
    "unit-mismatch": (
        "actuals.yaml",
        "      补助覆盖率(%): 96%",
        "      补助覆盖率(%): 96人",
        ["actuals.yaml:14", "补助覆盖率(%)", "is in 人", "the target is in %"],
    ),
    "zero-budget": (
        "targets.yaml",
        "budget: {total: 5.00, fiscal: 5.00, other: 0}",
        "budget: {total: 0, fiscal: 5.00, other: 0}",
        ["targets.yaml:28", "must be above 0"],
    ),
    "negative-budget": (
        "actuals.yaml",
        "execution: {spent: 4.85}",
        "execution: {spent: 4.85, budget: -5}",
        ["actuals.yaml:11", "budget", "must be above 0"],
    ),
    "duplicate-project": (
        "actuals.yaml",
        "code: 13028124P000918100012",
        "code: 13028124P00091910001P",
        ["actuals.yaml:21", "appears twice"],
    ),
    "bad-target": (
        "targets.yaml",
        'target: "≥95%", basis',
        'target: "≥95%%", basis',
        ["targets.yaml:35", 'cannot read "≥95%%" at column 5', "^"],
    ),
    "bad-tier": (
        "actuals.yaml",
        "{tier: 达成, evidence: [表彰决定.pdf]}",
        "{tier: 大成}",
        ["actuals.yaml:18", "is not a tier", "did you mean '达成'"],
    ),
    "unknown-key": (
        "actuals.yaml",
        "execution: {spent: 4.85}",
        "executoin: {spent: 4.85}",
        ["actuals.yaml:11", "unknown key 'executoin'", "did you mean 'execution'"],
    ),
}


@pytest.mark.parametrize("lang", LANGS)  # the same exit, locations and files in Chinese (tests/bilingual.py)
@pytest.mark.parametrize("case", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_bad_input_exits_2_with_a_located_message_and_writes_nothing(case: str, lang: str, example: Path) -> None:
    name, old, new, fragments = BAD_INPUTS[case]
    _break(example, name, old, new)
    out = example / "report.html"
    args = ["score", str(example / "actuals.yaml"), "-o", str(out)]
    result = invoke(args, lang)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    check_messages(result.stderr, lang, fragments, inputs_of(new, args), result.stderr)
    assert not out.exists() and not list(example.glob(".report.html.*"))


def test_gbk_without_encoding_says_what_to_do(example: Path) -> None:
    path = example / "actuals.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    result = run("score", str(path))
    assert result.exit_code == 2
    assert "not UTF-8" in result.stderr and "GBK" in result.stderr and "--encoding gbk" in result.stderr


def test_an_error_leaves_an_existing_report_untouched(example: Path) -> None:
    out = example / "report.md"
    out.write_text("yesterday's report", encoding="utf-8")
    _break(example, "actuals.yaml", "      补助覆盖率(%): 96%", "      补助覆盖率(%): 96人")
    assert run("score", str(example / "actuals.yaml"), "-o", str(out)).exit_code == 2
    assert out.read_text(encoding="utf-8") == "yesterday's report"


def test_all_errors_in_a_file_are_reported_together(example: Path) -> None:
    _break(example, "actuals.yaml", "      补助覆盖率(%): 96%", "      补助覆盖律(%): 96%")
    _break(example, "actuals.yaml", "code: 13028124P000918100012", "code: NOPE")
    result = run("score", str(example / "actuals.yaml"))
    assert result.exit_code == 2
    assert "2 errors" in result.stderr and "补助覆盖律" in result.stderr and "NOPE" in result.stderr


def test_missing_file_is_a_clean_error() -> None:
    result = run("score", "/no/such/actuals.yaml")
    assert result.exit_code == 2 and "no such file or directory" in result.stderr


def test_progress_is_silent_when_not_at_a_terminal(tmp_path: Path) -> None:
    # 5 × 12 = 60 projects: enough for a progress bar at a terminal (50), but stderr is not one here.
    # Five departments: copies of the example, each with project codes of its own.
    files = []
    for k in range(5):
        folder = tmp_path / f"d{k}"
        folder.mkdir()
        for name in ("targets.yaml", "actuals.yaml"):
            text = (EXAMPLE / name).read_text(encoding="utf-8").replace("13028124P", f"1302812{k}Q")
            (folder / name).write_text(text, encoding="utf-8")
        files.append(str(folder / "actuals.yaml"))
    result = CliRunner().invoke(main, ["score", *files, "--format", "json"])
    assert result.exit_code == 0 and result.stderr == ""
    report = json.loads(result.stdout)  # stdout holds the report and nothing else
    assert report["summary"]["projects"] == 60 and report["summary"]["budget"] == "4115.00"  # 5 × 823


def test_progress_shows_at_a_terminal_for_50_projects_or_more(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", terminal)
    assert list(_progress(range(49))) == list(range(49)) and terminal.getvalue() == ""  # too few to show
    assert list(_progress(range(50))) == list(range(50))
    assert "scoring" in terminal.getvalue() and "100%" in terminal.getvalue()


def test_a_computed_rate_is_shown_rounded_to_the_packs_places_but_scored_exactly(example: Path) -> None:
    # 505/600 = 84.1666…%: scored exactly 84.1666/95×12.50 = 11.07 (84.17/95×12.50 would give 11.08)
    (example / "rate.yaml").write_text(
        "targets: targets.yaml\nyear: 2024\nprojects:\n"
        "  - code: 13028124P00091910001P\n"
        "    execution: {spent: 4.85}\n"
        "    indicators:\n"
        "      补助覆盖率(%): {numerator: 505, denominator: 600, explanation: 部分对象材料未齐}\n",
        encoding="utf-8",
    )
    data = report_json(str(example / "rate.yaml"))
    row = next(i for i in data["projects"][0]["indicators"] if i["name"] == "补助覆盖率(%)")
    assert (row["actual"], row["score"]) == ("84.17%", "11.07")
    assert row["trace"] == "实际84.17% < 目标95%，84.17÷95×12.50=11.07"
    for fmt in ("md", "html"):
        text = run("score", str(example / "rate.yaml"), "--format", fmt).stdout
        assert "84.17%" in text and "84.1666" not in text
    run("score", str(example / "rate.yaml"), "-o", str(example / "rate.xlsx"))
    cells = [str(c.value) for ws in openpyxl.load_workbook(example / "rate.xlsx") for r in ws.iter_rows() for c in r]
    assert any("84.17%" in c for c in cells) and not any("84.1666" in c for c in cells)


def test_a_rate_is_shown_to_the_packs_own_places(example: Path) -> None:
    (example / "three.yaml").write_text("extends: mof-2020\nrounding: {places: 3}\n", encoding="utf-8")
    (example / "rate.yaml").write_text(
        "targets: targets.yaml\nrules: three.yaml\nyear: 2024\nprojects:\n"
        "  - code: 13028124P00091910001P\n"
        "    execution: {spent: 4.85}\n"
        "    indicators:\n"
        "      补助覆盖率(%): {numerator: 505, denominator: 600, explanation: 部分对象材料未齐}\n",
        encoding="utf-8",
    )
    data = report_json(str(example / "rate.yaml"))
    project = data["projects"][0]
    row = next(i for i in project["indicators"] if i["name"] == "补助覆盖率(%)")
    assert row["actual"] == "84.167%"
    assert project["execution"]["rate"] == "97.000"


def test_the_example_folder_scores_each_project_once() -> None:
    folder, single = report_json(str(EXAMPLE)), report_json(str(EXAMPLE / "actuals.yaml"))
    assert folder["summary"] == single["summary"] and folder["summary"]["projects"] == 12


def test_a_project_met_in_two_files_is_an_input_error_naming_both(example: Path) -> None:
    (example / "again.yaml").write_text(
        "targets: targets.yaml\nyear: 2024\nprojects:\n  - code: 13028124P00091910001P\n    execution: {spent: 1}\n",
        encoding="utf-8",
    )
    out = example / "report.md"
    for args in ([str(example), "-o", str(out)], [str(example), "--format", "ndjson", "-o", str(out)]):
        result = run("score", *args)
        assert result.exit_code == 2 and "Traceback" not in result.output
        # actuals.yaml lists the project at line 10; again.yaml at line 4 (and every other project through its targets)
        assert "again.yaml:4:5 (projects[0]): project 13028124P00091910001P is met twice" in result.stderr
        assert "actuals.yaml:10:5 (projects[0])" in result.stderr
        assert not out.exists()


def test_a_project_listed_twice_in_one_file_names_both_lines(example: Path) -> None:
    path = example / "actuals.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "  - code: 13028124P00091910001P\n    execution: {spent: 1}\n", encoding="utf-8")
    result = run("score", str(path))
    assert result.exit_code == 2
    line = len(text.splitlines()) + 1
    assert f"actuals.yaml:{line}:5 (projects[12].code): project 13028124P00091910001P appears twice" in result.stderr
    assert "first at line 10 (projects[0])" in result.stderr


def test_the_same_file_given_twice_is_refused() -> None:
    result = run("score", str(EXAMPLE / "actuals.yaml"), str(EXAMPLE / "actuals.yaml"))
    assert result.exit_code == 2 and "actuals.yaml: this file is given twice in one run" in result.stderr


def test_the_markdown_header_escapes_the_pack_path(example: Path) -> None:
    pack = example / "my_*pack*<b>.yaml"
    pack.write_text("extends: mof-2020\n", encoding="utf-8")
    result = run("score", str(example / "actuals.yaml"), "--rules", str(pack))
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[2]
    assert "my\\_\\*pack\\*\\<b\\>" in header and "<b>" not in header


def test_counts_are_worded_in_the_singular_and_plural(example: Path) -> None:
    from evalengine.i18n import ngettext

    words = [ngettext("{n} error finding", "{n} error findings", n) for n in (0, 1, 2)]
    assert words == ["0 error findings", "1 error finding", "2 error findings"]
    targets = example / "targets.yaml"
    data = yaml.safe_load(targets.read_text(encoding="utf-8"))
    data["projects"] = data["projects"][:1]
    targets.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (example / "one.yaml").write_text(
        "targets: targets.yaml\nyear: 2024\nprojects:\n  - code: 13028124P00091910001P\n    execution: {spent: 4.85}\n",
        encoding="utf-8",
    )
    result = run("score", str(example / "one.yaml"), "-o", str(example / "r.md"))
    assert result.exit_code == 0 and "(1 project, 6 error findings)" in result.stderr  # six actuals missing


def _fraction_findings(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for p in data["projects"] for f in p["findings"] if f["code"] == "looks-like-fraction"]


def test_a_fraction_in_a_percent_row_is_scored_as_written_with_a_located_warning(example: Path) -> None:
    path = example / "actuals.yaml"
    text = path.read_text(encoding="utf-8")
    assert "      补助覆盖率(%): 96%\n" in text
    path.write_text(text.replace("      补助覆盖率(%): 96%\n", "      补助覆盖率(%): 0.96\n", 1), encoding="utf-8")
    line = text.splitlines().index("      补助覆盖率(%): 96%") + 1
    data = report_json(str(path))
    (finding,) = _fraction_findings(data)
    assert finding["severity"] == "warning" and finding["indicator"] == "补助覆盖率(%)"
    assert "was 96% meant?" in finding["message"] and "read as 0.96%" in finding["message"]
    assert f"actuals.yaml line {line} projects[0].indicators.补助覆盖率(%)" in finding["message"]
    first = data["projects"][0]["indicators"][0]
    assert first["actual"] == "0.96%" and first["score"] == "0.13"  # as written: 0.96 ÷ 95 × 12.50
    # the same file as JSON: no lines, so the file and the key
    as_json = example / "actuals.json"
    as_json.write_text(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str), encoding="utf-8")
    (finding,) = _fraction_findings(report_json(str(as_json)))
    assert "actuals.json projects[0].indicators.补助覆盖率(%)" in finding["message"]
    # in every format the Markdown has
    assert "looks-like-fraction" in run("score", str(path)).stdout


def test_a_percentage_written_with_its_sign_gets_no_fraction_warning() -> None:
    assert _fraction_findings(report_json(str(EXAMPLE / "actuals.yaml"))) == []


def test_a_bad_explanation_or_evidence_names_its_own_line_and_key(example: Path) -> None:
    path = example / "actuals.yaml"
    text = path.read_text(encoding="utf-8")
    old = "      补助人员合规率(%): {numerator: 19, denominator: 20, explanation: 1人材料不全，已补正}\n"
    new = (
        "      补助人员合规率(%):\n"
        "        numerator: 19\n"
        "        denominator: 20\n"
        "        explanation: {原因: 1人材料不全}\n"
        "        evidence: [名单.xlsx, {文件: 表彰决定.pdf}]\n"
    )
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text.splitlines().index(old.rstrip("\n")) + 1
    result = run("score", str(path))
    key = "projects[0].indicators.补助人员合规率(%)"
    assert result.exit_code == 2, result.stderr
    assert f"actuals.yaml:{line + 3}:9 ({key}.explanation): explanation: expected text, found a mapping" in (
        result.stderr
    )
    path.write_text(path.read_text(encoding="utf-8").replace("{原因: 1人材料不全}", "1人材料不全"), encoding="utf-8")
    result = run("score", str(path))
    assert result.exit_code == 2, result.stderr
    assert f"actuals.yaml:{line + 4}:9 ({key}.evidence): evidence: expected a file name" in result.stderr


def test_commands_are_imported_when_asked_for() -> None:
    """A run of `score` does not import the other commands' modules; the table names every command."""
    code = (
        "import sys\n"
        "from evalengine.cli.app import main\n"
        "try:\n    main(['score', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('evalengine.cli.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.strip().splitlines()[-1]
    assert "'evalengine.cli.score'" in loaded
    for other in ("audit", "review", "monitor", "check", "importing", "init"):
        assert f"'evalengine.cli.{other}'" not in loaded
    for module in set(COMMANDS.values()):
        importlib.import_module(f"evalengine.cli.{module}")
    assert set(main.commands) == set(COMMANDS)
    assert main.list_commands(click.Context(main)) == sorted(COMMANDS)


@pytest.mark.parametrize("lang, said", [("en", "Did you mean 'score'?"), ("zh", "是否想写：'score'")])
def test_a_mistyped_command_is_still_offered_the_right_one(lang: str, said: str) -> None:
    """click suggests from the commands it knows: a name that is no command loads them all first."""
    code = "import sys\nfrom evalengine.cli.app import main\nmain(['--lang', sys.argv[1], 'scor'])\n"
    done = subprocess.run([sys.executable, "-c", code, lang], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert said in done.stderr
