"""`evalengine review`: every input it reads, every format, located errors and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from conftest import ROOT, SEED
from openpyxl import Workbook, load_workbook

from evalengine.cli import main

EXAMPLE = ROOT / "examples" / "zunhua-2024"
GOLDEN = Path(__file__).parent / "golden"

BAD = """\
department: 测试部门
year: 2024
projects:
  - code: P1
    name: 培训项目
    budget: {total: 10, fiscal: 8, other: 1}
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 培训人次, target: "≥100人次", description: 人次, basis: 计划}
      - {level1: 产出指标, level2: 质量指标, name: 培训合格率(%), target: "≥95%%", description: 合格率, basis: 计划}
      - {level1: 效益指标, level2: 社会效益指标, name: 知晓率(%), target: "≥120%", description: 知晓率, basis: 计划}
  - code: P2
    name: 宣传项目
    budget: 5
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 宣传次数, target: "≥5次", description: 次数, basis: 计划}
      - {level1: 效益指标, level2: 社会效益指标, name: 知晓率(%), target: "≥90%", description: 知晓率, basis: 计划}
      - {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, target: "≥90%", description: 满意, basis: 计划}
"""


def _run(*args: str) -> object:
    return CliRunner().invoke(main, ["review", *args])


def test_the_bundled_example_is_the_golden_review() -> None:
    # the 审核意见 is a Chinese document: the golden file holds it as users get it, findings in Chinese
    result = _run(str(EXAMPLE / "targets.yaml"), "--lang", "zh")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert result.stdout == (GOLDEN / "zunhua-2024-review.md").read_text(encoding="utf-8")  # type: ignore[attr-defined]


def test_one_odd_cell_never_sinks_the_table(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text(BAD, encoding="utf-8")
    result = _run(str(path), "--format", "json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    report = json.loads(result.stdout)  # type: ignore[attr-defined]
    first, second = report["projects"]
    codes = {f["code"]: f for f in first["findings"]}
    assert set(codes) == {"funds-unbalanced", "unreadable", "rate-over-100", "missing-level1"}
    assert codes["unreadable"]["location"]["line"] == 9 and "from character 5" in codes["unreadable"]["message"]
    assert codes["rate-over-100"]["location"]["path"] == "projects[0].indicators[2].target"
    assert first["verdict"] == "return" and second["verdict"] == "pass" and second["findings"] == []
    assert report["summary"]["findings"] == {"error": 4, "warning": 0, "notice": 0}
    assert report["summary"]["quantified_share"] == "83.33"  # 5 of 6 readable targets are quantified


def test_strict_exits_1_on_an_error_finding(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text(BAD, encoding="utf-8")
    result = _run(str(path), "--strict")
    assert result.exit_code == 1
    assert "strict: 4 error findings" in result.stderr  # type: ignore[attr-defined]
    assert _run(str(EXAMPLE / "targets.yaml"), "--strict").exit_code == 0  # notices only  # type: ignore[attr-defined]


def test_a_file_that_is_no_table_is_a_located_error_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text("department: x\nprojects: nothing\n", encoding="utf-8")
    out = tmp_path / "review.md"
    result = _run(str(path), "-o", str(out))
    assert result.exit_code == 2
    assert f"{path}:2" in result.stderr and "projects" in result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in result.output and not out.exists()  # type: ignore[attr-defined]
    text = tmp_path / "notes.txt"
    text.write_text("没有表格\n", encoding="utf-8")
    result = _run(str(text))
    assert result.exit_code == 2 and "no project table found" in result.stderr  # type: ignore[attr-defined]


def test_every_format(tmp_path: Path) -> None:
    for suffix in ("md", "html", "json", "xlsx"):
        out = tmp_path / f"review.{suffix}"
        result = _run(str(EXAMPLE / "targets.yaml"), "-o", str(out))
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
        assert "wrote" in result.stderr and out.stat().st_size > 0  # type: ignore[attr-defined]
    html = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert 'data-notice="4"' in html and "审核意见" in html
    wb = load_workbook(tmp_path / "review.xlsx")
    assert wb.sheetnames == ["审核结论", "问题分类", "问题清单"]
    assert wb["问题清单"].max_row == 5  # a header and the 4 notices


def test_html_escapes_what_the_table_says(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text(BAD.replace("name: 培训项目", 'name: "<script>x</script>"'), encoding="utf-8")
    result = _run(str(path), "--format", "html")
    assert "<script>x" not in result.stdout and "&lt;script&gt;" in result.stdout  # type: ignore[attr-defined]


def test_the_published_text_is_reviewed_as_import_reads_it() -> None:
    result = _run(str(SEED), "--year", "2024", "--format", "json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    report = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert report["summary"]["projects"] == 12 and report["summary"]["indicators"] == 72
    first = report["projects"][0]["findings"][0]
    assert first["code"] == "cost-lower-bound" and first["location"]["line"] is not None


def test_an_excel_table_is_reviewed_cell_by_cell(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "培训项目"
    ws.append(["项目名称", "培训项目", "项目编码", "P9"])
    ws.append(["预算数", 10, "财政资金", 9, "其他资金", 0])
    ws.append(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])
    ws.append(["产出指标", "数量指标", "培训人次", "人次", "*", "计划"])
    ws.append(["效益指标", "社会效益指标", "知晓率(%)", "知晓率", "≥90%", "计划"])
    ws.append(["满意度指标", "服务对象满意度指标", "满意度(%)", "满意度", "≥90%", "计划"])
    path = tmp_path / "targets.xlsx"
    wb.save(path)
    result = _run(str(path), "--format", "json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    findings = {f["code"]: f for f in json.loads(result.stdout)["projects"][0]["findings"]}  # type: ignore[attr-defined]
    assert findings["placeholder"]["location"]["cell"] == "培训项目!E4"
    assert findings["funds-unbalanced"]["message"].startswith("budget 10 万元 ≠")


def test_a_folder_passes_over_actuals_files() -> None:
    result = _run(str(EXAMPLE), "--format", "json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "actuals.yaml: an actuals file" in result.stderr  # type: ignore[attr-defined]
    assert json.loads(result.stdout)["summary"]["projects"] == 12  # type: ignore[attr-defined]


def test_a_province_turns_a_check_off_in_its_pack(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text("extends: mof-2020\nreview:\n  checks:\n    cost-lower-bound: off\n", encoding="utf-8")
    result = _run(str(EXAMPLE / "targets.yaml"), "--rules", str(pack), "--format", "json")
    assert json.loads(result.stdout)["summary"]["findings"]["notice"] == 0  # type: ignore[attr-defined]
    pack.write_text("extends: mof-2020\nreview:\n  checks:\n    cost-lower-bnd: off\n", encoding="utf-8")
    result = _run(str(EXAMPLE / "targets.yaml"), "--rules", str(pack))
    assert result.exit_code == 2 and "pack.yaml:4" in result.stderr  # type: ignore[attr-defined]
    assert "did you mean 'cost-lower-bound'" in result.stderr  # type: ignore[attr-defined]


CJK = re.compile(r"[\u4e00-\u9fff]")


def _findings(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (f["code"], f["severity"], json.dumps(f["location"], ensure_ascii=False))
        for p in report["projects"]
        for f in p["findings"]
    ]


def _first_messages(report: dict[str, Any]) -> dict[str, str]:
    first: dict[str, str] = {}
    for p in report["projects"]:
        for f in p["findings"]:
            first.setdefault(f["code"], f["message"])
    return first


def test_findings_speak_the_language_asked_in_the_same_places(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text(BAD.replace("code: P2", "code: XX\n    colour: red"), encoding="utf-8")
    en = _run(str(path), "--format", "json", "--lang", "en")
    zh = _run(str(path), "--format", "json", "--lang", "zh")
    assert en.exit_code == zh.exit_code == 0, en.output + zh.output  # type: ignore[attr-defined]
    english, chinese = json.loads(en.stdout), json.loads(zh.stdout)  # type: ignore[attr-defined]
    assert _findings(english) == _findings(chinese)  # codes, severities and places do not depend on the language
    said, shown = _first_messages(english), _first_messages(chinese)
    assert said["funds-unbalanced"] == "budget 10 万元 ≠ fiscal funds 8 + other funds 1 = 9 万元"
    assert said["unreadable"] == "target '≥95%%' cannot be read from character 5 on"
    assert said["placeholder"] == "project code 'XX' is still a placeholder (XX): fill in what is meant"
    assert said["missing-level1"] == "missing level 1 indicator: 满意度指标"
    assert shown["funds-unbalanced"] == "预算数 10 万元 ≠ 财政资金 8 + 其他资金 1 = 9 万元"
    assert shown["unreadable"] == "指标值“≥95%%”第 5 个字符起无法识别"
    assert shown["placeholder"] == "项目编码“XX”仍是占位符（XX），请填写实际内容"
    assert shown["missing-level1"] == "缺少一级指标：满意度指标"
    for message in shown.values():  # no English prose left: only the user's words, codes and units
        assert CJK.search(message) and not re.search(r"[a-z]{3,} [a-z]{3,}", message), message


def test_a_file_that_is_no_table_is_refused_in_both_languages_at_the_same_place(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    en = _run(str(path), "--lang", "en")
    zh = _run(str(path), "--lang", "zh")
    assert en.exit_code == zh.exit_code == 2
    message = "expected a targets file (department:, year:, projects: …)"
    assert message in en.stderr  # type: ignore[attr-defined]
    before = en.stderr.split(message)[0]  # type: ignore[attr-defined]
    location = before[before.index(str(path)) :]
    assert location == f"{path}:1:1: "
    assert f"{location}应为目标文件（department: 部门、year: 预算年度、projects: 项目 …）" in zh.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in en.output + zh.output  # type: ignore[attr-defined]
