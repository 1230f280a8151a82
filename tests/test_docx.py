"""The Word report: the 自评表 read back from the .docx equals the JSON report, merged cells are merged,
text comes out as written, the same report is the same bytes, the committed templates are their
source's build, and a user's own template works or fails cleanly."""

from __future__ import annotations

import importlib.util
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner, Result
from report_tables import docx_merged_column, docx_tables

from evalengine.cli.app import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zunhua-2024"
SCORE = ["score", str(EXAMPLE / "actuals.yaml")]
MONITOR = ["monitor", str(EXAMPLE / "monitoring" / "actuals-2024-06.yaml"), "--as-of", "2024-06-30"]


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def json_report(args: list[str]) -> dict[str, Any]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def docx_of(args: list[str], tmp_path: Path, *extra: str, name: str = "report.docx") -> bytes:
    out = tmp_path / name
    result = run(*args, "-o", str(out), *extra)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def text_of(data: bytes) -> str:
    """Every paragraph of the body, tables included, one a line."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    lines += ["\n".join(c[0] for row in rows for c in row) for rows in docx_tables(data)]
    return "\n".join(lines)


def forms(data: bytes) -> list[list[list[tuple[str, int, str | None]]]]:
    return [rows for rows in docx_tables(data) if rows and rows[0][0][0] == "项目名称"]


def cells(row: list[tuple[str, int, str | None]]) -> list[str]:
    return [text for text, _, _ in row]


FUNDS = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
INDICATOR_HEADS = "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施".split()

# ---- the 自评表 equals the JSON ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], bytes]:
    return json_report(SCORE), docx_of(SCORE, tmp_path_factory.mktemp("docx"))


def test_every_project_has_its_form_in_the_reports_order(example: tuple[dict[str, Any], bytes]) -> None:
    report, data = example
    tables = forms(data)
    assert len(report["projects"]) == 12
    assert [cells(t[0])[1] for t in tables] == [p["name"] for p in report["projects"]]


def test_the_forms_cells_equal_the_json(example: tuple[dict[str, Any], bytes]) -> None:
    report, data = example
    for p, rows in zip(report["projects"], forms(data), strict=True):
        e, b = p["execution"], p["budget"]
        assert cells(rows[0]) == ["项目名称", p["name"]]
        assert cells(rows[1]) == ["主管部门", p["department"], "实施单位", p["unit"]]
        assert cells(rows[2]) == [
            "项目资金（万元）",
            "",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ]
        total = [b["total"], e["budget"], e["spent"] or "", e["weight"], f"{e['rate']}%", e["score"]]
        assert cells(rows[3]) == ["", "年度资金总额", *total]
        assert cells(rows[4]) == ["", "其中：财政拨款", b["fiscal"], "", "", "—", "", "—"]
        assert cells(rows[5]) == ["", "其他资金", b["other"], "", "", "—", "", "—"]
        assert [r[0][2] for r in rows[2:6]] == ["restart", "continue", "continue", "continue"]
        assert cells(rows[6]) == ["年度总体目标", "预期目标", "实际完成情况"]
        assert cells(rows[7]) == ["", "\n".join(p["goals"]), p["summary"] or "【待填写：实际完成情况】"]
        head = cells(rows[8])
        assert head == [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ]
        body = rows[9:-1]
        assert len(body) == len(p["indicators"])
        for row, i in zip(body, p["indicators"], strict=True):
            score = i["score"] if i["status"] != "na" else "不适用"
            expected = [i["name"], i["target"], i["actual"] or "", i["weight"], score, i["explanation"] or ""]
            assert cells(row)[2:] == expected, p["code"]
        assert cells(rows[-1]) == ["总分", "100", p["total"], f"等级：{p['grade']}"]
        assert rows[-1][0][1] == 5  # 总分 spans the five text columns


def test_level1_and_level2_cells_are_merged_per_group(example: tuple[dict[str, Any], bytes]) -> None:
    report, data = example
    for p, rows in zip(report["projects"], forms(data), strict=True):
        body = rows[9:-1]
        level1 = [(n, i["level1_rows"], i["level1"]) for n, i in enumerate(p["indicators"]) if i["level1_rows"]]
        assert docx_merged_column(body, 0) == level1
        level2, n = [], 0
        for i in p["indicators"]:
            if level2 and level2[-1][2] == i["level2"] and p["indicators"][n - 1]["level1"] == i["level1"]:
                level2[-1] = (level2[-1][0], level2[-1][1] + 1, i["level2"])
            else:
                level2.append((n, 1, i["level2"]))
            n += 1
        assert docx_merged_column(body, 1) == level2


def test_level2_cells_merge_within_their_level1_group(tmp_path: Path) -> None:
    """The example has no level-2 group of two rows: these inputs have one, and a level 2 named again under
    another level 1 (a new cell)."""
    data = docx_of(["score", str(_inputs(tmp_path))], tmp_path)
    (form,) = forms(data)
    body = form[9:-1]
    assert docx_merged_column(body, 0) == [(0, 3, "产出指标"), (3, 1, "效益指标")]
    assert docx_merged_column(body, 1) == [(0, 2, "数量指标"), (2, 1, "质量指标"), (3, 1, "数量指标")]


def test_the_report_follows_the_outline(example: tuple[dict[str, Any], bytes]) -> None:
    report, data = example
    text = text_of(data)
    outline = ["一、基本情况", "（一）项目概况", "（二）资金情况", "（三）绩效目标", "二、绩效自评工作开展情况"]
    outline += ["三、综合评价结论", "四、绩效指标完成情况分析", "五、存在的问题及原因", "六、有关建议"]
    for heading in outline:
        assert text.count(heading) == 12, heading
    assert text.count("附件：项目支出绩效自评表") == 12
    assert text.count("【待填写：自评工作的组织、依据、方法和过程】") == 12  # the example writes no narrative
    for p in report["projects"]:
        assert f"项目自评总分 {p['total']} 分，等级为“{p['grade']}”" in text
        for i in p["indicators"]:
            if i["status"] in ("partial", "unmet", "missing"):
                reason = i["explanation"] or "【待填写：偏差原因分析及改进措施】"
                assert f"{i['name']}：年度指标值 {i['target']}" in text and reason in text
    for p in report["projects"]:
        for f in p["findings"]:
            assert f"{p['name']}：{f['message']}（{f['code']}）" in text


def test_each_project_starts_a_page_and_the_page_is_a4(example: tuple[dict[str, Any], bytes]) -> None:
    _, data = example
    document = docx.Document(io.BytesIO(data))
    titles = [p for p in document.paragraphs if p.text.endswith("绩效自评报告") and p.style.name == "Title"]
    assert len(titles) == 13  # the department's, then one for each project
    assert all(p.paragraph_format.page_break_before for p in titles[1:])
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert 'w:eastAsia="仿宋_GB2312"' in styles and 'w:eastAsia="黑体"' in styles and 'w:eastAsia="宋体"' in styles
    footer = zipfile.ZipFile(io.BytesIO(data)).read("word/footer1.xml").decode()
    assert "PAGE" in footer


# ---- text as written --------------------------------------------------------------------------------

HOSTILE = "<2400元 & “引号” 'x' {{ p.name }} {%p if %} ]]>"


def _inputs(folder: Path, **project: Any) -> Path:
    rows = [("产出指标", "数量指标", "覆盖率"), ("产出指标", "数量指标", "人数"), ("产出指标", "质量指标", "合格率")]
    rows.append(("效益指标", "数量指标", "受益率"))
    indicators = [{"level1": a, "level2": b, "name": c, "target": "≥95%"} for a, b, c in rows]
    budget = {"total": 10, "fiscal": 10, "other": 0}
    targets = {
        "department": {"code": "1", "name": "测试<部门>&"},
        "year": 2024,
        "projects": [{"code": "P1", "name": "项目<A>&B", "budget": budget, "indicators": indicators}],
    }
    (folder / "targets.yaml").write_text(yaml.safe_dump(targets, allow_unicode=True), encoding="utf-8")
    actual = {"覆盖率": "96%", "人数": "96%", "合格率": "96%", "受益率": {"value": "90%", "explanation": HOSTILE}}
    entry = {"code": "P1", "execution": {"spent": 9}, "indicators": actual}
    entry.update(project)
    doc = {"targets": "targets.yaml", "year": 2024, "projects": [entry]}
    path = folder / "actuals.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_text_comes_out_as_written(tmp_path: Path) -> None:
    actuals = _inputs(tmp_path, summary="完成<90%> & 达标")
    data = docx_of(["score", str(actuals)], tmp_path)
    (form,) = forms(data)
    assert cells(form[0])[1] == "项目<A>&B"
    assert cells(form[1])[1] == "测试<部门>&"
    assert cells(form[-2])[-1] == HOSTILE  # control characters are refused when read (tests/hostile)
    assert "完成<90%> & 达标" in text_of(data)


def test_the_evaluators_words_and_signoff_come_from_the_actuals_file(tmp_path: Path) -> None:
    narrative = {"work": "成立自评小组<3人>", "problems": "问题 & 原因", "suggestions": "建议", "overview": "概况"}
    actuals = _inputs(tmp_path, narrative=narrative, signoff={"preparer": "张三", "phone": "0315-1234567"})
    doc = yaml.safe_load(actuals.read_text(encoding="utf-8"))
    doc["signoff"] = {"head": "李四", "preparer": "王五", "date": "2025-01-20"}  # the file's, under the project's
    actuals.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    text = text_of(docx_of(["score", str(actuals)], tmp_path))
    for value in narrative.values():
        assert value in text
    assert "【待填写" not in text.replace("【待填写：实际完成情况】", "")
    assert "填报人：张三" in text and "联系电话：0315-1234567" in text
    assert "填报日期：2025-01-20" in text and "单位负责人：李四" in text
    report = json_report(["score", str(actuals)])
    assert report["projects"][0]["narrative"] == narrative
    assert report["projects"][0]["signoff"] == {
        "preparer": "张三",
        "phone": "0315-1234567",
        "date": "2025-01-20",
        "head": "李四",
    }


def test_a_narrative_that_is_not_text_is_a_located_error(tmp_path: Path) -> None:
    actuals = _inputs(tmp_path, narrative={"work": ["a", "b"], "problem": "x"})
    out = tmp_path / "report.docx"
    result = run("score", str(actuals), "-o", str(out))
    assert result.exit_code == 2
    assert "projects[0].narrative.work" in result.stderr and "expected text" in result.stderr
    assert "projects[0].narrative.problem" in result.stderr and "problems" in result.stderr  # did you mean
    assert not out.exists()


def test_the_bundled_json_has_no_narrative_keys(example: tuple[dict[str, Any], bytes]) -> None:
    """The keys appear only where an actuals file gives them: the example's reports are unchanged."""
    report, _ = example
    assert not any("narrative" in p or "signoff" in p for p in report["projects"])


# ---- history: 上年总分 and 同比 ------------------------------------------------------------------------


def test_with_history_the_overview_gains_last_years_total_and_the_change(tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite"
    recorded = run("score", str(EXAMPLE / "history" / "2023" / "actuals.yaml"), "--record", "--history", str(history))
    assert recorded.exit_code == 0, recorded.output
    args = ["score", str(EXAMPLE / "history" / "2024" / "actuals.yaml"), "--history", str(history)]
    report = json_report(args)
    data = docx_of(args, tmp_path)
    overview = docx_tables(data)[0]
    assert cells(overview[0])[-3:] == ["上年总分", "同比", "问题"]
    assert [cells(r)[5:] for r in overview[1:-1]] == [
        [p["total"], p["grade"], p["previous"]["total"] if p["previous"] else "—", p["change"] or "—",
         str(len(p["findings"]))]
        for p in report["projects"]
    ]  # fmt: skip
    assert any(p["change"] not in (None, "0.00") for p in report["projects"])  # a change to show
    assert cells(overview[-1])[-3:] == ["", "", ""]  # the 合计 row has no 上年总分
    text = text_of(data)
    for p in report["projects"]:
        if p["previous"]:
            assert f"上年（{p['previous']['year']}年）总分 {p['previous']['total']} 分，同比 {p['change']} 分。" in text


def test_without_history_the_overview_is_as_before(example: tuple[dict[str, Any], bytes]) -> None:
    """No `previous`/`change` keys: the eight columns, no 同比 anywhere (the bytes are those of the template
    without the history branch: measured when it was added)."""
    report, data = example
    overview = docx_tables(data)[0]
    assert cells(overview[0]) == [
        "序号",
        "项目名称",
        "预算数（万元）",
        "全年执行数（万元）",
        "执行率（%）",
        "总分",
        "等级",
        "问题",
    ]
    assert len(overview) == len(report["projects"]) + 2
    assert "同比" not in text_of(data) and "上年" not in text_of(data)


# ---- reproducible -----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [SCORE, MONITOR], ids=["score", "monitor"])
def test_the_same_report_is_the_same_bytes(command: list[str], tmp_path: Path) -> None:
    first = docx_of(command, tmp_path, name="a.docx")
    second = docx_of(command, tmp_path, name="b.docx")
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core and "<dc:creator>evalengine</dc:creator>" in core


def _build_module() -> Any:
    spec = importlib.util.spec_from_file_location("build_docx", ROOT / "templates" / "build_docx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_templates_are_a_fresh_build(tmp_path: Path) -> None:
    written = _build_module().build(tmp_path)  # into tmp_path: the committed files are only read
    assert sorted(p.name for p in written) == ["audit.docx", "monitor.docx", "report.docx", "review.docx"]
    for fresh in written:
        with zipfile.ZipFile(fresh) as new, zipfile.ZipFile(ROOT / "templates" / fresh.name) as old:
            assert new.namelist() == old.namelist(), fresh.name
            for name in new.namelist():
                assert new.read(name) == old.read(name), (
                    f"templates/{fresh.name}: {name} differs from a fresh build: run python templates/build_docx.py"
                )


# ---- monitoring -------------------------------------------------------------------------------------


def test_the_monitor_document_lists_projects_worst_first(tmp_path: Path) -> None:
    report = json_report(MONITOR)
    data = docx_of(MONITOR, tmp_path)
    overview = docx_tables(data)[0]
    assert cells(overview[0])[:2] == ["灯", "项目名称"]
    lights = {"red": "红", "yellow": "黄", "green": "绿", "blue": "蓝"}
    assert [cells(r)[:2] for r in overview[1:]] == [[lights[p["light"]], p["name"]] for p in report["projects"]]
    assert [cells(r)[3] for r in overview[1:]] == [p["spending"]["spent"] for p in report["projects"]]
    section = docx.Document(io.BytesIO(data)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)  # A4 landscape
    per_project = docx_tables(data)[1:]
    assert [len(t) - 1 for t in per_project] == [len(p["indicators"]) for p in report["projects"]]


# ---- the user's own template ------------------------------------------------------------------------


def _template(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def test_a_user_template_with_the_documented_variables_works(tmp_path: Path) -> None:
    template = _template(
        tmp_path / "province.docx",
        "{{ report.departments[0] }} 共 {{ report.summary.projects }} 个项目",
        "{%p for p in report.projects %}",
        "{{ p.name }}：{{ p.total }}（{{ p.grade }}）{{ p.signoff.preparer or '' }}",
        "{%p endfor %}",
    )
    report = json_report(SCORE)
    data = docx_of(SCORE, tmp_path, "--template", str(template))
    lines = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert lines[0] == f"{report['departments'][0]} 共 12 个项目"
    assert lines[1:] == [f"{p['name']}：{p['total']}（{p['grade']}）" for p in report["projects"]]
    monitor = json_report(MONITOR)
    template = _template(
        tmp_path / "lights.docx",
        "{%p for p in report.projects %}",
        "{{ LIGHT_ZH[p.light] }} {{ p.name }} {{ p.spending.lag | lag }}",
        "{%p endfor %}",
    )
    data = docx_of(MONITOR, tmp_path, "--template", str(template), name="lights.docx")
    lines = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert len(lines) == len(monitor["projects"]) and lines[0].startswith("红 ")


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("{% for p in report.projects %}{{ p.name }}{% endfo %}", ["endfo", "{% for p in report.projects %}"]),
        ("总分 {{ report.projects[0].totl }}", ["totl", "总分 {{ report.projects[0].totl }}"]),
        ("{{ report.__class__.__mro__ }}", ["__class__", "{{ report.__class__.__mro__ }}"]),  # the sandbox
        ("{{ p.name ", ["{{ p.name"]),
    ],
    ids=["unknown-tag", "unknown-variable", "unsafe-attribute", "unclosed"],
)
def test_a_bad_template_fails_cleanly_naming_template_tag_and_paragraph(
    paragraph: str, expected: list[str], tmp_path: Path
) -> None:
    template = _template(tmp_path / "bad.docx", "第一段", paragraph, "最后一段")
    out = tmp_path / "report.docx"
    result = run(*SCORE, "-o", str(out), "--template", str(template))
    assert result.exit_code == 2, result.output
    assert str(template) in result.stderr and "the Word template does not render" in result.stderr
    for text in expected:
        assert text in result.stderr
    if "}}" in paragraph or "%}" in paragraph:  # (docxtpl runs an unclosed tag on into the next paragraph)
        assert "最后一段" not in result.stderr  # the paragraph at fault, not the whole document
    assert not out.exists()


@pytest.mark.parametrize("content", [b"", b"not a zip", None], ids=["empty", "not-a-docx", "missing"])
def test_a_template_that_is_not_a_word_document_is_refused(content: bytes | None, tmp_path: Path) -> None:
    template = tmp_path / "t.docx"
    if content is not None:
        template.write_bytes(content)
    out = tmp_path / "report.docx"
    result = run(*SCORE, "-o", str(out), "--template", str(template))
    assert result.exit_code == 2 and str(template) in result.stderr
    assert ("not found" if content is None else "not a Word document") in result.stderr
    assert not out.exists()


def test_template_and_format_must_agree(tmp_path: Path) -> None:
    template = _template(tmp_path / "t.docx", "{{ report.rules }}")
    result = run(*SCORE, "-o", str(tmp_path / "r.md"), "--template", str(template))
    assert result.exit_code == 2 and "--template" in result.stderr and "docx" in result.stderr
    result = run(*SCORE, "--format", "docx")
    assert result.exit_code == 2 and "writes a file" in result.stderr
    assert not list(tmp_path.glob("r.*"))
