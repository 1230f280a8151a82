"""The Word documents of `review` (the 审核意见) and `audit` (the 复核): read back with python-docx, every
table cell equals the JSON report's value, the audit's 一级 and 二级 cells are merged per group, text
comes out as written, the same input is the same bytes, and a user's own template works or fails
cleanly. (The self-evaluation and monitoring documents: tests/test_docx.py.)"""

from __future__ import annotations

import io
import json
from itertools import groupby
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner, Result
from report_tables import assert_level1_cells_cover_rows, docx_merged_column, docx_tables

from evalengine.audit.model import REASONS
from evalengine.cli.app import main
from evalengine.reports.audit import MODE_ZH
from evalengine.reports.audit import VERDICT_ZH as AUDIT_VERDICT_ZH
from evalengine.reports.review import REVIEW_SEVERITY_ZH, VERDICT_ZH

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zunhua-2024"
REVIEW = ["review", str(EXAMPLE / "targets.yaml")]
AUDIT = ["audit", str(ROOT / "examples" / "audit" / "tables.yaml")]
HOSTILE = "<2400元 & “引号” 'x' {{ p.name }} {%p if %} ]]>"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def json_report(args: list[str]) -> dict[str, Any]:
    result = run(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def docx_of(args: list[str], tmp_path: Path, *extra: str, name: str = "out.docx") -> bytes:
    out = tmp_path / name
    result = run(*args, "-o", str(out), *extra)
    assert result.exit_code in (0, 1), result.output
    assert f"wrote {out}" in result.stderr
    return out.read_bytes()


def cells(row: list[tuple[str, int, str | None]]) -> list[str]:
    return [text for text, _, _ in row]


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def a4(data: bytes) -> tuple[int, int]:
    section = docx.Document(io.BytesIO(data)).sections[0]
    return round(section.page_width.mm), round(section.page_height.mm)


# ---- review: the 审核意见 -----------------------------------------------------------------------------


def _hostile_targets(folder: Path) -> Path:
    """A table with markup-like text in its names, a placeholder target and an empty one: findings to list."""
    indicators = [
        {"level1": "产出指标", "level2": "数量指标", "name": f"补助人数{HOSTILE}", "target": "XX人"},
        {"level1": "产出指标", "level2": "质量指标", "name": "合格率", "target": "≥95%"},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "群众知晓率", "target": "≥90%"},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "满意度", "target": "≥85%"},
    ]
    targets = {
        "department": {"code": "1", "name": "测试<部门>&"},
        "year": 2024,
        "projects": [
            {"code": "P1", "name": "项目<A>&B", "budget": {"total": 10}, "indicators": indicators},
            {
                "code": "P2",
                "name": "无问题项目",
                "budget": {"total": 5},
                "indicators": [dict(i) for i in indicators[1:]],
            },
        ],
    }
    path = folder / "targets.yaml"
    path.write_text(yaml.safe_dump(targets, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(
    scope="module",
    params=["example", "hostile"],
)
def reviewed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], bytes]:
    folder = tmp_path_factory.mktemp("review")
    args = REVIEW if request.param == "example" else ["review", str(_hostile_targets(folder))]
    return json_report(args), docx_of(args, folder)


def test_the_review_tables_equal_the_json(reviewed: tuple[dict[str, Any], bytes]) -> None:
    report, data = reviewed
    tables = docx_tables(data)
    overview = tables.pop(0)
    assert cells(overview[0]) == [
        "项目编码",
        "项目名称",
        "预算数（万元）",
        "指标数",
        "定量指标占比（%）",
        "错误",
        "提示",
        "关注",
        "审核意见",
    ]
    assert [cells(r) for r in overview[1:]] == [
        [
            p["code"],
            p["name"],
            p["budget"] or "—",
            str(p["indicators"]),
            p["quantified_share"] or "—",
            str(p["counts"]["error"]),
            str(p["counts"]["warning"]),
            str(p["counts"]["notice"]),
            VERDICT_ZH[p["verdict"]],
        ]
        for p in report["projects"]
    ]
    by_code = report["summary"]["by_code"]
    if by_code:
        table = tables.pop(0)
        assert cells(table[0]) == ["问题", "代码", "级别", "条数"]
        expected = [[c["title"], c["code"], REVIEW_SEVERITY_ZH[c["severity"]], str(c["count"])] for c in by_code]
        assert [cells(r) for r in table[1:]] == expected
    with_findings = [p for p in report["projects"] if p["findings"]]
    assert len(tables) == len(with_findings)  # a table of findings for each project that has any
    for p, table in zip(with_findings, tables, strict=True):
        assert cells(table[0]) == ["序号", "级别", "指标", "审核意见", "代码", "位置"]
        expected = [
            [
                str(n),
                REVIEW_SEVERITY_ZH[f["severity"]],
                f["indicator"] or "",
                f["message"],
                f["code"],
                f["location"]["place"] or f["location"]["text"],
            ]
            for n, f in enumerate(p["findings"], start=1)
        ]
        assert [cells(r) for r in table[1:]] == expected, p["code"]


def test_the_review_reads_as_the_markdown_does(reviewed: tuple[dict[str, Any], bytes]) -> None:
    report, data = reviewed
    text = paragraphs(data)
    s = report["summary"]
    assert text[0].endswith("项目绩效目标审核意见") and text[0].startswith("、".join(report["departments"]))
    assert f"本次审核项目 {s['projects']} 个，指标 {s['indicators']} 个，其中定量指标 {s['quantified']} 个" in text[2]
    for v, n in s["verdicts"].items():
        assert f"{VERDICT_ZH[v]} {n} 个" in text[2]
    for n, p in enumerate(report["projects"], start=1):
        assert f"{n}. {p['name']}（{p['code']}）：{VERDICT_ZH[p['verdict']]}" in text
    assert text.count("未发现问题。") == sum(1 for p in report["projects"] if not p["findings"])
    assert "审核单位（盖章）：____________" in text
    assert a4(data) == (210, 297)


def test_review_text_comes_out_as_written(tmp_path: Path) -> None:
    args = ["review", str(_hostile_targets(tmp_path))]
    report = json_report(args)
    data = docx_of(args, tmp_path)
    overview = docx_tables(data)[0]
    assert cells(overview[1])[1] == "项目<A>&B"
    assert paragraphs(data)[0].startswith("测试<部门>&")
    indicators = [c for t in docx_tables(data)[1:] for r in t for c in cells(r) if c.startswith("补助人数")]
    assert indicators and set(indicators) == {f"补助人数{HOSTILE}"}
    placeholder = [f for f in report["projects"][0]["findings"] if f["code"] == "placeholder"]
    assert placeholder, "the table was built to trigger a placeholder finding"


def test_a_files_own_findings_are_under_notes(tmp_path: Path) -> None:
    targets = yaml.safe_load((EXAMPLE / "targets.yaml").read_text(encoding="utf-8"))
    targets["projects"], targets["bogus"] = targets["projects"][:1], 1  # a key no table has: unreadable
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(targets, allow_unicode=True), encoding="utf-8")
    report = json_report(["review", str(path)])
    (finding,) = report["tables"][0]["findings"]
    text = paragraphs(docx_of(["review", str(path)], tmp_path))
    at = text.index("四、说明")
    assert text[at + 1] == f"【错误】{finding['message']}（{finding['code']}，{finding['location']['place']}）"
    assert "四、说明" not in paragraphs(docx_of(REVIEW, tmp_path, name="example.docx"))  # only when there are any


# ---- audit: the 复核 --------------------------------------------------------------------------------


def _verdict(check: dict[str, Any]) -> str:
    return AUDIT_VERDICT_ZH[check["verdict"]] + "".join(f" {code}" for code in check["reasons"])


def _hostile_tables(folder: Path) -> Path:
    rows = [
        {"level1": "产出指标", "level2": "数量指标", "name": f"人数{HOSTILE}", "target": "≥10人", "actual": "10人",
         "weight": 30, "score": 29},
        {"level1": "产出指标", "level2": "数量指标", "name": "次数", "target": "≥4次", "actual": "4次", "weight": 20,
         "score": 20},
        {"level1": "产出指标", "level2": "质量指标", "name": "合格率", "target": "≥95%", "actual": "九成",
         "weight": 10, "score": 10},
        {"level1": "效益指标", "level2": "数量指标", "name": "覆盖率", "target": "≥90%", "actual": "90%", "weight": 20,
         "score": 20},
        {"level1": "满意度指标", "level2": "满意度指标", "name": "满意度", "target": "≥90%", "actual": "95%",
         "weight": 10, "score": 10},
    ]  # fmt: skip
    doc = {
        "year": 2024,
        "department": "测试<部门>&",
        "tables": [
            {"project": "项目<A>&B", "budget": {"initial": 10, "adjusted": 10, "spent": 9, "weight": 10, "score": 9},
             "indicators": rows, "total": 98},
        ],
    }  # fmt: skip
    path = folder / "tables.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scored_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("score") / "report.xlsx"
    assert run("score", str(EXAMPLE / "actuals.yaml"), "-o", str(out)).exit_code == 0
    return out


@pytest.fixture(scope="module", params=["example", "scored-xlsx", "hostile"])
def audited(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, scored_xlsx: Path
) -> tuple[dict[str, Any], bytes]:
    folder = tmp_path_factory.mktemp("audit")
    args = {
        "example": AUDIT,
        "scored-xlsx": ["audit", str(scored_xlsx)],  # 12 tables of several 一级 and 二级 groups each
        "hostile": ["audit", str(_hostile_tables(folder))],
    }[request.param]
    return json_report(args), docx_of(args, folder)


AUDIT_HEADS = "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 表中得分 复算得分 结论 说明".split()


def test_the_audit_overview_and_reasons_equal_the_json(audited: tuple[dict[str, Any], bytes]) -> None:
    report, data = audited
    tables = docx_tables(data)
    overview = tables[0]
    assert cells(overview[0]) == ["项目", "结论", "取整", "表中总分", "得分合计", "复算总分", "不一致", "无法核对"]
    expected = []
    for t in report["tables"]:
        checks = [t["budget"], *t["rows"]]
        expected.append(
            [
                t["project"] or "（未填项目名称）",
                AUDIT_VERDICT_ZH[t["verdict"]],
                f"{t['rounding']['places']}位小数，{MODE_ZH[t['rounding']['mode']]}",
                t["total"]["printed"] or "—",
                t["total"]["sum_of_printed"] or "—",
                t["total"]["recomputed"] or "—",
                str(sum(c["verdict"] == "inconsistent" for c in checks)),
                str(sum(c["verdict"] == "unchecked" for c in checks)),
            ]
        )
    assert [cells(r) for r in overview[1:]] == expected
    reasons = report["summary"]["reasons"]
    if reasons:
        assert [cells(r) for r in tables[1]] == [
            ["问题", "代码", "处数"],
            *([REASONS[code], code, str(n)] for code, n in reasons.items()),
        ]
    else:
        assert "未发现与评分规则不符之处。" in paragraphs(data)
    assert len(tables) == 1 + bool(reasons) + len(report["tables"])


def test_every_audited_row_equals_the_json(audited: tuple[dict[str, Any], bytes]) -> None:
    report, data = audited
    per_table = docx_tables(data)[-len(report["tables"]) :]
    for t, rows in zip(report["tables"], per_table, strict=True):
        assert cells(rows[0]) == AUDIT_HEADS
        b = t["budget"]
        assert cells(rows[1]) == [
            "预算执行率",
            "—",
            b["rate"] or "—",
            b["weight"] or "—",
            b["printed"] or "—",
            b["recomputed"] or "—",
            _verdict(b),
            b["explanation"] or "",
        ]
        assert rows[1][0][1] == 3  # across 一级, 二级 and 三级
        body = rows[2:-1]
        assert len(body) == len(t["rows"]), t["project"]
        for row, r in zip(body, t["rows"], strict=True):
            expected = [
                r["name"],
                r["target"] or "",
                r["actual"] or "",
                r["weight"] or "—",
                r["printed"] or "—",
                r["recomputed"] or "—",
                _verdict(r),
                r["explanation"] or "",
            ]
            assert cells(row)[2:] == expected, (t["project"], r["name"])
        total = t["total"]
        assert cells(rows[-1]) == [
            "总分",
            t["weights"]["printed"] or "—",
            total["printed"] or "—",
            total["recomputed"] or "—",
            _verdict(total),
            total["explanation"] or "",
        ]
        assert rows[-1][0][1] == 5


def test_the_audits_level1_and_level2_cells_are_merged_per_group(audited: tuple[dict[str, Any], bytes]) -> None:
    report, data = audited
    per_table = docx_tables(data)[-len(report["tables"]) :]
    for t, rows in zip(report["tables"], per_table, strict=True):
        body = rows[2:-1]
        level1 = [r["level1"] or "" for r in t["rows"]]
        assert_level1_cells_cover_rows(level1, docx_merged_column(body, 0), t["project"])
        level2, start = [], 0
        for (_, name), group in groupby((r["level1"] or "", r["level2"] or "") for r in t["rows"]):
            n = len(list(group))
            level2.append((start, n, name))
            start += n
        assert docx_merged_column(body, 1) == level2, t["project"]
    assert any(span > 1 for rows in per_table for _, span, _ in docx_merged_column(rows[2:-1], 0))  # merging is tested


def test_the_audit_reads_as_the_markdown_does(audited: tuple[dict[str, Any], bytes]) -> None:
    report, data = audited
    text = paragraphs(data)
    s = report["summary"]
    assert text[0] == "、".join(report["departments"]) + "项目支出绩效自评表复核"
    for v, n in s["verdicts"].items():
        assert f"{AUDIT_VERDICT_ZH[v]} {n} 张" in text[2]
    if s["average"]["tables"]:
        assert f"平均总分：表中 {s['average']['printed']}，按规则复算 {s['average']['recomputed']}" in text[2]
    for n, t in enumerate(report["tables"], start=1):
        code = f"（{t['code']}）" if t["code"] else ""
        assert f"{n}. {t['project']}{code}：{AUDIT_VERDICT_ZH[t['verdict']]}" in text
        for p in t["problems"]:
            assert f"{p['message']}（{p['place']}）" in text
        if t["weights"]["reason"]:
            assert (
                f"{REASONS[t['weights']['reason']]}（{t['weights']['reason']}）：{t['weights']['explanation']}" in text
            )
    assert a4(data) == (297, 210)  # landscape, as wide as the 自评表 with two more columns


def test_audit_text_comes_out_as_written(tmp_path: Path) -> None:
    args = ["audit", str(_hostile_tables(tmp_path))]
    report = json_report(args)
    data = docx_of(args, tmp_path)
    rows = docx_tables(data)[-1]
    assert cells(rows[2])[2] == f"人数{HOSTILE}"
    assert cells(docx_tables(data)[0][1])[0] == "项目<A>&B"
    assert docx_merged_column(rows[2:-1], 1)[:2] == [(0, 2, "数量指标"), (2, 1, "质量指标")]  # a level-2 group of two
    assert paragraphs(data)[0] == "测试<部门>&项目支出绩效自评表复核"
    t = report["tables"][0]
    assert t["rows"][0]["reason"] == "met-docked" and t["problems"], "built to be inconsistent and to hold a problem"


# ---- both: reproducible, the user's own template ------------------------------------------------------


@pytest.mark.parametrize("command", [REVIEW, AUDIT], ids=["review", "audit"])
def test_the_same_input_is_the_same_bytes(command: list[str], tmp_path: Path) -> None:
    first = docx_of(command, tmp_path, name="a.docx")
    assert first == docx_of(command, tmp_path, name="b.docx")
    assert first[:2] == b"PK"


def _template(path: Path, *texts: str) -> Path:
    document = docx.Document()
    for text in texts:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def test_a_user_template_renders_a_review_and_an_audit(tmp_path: Path) -> None:
    review = _template(
        tmp_path / "review.docx",
        "{%p for p in report.projects %}",
        "{{ p.code }} {{ VERDICT_ZH[p.verdict] }} {{ p.findings | length }}",
        "{%p endfor %}",
    )
    report = json_report(REVIEW)
    data = docx_of(REVIEW, tmp_path, "--template", str(review), name="r.docx")
    assert paragraphs(data) == [f"{p['code']} 通过 {len(p['findings'])}" for p in report["projects"]]
    audit = _template(
        tmp_path / "audit.docx",
        "{%p for t in report.tables %}",
        "{{ t.project }} {{ AUDIT_VERDICT_ZH[t.verdict] }} {{ REASONS[t.total.reason] if t.total.reason else '' }}",
        "{%p endfor %}",
    )
    data = docx_of(AUDIT, tmp_path, "--template", str(audit), name="a.docx")
    assert paragraphs(data) == ["水土保持监测 不一致 总分与复算总分不符", "小型水库维修养护 不一致 总分与复算总分不符"]


@pytest.mark.parametrize("command", [REVIEW, AUDIT], ids=["review", "audit"])
def test_a_bad_user_template_fails_cleanly(command: list[str], tmp_path: Path) -> None:
    template = _template(tmp_path / "bad.docx", "第一段", "{{ report.summary.projcts }}", "最后一段")
    out = tmp_path / "out.docx"
    result = run(*command, "-o", str(out), "--template", str(template))
    assert result.exit_code == 2, result.output
    assert str(template) in result.stderr and "the Word template does not render" in result.stderr
    assert "projcts" in result.stderr and "最后一段" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("command", [REVIEW, AUDIT], ids=["review", "audit"])
def test_docx_needs_a_file_and_a_template_needs_docx(command: list[str], tmp_path: Path) -> None:
    result = run(*command, "--format", "docx")
    assert result.exit_code == 2 and "writes a file" in result.stderr
    template = _template(tmp_path / "t.docx", "{{ report.kind }}")
    result = run(*command, "-o", str(tmp_path / "out.md"), "--template", str(template))
    assert result.exit_code == 2 and "--template" in result.stderr
    assert not (tmp_path / "out.md").exists()
