"""init → fill → score, in YAML and in Excel; Excel target tables imported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from evalengine.cli.app import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zunhua-2024"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(EXAMPLE / "targets.yaml", tmp_path / "targets.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_yaml_form_lists_every_indicator_with_its_target(folder: Path) -> None:
    result = run("init", "targets.yaml", "-o", "actuals.yaml")
    assert result.exit_code == 0 and "form for 12 projects, 72 indicators" in result.stderr
    text = (folder / "actuals.yaml").read_text(encoding="utf-8")
    indicator_lines = [line for line in text.splitlines() if line.startswith('      "')]
    assert len(indicator_lines) == 72 and all(":    # " in line for line in indicator_lines)
    assert '"补助覆盖率(%)":    # ≥95%  (产出指标/数量指标)' in text and "# 12月底前" in text
    assert text.count('code: "') == 12
    empty = json.loads(run("score", "actuals.yaml", "--format", "json").stdout)
    assert empty["summary"]["findings"]["error"] == 84  # 72 indicators and 12 executions, all still missing


def test_yaml_form_filled_in_scores(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "actuals.yaml")
    path = folder / "actuals.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("execution: {spent: }", "execution: {spent: 4.85}", 1)
    text = text.replace('"补助覆盖率(%)":    #', '"补助覆盖率(%)": 96%    #', 1)
    path.write_text(text, encoding="utf-8")
    data = json.loads(run("score", "actuals.yaml", "--format", "json").stdout)
    first = data["projects"][0]
    assert first["execution"]["score"] == "9.70" and first["indicators"][0]["score"] == "12.50"


def _fill(path: Path, out: Path, values: dict[int, object], spent: object = 4.85) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[wb.sheetnames[1]]
    ws["E2"] = spent
    for row, value in values.items():
        ws.cell(row=row, column=5, value=value)
    ws.cell(row=6, column=6, value="1人材料不全")
    wb.save(out)


def test_excel_form_has_settings_targets_and_tier_dropdowns(folder: Path) -> None:
    assert run("init", "targets.yaml", "-o", "form.xlsx").exit_code == 0
    wb = openpyxl.load_workbook(folder / "form.xlsx")
    assert wb.sheetnames[0] == "设置" and len(wb.sheetnames) == 13
    assert [c.value for c in wb["设置"]["A"]] == ["targets", "rules", "year"]
    ws = wb[wb.sheetnames[1]]
    assert [ws.cell(row=4, column=c).value for c in range(1, 8)] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "偏差原因分析及改进措施",
        "佐证材料",
    ]
    assert ws["D5"].value == "≥95%" and ws["E5"].value is None
    validation = ws.data_validations.dataValidation[0]
    assert validation.formula1 == '"达成,部分达成,未达成,不适用"' and str(validation.sqref) == "E9"  # 积极向上's row


def test_excel_form_filled_in_scores_as_computed_by_hand(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx")
    # 96%, 90% (explained), on time, 12000元 against ≥1万元, 达成, 92%: 9.70 + 11.84 + 37.50 + 30 + 10 = 99.04
    _fill(
        folder / "form.xlsx",
        folder / "filled.xlsx",
        {5: "96%", 6: "90%", 7: "2024-12-20", 8: "12000元", 9: "达成", 10: "92%"},
    )
    data = json.loads(run("score", "filled.xlsx", "--format", "json").stdout)
    first = data["projects"][0]
    assert first["total"] == "99.04" and first["indicators"][1]["explanation"] == "1人材料不全"
    assert data["summary"]["projects"] == 12


def test_a_percentage_typed_into_excel_is_read_as_shown(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx")
    wb = openpyxl.load_workbook(folder / "form.xlsx")
    ws = wb[wb.sheetnames[1]]
    ws["E5"] = 0.9
    ws["E5"].number_format = "0%"  # what Excel stores when an evaluator types 90%
    wb.save(folder / "filled.xlsx")
    data = json.loads(run("score", "filled.xlsx", "--format", "json").stdout)
    assert data["projects"][0]["indicators"][0]["actual"] == "90%"


def test_percentage_rows_of_the_form_show_a_percent_and_read_back_as_shown(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx")
    wb = openpyxl.load_workbook(folder / "form.xlsx")
    ws = wb[wb.sheetnames[1]]  # 见义勇为专项资金: ≥95%, ≥95%, 12月底前, ≥1万元, 积极向上, ≥80%
    assert [ws.cell(row=r, column=5).number_format for r in range(5, 11)] == [
        "0.00%",
        "0.00%",
        "General",
        "General",
        "General",
        "0.00%",
    ]
    # what Excel stores when 96 is typed into a percent cell, and 96.5, and a count in a plain row
    ws["E5"], ws["E6"], ws["E10"] = 0.96, 0.965, 0.92
    ws["F6"] = "1人材料不全"
    wb.save(folder / "filled.xlsx")
    data = json.loads(run("score", "filled.xlsx", "--format", "json").stdout)
    first = data["projects"][0]["indicators"]
    assert [first[i]["actual"] for i in (0, 1, 5)] == ["96%", "96.5%", "92%"]
    assert first[0]["score"] == "12.50" and first[5]["score"] == "10.00"


def test_a_fraction_in_a_plain_cell_of_a_percentage_row_is_warned_by_sheet_and_cell(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx")
    wb = openpyxl.load_workbook(folder / "form.xlsx")
    ws = wb[wb.sheetnames[1]]
    ws["E5"], ws["E5"].number_format = 0.96, "General"  # a value pasted over the percent format
    ws["E10"] = "0.92"  # typed as text
    wb.save(folder / "filled.xlsx")
    data = json.loads(run("score", "filled.xlsx", "--format", "json").stdout)
    first = data["projects"][0]
    warned = {f["indicator"]: f["message"] for f in first["findings"] if f["code"] == "looks-like-fraction"}
    assert set(warned) == {"补助覆盖率(%)", "受益对象满意度(%)"}
    assert "(at filled.xlsx 1.见义勇为专项资金!E5)" in warned["补助覆盖率(%)"]
    assert "was 96% meant?" in warned["补助覆盖率(%)"]
    assert "1.见义勇为专项资金!E10" in warned["受益对象满意度(%)"] and "was 92% meant?" in warned["受益对象满意度(%)"]
    assert [first["indicators"][i]["actual"] for i in (0, 5)] == ["0.96%", "0.92%"]  # scored as written


def test_a_bad_cell_is_named_by_sheet_and_cell(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx")
    _fill(folder / "form.xlsx", folder / "filled.xlsx", {5: "96人"})
    result = run("score", "filled.xlsx", "-o", "report.md")
    assert result.exit_code == 2 and "[1.见义勇为专项资金!E5]" in result.stderr and "is in 人" in result.stderr
    assert not (folder / "report.md").exists()


def test_targets_on_the_command_line(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx")
    wb = openpyxl.load_workbook(folder / "form.xlsx")
    wb["设置"]["B1"] = "elsewhere.yaml"
    wb.save(folder / "form.xlsx")
    assert run("score", "form.xlsx").exit_code == 2
    assert run("score", "form.xlsx", "--targets", "targets.yaml", "--format", "json").exit_code == 0


def _target_workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "见义勇为"
    ws.append(["项目名称", "见义勇为专项资金", None, "项目编码", "13028124P00091910001P"])
    ws.append(["预算数", "5.00", None, "其中：财政资金", "5.00", "其他资金", "—"])
    ws.append([])
    ws.append(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])
    ws.append(["产出指标", "数量指标", "补助覆盖率(%)", "已补助人数占应补助人群的比率", "≥95%", "年初工作计划"])
    ws.append([None, "质量指标", "补助人员合规率（%）", "/", "≥95%", "—"])
    ws.append([None, "时效指标", "工作完成时间", "*", "12月底前", None])
    ws.append([None, "成本指标", "人均补助标准", None, "≥1万元", None])
    ws.append(["效益指标", "社会效益指标", "对社会风气带来的影响", None, "积极向上", None])
    ws.append(["满意度指标", "服务对象满意度指标", "受益对象满意度(%)", None, "—", None])  # no target: reported
    ws.merge_cells("A5:A8")  # 产出指标 spans its four rows
    wb.save(path)


def test_excel_target_table_with_merged_cells_and_placeholders(tmp_path: Path) -> None:
    source = tmp_path / "targets.xlsx"
    _target_workbook(source)
    result = run("import", str(source), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    project = data["projects"][0]
    assert project["code"] == "13028124P00091910001P" and project["budget"] == {
        "total": "5.00",
        "fiscal": "5.00",
        "other": "0",
    }
    rows = project["indicators"]
    assert [r["level1"] for r in rows] == ["产出指标"] * 4 + ["效益指标"]  # the merged cell fills down
    assert rows[1]["description"] == "" and rows[1]["basis"] == ""  # placeholders are empty
    assert "targets.xlsx [见义勇为!E10]: 受益对象满意度(%) has no 指标值" in result.stderr
    assert run("import", str(source), "--strict").exit_code == 1


def test_a_folder_of_filled_workbooks_scores_like_a_folder_of_yaml_files(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx")
    forms = folder / "forms"
    forms.mkdir()
    _fill(
        folder / "form.xlsx",
        forms / "filled.xlsx",
        {5: "96%", 6: "90%", 7: "2024-12-20", 8: "12000元", 9: "达成", 10: "92%"},
    )
    openpyxl.Workbook().save(forms / "notes.xlsx")  # a workbook that is not a form: passed over, and said so
    (forms / "targets.yaml").write_text((folder / "targets.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("score", "forms", "--targets", "targets.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["projects"] == 12 and data["projects"][0]["total"] == "99.04"
    assert "notes.xlsx: not an actuals form (no 设置 sheet), passed over" in result.stderr
    assert "targets.yaml: not an actuals file" in result.stderr


@pytest.mark.parametrize(
    ("row", "value", "message"),
    [
        (6, "96人", "is in 人"),  # an actual in a row that also has an explanation (F6)
        (9, "达成了吧", "is not a tier"),  # a tier typed into a qualitative row
        (7, "明年", "cannot read"),  # a deadline that is no date
    ],
)
def test_every_bad_value_of_a_filled_form_names_its_sheet_and_cell(
    folder: Path, row: int, value: str, message: str
) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx")
    _fill(folder / "form.xlsx", folder / "filled.xlsx", {row: value})
    result = run("score", "filled.xlsx")
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert f"[1.见义勇为专项资金!E{row}]" in result.stderr


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("F6", True, "偏差原因分析及改进措施 of 补助人员合规率（%）: a TRUE/FALSE value"),
        ("G5", False, "佐证材料 of 补助覆盖率(%): a TRUE/FALSE value"),
        ("F5", "#N/A", "the Excel error #N/A"),  # a lookup formula that found nothing
        ("G9", "#REF!", "the Excel error #REF!"),
        ("E5", "#DIV/0!", "the Excel error #DIV/0!"),
        ("G2", True, "explanation (执行情况说明)"),
        ("B3", "#VALUE!", "summary (实际完成情况)"),
        ("E10", "满意40，较满意6，不满意1", "survey counts"),
    ],
)
def test_every_cell_of_a_filled_form_is_named_by_its_own_cell(
    folder: Path, cell: str, value: object, message: str
) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx")
    wb = openpyxl.load_workbook(folder / "form.xlsx")
    ws = wb.worksheets[1]
    ws["E2"] = 4.85
    ws[cell] = value  # a string such as #N/A is stored as an error cell, as Excel shows a failed formula
    wb.save(folder / "filled.xlsx")
    result = run("score", "filled.xlsx", "-o", "report.md")
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert f"filled.xlsx [1.见义勇为专项资金!{cell}]" in result.stderr and "Traceback" not in result.stderr
    assert not (folder / "report.md").exists()


def test_a_survey_in_the_form_says_to_give_the_rate_or_use_yaml(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx")
    _fill(folder / "form.xlsx", folder / "filled.xlsx", {10: "满意：40 不满意：1"})
    result = run("score", "filled.xlsx")
    assert result.exit_code == 2 and "[1.见义勇为专项资金!E10]" in result.stderr
    assert "satisfaction rate (such as 92%)" in result.stderr and "YAML or JSON actuals file" in result.stderr
    _fill(folder / "form.xlsx", folder / "filled.xlsx", {10: "92%"})  # the rate is what the form takes
    assert run("score", "filled.xlsx").exit_code == 0


def test_bad_cells_of_a_form_are_reported_together(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "form.xlsx")
    wb = openpyxl.load_workbook(folder / "form.xlsx")
    wb.worksheets[1]["F5"], wb.worksheets[1]["G6"], wb.worksheets[2]["E5"] = True, "#N/A", False
    wb.save(folder / "filled.xlsx")
    result = run("score", "filled.xlsx")
    assert result.exit_code == 2 and "3 errors" in result.stderr
    for cell in ("1.见义勇为专项资金!F5", "1.见义勇为专项资金!G6", "2.涉法涉诉信访救助资金!E5"):
        assert f"[{cell}]" in result.stderr


def test_forms_ask_for_the_summary_and_a_project_without_one_is_warned(folder: Path) -> None:
    run("init", "targets.yaml", "-o", "actuals.yaml")
    text = (folder / "actuals.yaml").read_text(encoding="utf-8")
    assert text.count("    summary:    # 年度总体目标的实际完成情况；预期目标：") == 12
    text = text.replace("    summary:    #", "    summary: 全年任务全部完成   #", 1)
    (folder / "actuals.yaml").write_text(text, encoding="utf-8")
    data = json.loads(run("score", "actuals.yaml", "--format", "json").stdout)
    warned = [p["code"] for p in data["projects"] for f in p["findings"] if f["code"] == "missing-summary"]
    assert len(warned) == 11 and data["projects"][0]["summary"] == "全年任务全部完成"
    assert all(
        f["severity"] == "warning" for p in data["projects"] for f in p["findings"] if f["code"] == "missing-summary"
    )
    run("init", "targets.yaml", "-o", "form.xlsx")
    wb = openpyxl.load_workbook(folder / "form.xlsx")
    ws = wb.worksheets[1]
    assert ws["A3"].value == "实际完成情况" and ws["B3"].value is None
    ws["B3"] = "奖励金全部发放到位"
    wb.save(folder / "form.xlsx")
    data = json.loads(run("score", "form.xlsx", "--format", "json").stdout)
    assert data["projects"][0]["summary"] == "奖励金全部发放到位"
