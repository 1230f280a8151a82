"""Forms in a mapping's layout: init --mapping → filled with openpyxl → score, and filled 自评表 workbooks and
Word documents of a department read back through a mapping (score) or audited (audit)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result

from evalengine.cli.app import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zunhua-2024"
sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))

import make_tables  # noqa: E402

# The first project, 见义勇为专项资金, as the existing round trip (test_forms.py) fills it: 4.85 of 5 spent,
# 96%, 90% (explained), on time, 12000元 against ≥1万元, 达成, 92%:
# 9.70 + 12.50 + 11.84 + 12.50 + 12.50 + 30 + 10 = 99.04 (90/95 × 12.5 = 11.842 → 11.84).
FIRST = {
    "补助覆盖率(%)": 0.96,
    "补助人员合规率（%）": 0.9,
    "工作完成时间": "2024-12-20",
    "人均补助标准": "12000元",
    "对社会风气带来的影响": "达成",
    "受益对象满意度(%)": 0.92,
}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(EXAMPLE / "targets.yaml", tmp_path / "targets.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _find(ws: Any, text: str) -> tuple[int, int] | None:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() == text:
                return cell.row, cell.column
    return None


def fill(
    path: Path,
    out: Path,
    actuals: dict[str, Any],
    *,
    spent: Any = 4.85,
    summary: str | None = "奖励金全部发放到位",
    explanation: str = "1人材料不全",
    code: str = "13028124P00091910001P",
) -> dict[str, str]:
    """Fill the first project's cells of a form in any mapping's layout, found by their headings and labels
    as a person finds them; the cells written, by what they hold."""
    wb = openpyxl.load_workbook(path)
    ws = next(ws for ws in wb.worksheets if ws.title != "设置")
    written: dict[str, str] = {}
    head = _find(ws, "实际完成值")
    name = _find(ws, "三级指标")
    assert head and name
    explain = _find(ws, "偏差原因分析及改进措施") or _find(ws, "未完成原因分析") or _find(ws, "偏差原因分析")
    code_col = _find(ws, "项目编码")
    for r in range(head[0] + 1, ws.max_row + 1):
        label = ws.cell(row=r, column=name[1]).value
        if code_col and code_col[0] == head[0] and ws.cell(row=r, column=code_col[1]).value != code:
            continue  # a flat list: another project's row
        if label in actuals:
            cell = ws.cell(row=r, column=head[1], value=actuals[label])
            if isinstance(actuals[label], float):
                cell.number_format = "0%"  # what Excel stores when 96% is typed
            written[label] = cell.coordinate
            if label == "补助人员合规率（%）" and explain:
                ws.cell(row=r, column=explain[1], value=explanation)
    total, spent_col = _find(ws, "年度资金总额"), _find(ws, "全年执行数")
    if spent is not None and spent_col:
        r, c = (total[0], spent_col[1]) if total else (spent_col[0], spent_col[1] + 1)
        ws.cell(row=r, column=c, value=spent)
        written["spent"] = ws.cell(row=r, column=c).coordinate
    place = _find(ws, "实际完成情况")
    if summary and place:
        r, c = (
            (place[0] + 1, place[1])
            if ws.cell(row=place[0], column=place[1] + 1).value is None and total
            else (
                place[0],
                place[1] + 1,
            )
        )
        ws.cell(row=r, column=c, value=summary)
    wb.save(out)
    return written


def _first(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["projects"][0]


@pytest.mark.parametrize(
    ("layout", "total"), [("mof-2020", "99.04"), ("split-target", "99.04"), ("vendor-export", "89.34")]
)
def test_init_in_a_mapping_layout_filled_and_scored_as_computed_by_hand(folder: Path, layout: str, total: str) -> None:
    result = run("init", "targets.yaml", "-o", "form.xlsx", "--mapping", layout)
    assert result.exit_code == 0, result.output
    fill(folder / "form.xlsx", folder / "filled.xlsx", FIRST)
    scored = run("score", "filled.xlsx", "--format", "json")
    first = _first(scored)
    assert f"read with the mapping {layout}" in scored.stderr
    # vendor-export has no 全年执行数 column: its execution stays missing (0 of 10), 99.04 − 9.70 = 89.34
    assert first["total"] == total
    assert [i["actual"] for i in first["indicators"]] == ["96%", "90%", "2024-12-20", "1.2万元", "达成", "92%"]
    assert first["indicators"][1]["score"] == "11.84" and first["indicators"][1]["explanation"] == "1人材料不全"
    data = json.loads(scored.stdout)
    assert data["summary"]["projects"] == 12
    if layout != "vendor-export":
        assert first["execution"]["score"] == "9.70" and first["summary"] == "奖励金全部发放到位"
    else:
        assert "has no place for 全年执行数 (spent)" in result.stderr


def test_a_form_in_the_national_layout_has_its_targets_fill_cells_and_formats(folder: Path) -> None:
    assert run("init", "targets.yaml", "-o", "form.xlsx", "--mapping", "mof-2020").exit_code == 0
    wb = openpyxl.load_workbook(folder / "form.xlsx")
    settings = wb["设置"]
    assert [settings.cell(row=r, column=2).value for r in range(1, 5)] == ["targets.yaml", "mof-2020", 2024, "mof-2020"]
    ws = wb.worksheets[1]
    assert _find(ws, "项目名称") and ws.cell(row=_find(ws, "项目名称")[0], column=2).value == "见义勇为专项资金"  # type: ignore[index]
    head = _find(ws, "实际完成值")
    target = _find(ws, "年度指标值")
    assert head and target and head[0] == target[0]
    rows = range(head[0] + 1, head[0] + 7)
    assert [ws.cell(row=r, column=target[1]).value for r in rows] == [
        "≥95%",
        "≥95%",
        "12月底前",
        "≥1万元",
        "积极向上",
        "≥80%",
    ]
    formats = [ws.cell(row=r, column=head[1]).number_format for r in rows]
    assert formats == ["0.00%", "0.00%", "General", "General", "General", "0.00%"]  # % rows only
    yellow = [ws.cell(row=r, column=head[1]).fill.fgColor.rgb for r in rows]
    assert all(c.endswith("FFF7D6") for c in yellow)
    assert ws.cell(row=head[0] + 1, column=target[1]).fill.fgColor.rgb != yellow[0]  # targets are not to fill
    spent = (_find(ws, "年度资金总额")[0], _find(ws, "全年执行数")[1])  # type: ignore[index]
    assert ws.cell(*spent).fill.fgColor.rgb.endswith("FFF7D6") and ws.cell(*spent).value is None
    budget = (_find(ws, "年度资金总额")[0], _find(ws, "全年预算数")[1])  # type: ignore[index]
    assert ws.cell(*budget).value == "5.00"
    tiers = ws.data_validations.dataValidation[0]
    assert str(tiers.sqref) == ws.cell(row=head[0] + 5, column=head[1]).coordinate  # 积极向上's row
    assert ws.cell(row=head[0] + 7, column=1).value == "总分"


def test_a_typed_percentage_is_read_as_shown_in_the_forms_format(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx", "--mapping", "mof-2020")
    wb = openpyxl.load_workbook(folder / "form.xlsx")
    ws = wb.worksheets[1]
    head = _find(ws, "实际完成值")
    assert head
    ws.cell(row=head[0] + 1, column=head[1], value=0.9455)  # shown 94.55% in the form's 0.00% cell
    wb.save(folder / "form.xlsx")
    first = _first(run("score", "form.xlsx", "--format", "json"))
    # 94.55 of ≥95: 94.55 / 95 × 12.5 = 12.4407… → 12.44 (not 12.50, as 94.55 ≥ 95 flipped would give)
    assert first["indicators"][0]["actual"] == "94.55%" and first["indicators"][0]["score"] == "12.44"


def test_text_in_a_mapped_form_never_becomes_a_formula(folder: Path) -> None:
    text = (folder / "targets.yaml").read_text(encoding="utf-8").replace("补助覆盖率(%)", "=HYPERLINK(1)", 1)
    (folder / "targets.yaml").write_text(text, encoding="utf-8")
    assert run("init", "targets.yaml", "-o", "form.xlsx", "--mapping", "split-target").exit_code == 0
    wb = openpyxl.load_workbook(folder / "form.xlsx")
    cells = [c for row in wb.worksheets[1].iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("补助覆盖率(%)", "96人", "is in 人"),
        ("对社会风气带来的影响", "达成了吧", "is not a tier"),
        ("工作完成时间", "明年", "cannot read"),
    ],
)
def test_every_bad_value_of_a_mapped_form_names_its_sheet_and_cell(
    folder: Path, name: str, value: str, message: str
) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx", "--mapping", "split-target")
    cells = fill(folder / "form.xlsx", folder / "filled.xlsx", {**FIRST, name: value})
    result = run("score", "filled.xlsx", "-o", "report.md")
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert f"[1.见义勇为专项资金!{cells[name]}]" in result.stderr and "Traceback" not in result.output
    assert not (folder / "report.md").exists()


def test_a_bad_execution_amount_is_located_in_its_cell(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx", "--mapping", "mof-2020")
    cells = fill(folder / "form.xlsx", folder / "filled.xlsx", FIRST, spent="四万")
    result = run("score", "filled.xlsx")
    assert result.exit_code == 2 and f"[1.见义勇为专项资金!{cells['spent']}]" in result.stderr, result.stderr


def test_a_departments_own_filled_workbook_is_read_through_the_mapping_its_headers_match(folder: Path) -> None:
    """The national 自评表 filled by hand (no 设置 sheet): the headers tell the mapping; --targets names the targets."""
    make_tables.mof_2020_workbook(folder / "own.xlsx")
    cells = fill(folder / "own.xlsx", folder / "own.xlsx", FIRST)
    result = run("score", "own.xlsx", "--targets", "targets.yaml", "--format", "json")
    first = _first(result)
    assert first["total"] == "99.04" and "read with the mapping mof-2020" in result.stderr
    named = run("score", "own.xlsx", "--targets", "targets.yaml", "--mapping", "mof-2020", "--format", "json")
    assert _first(named)["total"] == "99.04"
    wrong = run("score", "own.xlsx", "--targets", "targets.yaml", "--mapping", "budget-disclosure")
    assert wrong.exit_code == 2 and "has no 实际完成值 column" in wrong.stderr
    without = run("score", "own.xlsx")
    assert without.exit_code == 2 and "targets: name the targets file" in without.stderr
    assert cells["补助覆盖率(%)"].startswith("H")


def test_a_table_without_code_is_matched_by_its_project_name(folder: Path) -> None:
    make_tables.mof_2020_workbook(folder / "own.xlsx")
    wb = openpyxl.load_workbook(folder / "own.xlsx")
    for ws in wb.worksheets:
        ws["F3"] = ws["G3"] = None  # no 项目编码 printed
    wb.worksheets[1]["B3"] = "涉法涉诉信访救助"
    wb.save(folder / "own.xlsx")
    fill(folder / "own.xlsx", folder / "own.xlsx", FIRST)
    result = run("score", "own.xlsx", "--targets", "targets.yaml")
    assert result.exit_code == 2 and "no project named '涉法涉诉信访救助'" in result.stderr
    assert "[2.涉法涉诉信访救助资金!B3]" in result.stderr and "did you mean" in result.stderr
    wb = openpyxl.load_workbook(folder / "own.xlsx")
    wb.worksheets[1]["B3"] = "涉法涉诉信访救助资金"
    wb.save(folder / "own.xlsx")
    assert _first(run("score", "own.xlsx", "--targets", "targets.yaml", "--format", "json"))["total"] == "99.04"


def test_a_workbook_in_no_known_layout_is_a_clear_error(folder: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "随便什么"
    wb.save(folder / "odd.xlsx")
    result = run("score", "odd.xlsx", "--targets", "targets.yaml")
    assert result.exit_code == 2 and "neither evalengine's form" in result.stderr and "--mapping" in result.stderr


def test_init_mapping_needs_an_excel_form_and_a_layout_with_actuals(folder: Path) -> None:
    result = run("init", "targets.yaml", "-o", "form.xlsx", "--mapping", "budget-disclosure")
    assert result.exit_code == 2 and "has no 实际完成值 column" in result.stderr
    assert not (folder / "form.xlsx").exists()
    result = run("init", "targets.yaml", "-o", "form.yaml", "--mapping", "mof-2020")
    assert result.exit_code == 2 and "--mapping lays out an Excel form" in result.output
    result = run("init", "targets.yaml", "-o", "form.xlsx", "--mapping", "mof2020")
    assert result.exit_code == 2 and "did you mean" in result.stderr


def test_a_form_with_its_own_mapping_file_names_it_relative_to_the_form(folder: Path) -> None:
    shutil.copy(ROOT / "mappings" / "split-target.yaml", folder / "province.yaml")
    (folder / "forms").mkdir()
    assert run("init", "targets.yaml", "-o", "forms/form.xlsx", "--mapping", "province.yaml").exit_code == 0
    wb = openpyxl.load_workbook(folder / "forms" / "form.xlsx")
    assert wb["设置"]["B4"].value == "../province.yaml"
    fill(folder / "forms" / "form.xlsx", folder / "forms" / "form.xlsx", FIRST)
    assert _first(run("score", "forms/form.xlsx", "--format", "json"))["total"] == "99.04"


# --- the national 自评表 filled in Word -----------------------------------------------------------------


WORD = {
    "补助覆盖率(%)": "96%",
    "补助人员合规率（%）": "90%",
    "工作完成时间": "2024-12-20",
    "人均补助标准": "12000元",
    "对社会风气带来的影响": "达成",
    "受益对象满意度(%)": "92%",
}


def test_a_filled_word_self_evaluation_table_is_scored(folder: Path) -> None:
    make_tables.mof_2020_docx(folder / "自评表.docx", WORD)
    result = run("score", "自评表.docx", "--targets", "targets.yaml", "--format", "json")
    first = _first(result)
    assert first["total"] == "99.04" and first["summary"] == "奖励金全部发放到位"
    assert first["indicators"][1]["explanation"] == "1人材料不全"
    assert "read with the mapping mof-2020" in result.stderr
    assert json.loads(result.stdout)["projects"][1]["total"] == "0.00"  # nothing filled: every actual missing


def test_a_bad_value_in_a_word_table_names_the_table_row_and_column(folder: Path) -> None:
    make_tables.mof_2020_docx(folder / "自评表.docx", {**WORD, "补助覆盖率(%)": "96人"})
    result = run("score", "自评表.docx", "--targets", "targets.yaml", "-o", "report.md")
    assert result.exit_code == 2 and "[table 1 row 10, column 6]" in result.stderr and "is in 人" in result.stderr
    assert not (folder / "report.md").exists()


def test_a_word_table_without_code_is_matched_by_name(folder: Path) -> None:
    make_tables.mof_2020_docx(folder / "自评表.docx", WORD, code=False)
    first = _first(
        run("score", "自评表.docx", "--targets", "targets.yaml", "--mapping", "mof-2020", "--format", "json")
    )
    assert first["total"] == "99.04"


def test_a_file_that_is_no_word_document_is_a_located_error(folder: Path) -> None:
    (folder / "fake.docx").write_text("not a zip", encoding="utf-8")
    result = run("score", "fake.docx", "--targets", "targets.yaml")
    assert result.exit_code == 2 and "cannot read fake.docx as a Word document" in result.stderr


# --- audit: the national 自评表 published as a workbook or a Word document, read through the mapping -----

WEIGHTS = {name: w for name, w in zip(WORD, ("12.5", "12.5", "12.5", "12.5", "30", "10"), strict=True)}
# each row's score as computed by hand above: 96% ≥ 95% full marks; 90/95 × 12.5 = 11.84; on time; 1.2万 ≥ 1万
SCORES = {name: s for name, s in zip(WORD, ("12.5", "11.84", "12.5", "12.5", "30", "10"), strict=True)}


def published_workbook(path: Path, scores: dict[str, str]) -> Path:
    """The national layout (tests/fixtures/make_tables.py) with the first project's results and scores printed."""
    make_tables.mof_2020_workbook(path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ws["E6"], ws["G6"], ws["H6"] = 4.85, "97%", 9.7
    for r in range(15, 21):
        name = ws.cell(row=r, column=4).value
        ws.cell(row=r, column=8, value=WORD[name])
        ws.cell(row=r, column=9, value=float(WEIGHTS[name]))
        ws.cell(row=r, column=10, value=float(scores[name]))
    ws["J21"] = float(scores.get("总分", "99.04"))
    wb.save(path)
    return path


def _audited(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_audit_reads_the_national_layout_through_its_mapping_as_by_its_headings(folder: Path) -> None:
    published_workbook(folder / "pub.xlsx", SCORES)
    mapped = _audited(run("audit", "pub.xlsx", "--mapping", "mof-2020", "--format", "json"))
    headings = _audited(run("audit", "pub.xlsx", "--format", "json"))
    first = mapped["tables"][0]
    assert first["verdict"] == "consistent" and first["total"]["recomputed"] == "99.04"
    assert first["budget"]["verdict"] == "consistent" and first["budget"]["recomputed"] == "9.70"
    assert [r["verdict"] for r in first["rows"]] == ["consistent"] * 6
    assert mapped["tables"][0]["rows"] == headings["tables"][0]["rows"] and mapped["summary"] == headings["summary"]


def test_audit_through_a_mapping_flags_a_changed_score_on_its_row_and_cell(folder: Path) -> None:
    published_workbook(folder / "pub.xlsx", {**SCORES, "补助覆盖率(%)": "10", "总分": "96.54"})
    data = _audited(run("audit", "pub.xlsx", "--mapping", "mof-2020", "--format", "json"))
    rows = data["tables"][0]["rows"]
    assert rows[0]["verdict"] == "inconsistent" and rows[0]["reason"] == "met-docked"  # 96% met, yet 10 of 12.5
    assert [r["verdict"] for r in rows[1:]] == ["consistent"] * 5
    assert data["tables"][0]["total"]["verdict"] == "inconsistent"  # 96.54 printed, 99.04 recomputed
    assert run("audit", "pub.xlsx", "--mapping", "mof-2020", "--strict").exit_code == 1


def test_audit_reads_a_word_self_evaluation_table(folder: Path) -> None:
    make_tables.mof_2020_docx(folder / "自评表.docx", WORD, scores=SCORES, weights=WEIGHTS)
    result = run("audit", "自评表.docx", "--format", "json")
    data = _audited(result)
    first = data["tables"][0]
    assert "read with the mapping mof-2020" in result.stderr
    assert first["verdict"] == "consistent" and first["total"]["printed"] == "99.04"
    assert first["budget"]["recomputed"] == "9.70" and data["summary"]["tables"] == 12
    make_tables.mof_2020_docx(
        folder / "changed.docx", WORD, scores={**SCORES, "补助人员合规率（%）": "12.5", "总分": "99.7"}, weights=WEIGHTS
    )
    rows = _audited(run("audit", "changed.docx", "--mapping", "mof-2020", "--format", "json"))["tables"][0]["rows"]
    assert rows[1]["verdict"] == "inconsistent" and rows[1]["reason"] == "missed-full-marks"  # 90% of ≥95%: full marks


def test_an_unreadable_value_in_a_word_table_is_located_and_the_rest_audited(folder: Path) -> None:
    make_tables.mof_2020_docx(folder / "自评表.docx", WORD, scores={**SCORES, "工作完成时间": "十二"}, weights=WEIGHTS)
    data = _audited(run("audit", "自评表.docx", "--format", "json"))
    rows = data["tables"][0]["rows"]
    assert rows[2]["verdict"] == "unchecked" and [r["verdict"] for r in rows[:2]] == ["consistent"] * 2
    problems = " ".join(str(p) for p in data["tables"][0]["problems"])
    assert "table 1 row 12, column 8" in problems
