"""`evalengine import` of the files departments have: the bundled department's tables as a real PDF
(LibreOffice prints a Word document), as Word, and as workbooks in each built-in mapping's layout. Each
must give examples/zunhua-2024/targets.yaml field for field. The fixtures are made by
tests/fixtures/make_tables.py into a temporary folder; nothing generated is committed."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from evalengine.cli.app import main
from evalengine.inputs.targets import load_targets
from evalengine.language.words import default_vocabulary

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
import make_tables

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "examples" / "zunhua-2024" / "targets.yaml"
BROKEN = Path(__file__).resolve().parent / "mappings"


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def body(text: str) -> str:
    """A targets file without its first line (which names the file it was imported from)."""
    return text.split("\n", 1)[1]


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("documents")
    make_tables.department_docx(folder / "department.docx")
    make_tables.department_docx(folder / "department-broken.docx", break_after=3)
    if shutil.which("soffice") is None:
        if os.environ.get("EVALENGINE_REQUIRE_LIBREOFFICE"):
            pytest.fail("EVALENGINE_REQUIRE_LIBREOFFICE is set but soffice is missing")
        return folder
    for name in ("department", "department-broken"):
        make_tables.to_pdf(folder / f"{name}.docx", folder)
    return folder


def _pdf(documents: Path, name: str) -> Path:
    path = documents / name
    if not path.exists():
        pytest.skip("LibreOffice (soffice) is not installed: no PDF to read")
    return path


@pytest.mark.parametrize(
    "name", ["department.pdf", "department-broken.pdf", "department.docx", "department-broken.docx"]
)
def test_pdf_and_word_give_the_bundled_targets_file_field_for_field(documents: Path, name: str) -> None:
    source = _pdf(documents, name) if name.endswith(".pdf") else documents / name
    out = documents / f"{name}.yaml"
    result = run("import", str(source), "--year", "2024", "-o", str(out), "--strict")
    assert result.exit_code == 0, result.output
    assert body(out.read_text(encoding="utf-8")) == body(EXPECTED.read_text(encoding="utf-8"))
    assert "read 12 projects, 72 indicators, 预算数 823万元 in all" in result.stderr
    assert "warning" not in result.stderr


def test_a_row_cut_by_the_page_is_joined_to_the_row_above(documents: Path) -> None:
    """In the PDF printed without page breaks, LibreOffice cuts rows at the foot of a page: the rest of a
    description comes on the next page in a row of its own, without 一级/二级/三级."""
    result = run("import", str(_pdf(documents, "department.pdf")), "--format", "json")
    assert result.exit_code == 0
    assert "a row broken by the page goes on here; joined to the row above" in result.stderr
    rows = [i for p in json.loads(result.stdout)["projects"] for i in p["indicators"]]
    assert "调查中用户反馈满意和较满意的数量占调查用户总数量的比率" in [r["description"] for r in rows]


def test_a_table_broken_across_pages_is_stitched_and_its_merged_level1_continued(documents: Path) -> None:
    """department-broken.pdf: every table goes on after 3 rows on a new page, under a repeated header
    row, with the 一级 cell of a group broken by the page left empty."""
    from evalengine.authoring.import_document import import_pdf

    imported = import_pdf(_pdf(documents, "department-broken.pdf"))
    first = imported.data["projects"][0]["indicators"]
    assert [r["level1"] for r in first] == ["产出指标"] * 4 + ["效益指标", "满意度指标"]
    pages = {imported.where[("projects", 0, "indicators", k)].cell.split(" table")[0] for k in range(6)}
    assert len(pages) == 2, pages  # the rows were read from two pages
    assert not imported.warnings


def test_word_tables_keep_merged_cells(documents: Path) -> None:
    from evalengine.authoring.import_document import import_docx

    imported = import_docx(documents / "department.docx")
    rows = imported.data["projects"][0]["indicators"]
    assert [r["level1"] for r in rows[:4]] == ["产出指标"] * 4  # one merged cell over four rows
    assert imported.data["department"] == {"code": "216001", "name": "中共遵化市委政法委本级"}
    assert imported.where[("projects", 0, "indicators", 0)].cell == "table 1 row 10, column 3"


@pytest.mark.parametrize("layout", sorted(make_tables.WORKBOOKS))
@pytest.mark.parametrize("named", [True, False], ids=["--mapping", "detected"])
def test_each_built_in_layout_gives_the_bundled_targets(layout: str, named: bool, tmp_path: Path) -> None:
    source = make_tables.WORKBOOKS[layout](tmp_path / f"{layout}.xlsx")
    out = tmp_path / "targets.yaml"
    args = ["import", str(source), "--year", "2024", "-o", str(out), "--strict"]
    result = run(*args, *(["--mapping", layout] if named else []))
    assert result.exit_code == 0, result.output
    got = yaml.safe_load(out.read_text(encoding="utf-8"))
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    del expected["goals"]  # 第一部分, the department's goals, is in no workbook layout
    assert got == expected
    assert (f"read with the built-in mapping {layout}" in result.stderr) != named
    load_targets(out, default_vocabulary())  # and it loads


def test_evalengines_own_layout_is_still_read_as_before(tmp_path: Path) -> None:
    source = tmp_path / "own.xlsx"
    from hostile_generators import target_table

    target_table(source)
    result = run("import", str(source), "--format", "json")
    assert result.exit_code == 0 and "built-in mapping" not in result.stderr
    assert json.loads(result.stdout)["projects"][0]["code"] == "P001"


def _split_workbook(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "项目"
    ws.append(["项目编码", "P9", "项目名称", "农村公路养护"])
    ws.append(["年度预算数（万元）", 100, "财政资金", 100, "其他资金", 0])
    ws.append([])
    ws.append(["一级指标", "二级指标", "三级指标", "指标值", None, None, "指标方向", "权重", "调整后指标值"])
    ws.append([None, None, None, "指标性质", "指标值", "度量单位"])
    ws.merge_cells("D4:F4")
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_split_targets_directions_weights_and_adjusted_targets(tmp_path: Path) -> None:
    source = _split_workbook(
        tmp_path / "split.xlsx",
        [
            ["产出指标", "数量指标", "养护里程完成率", "≥", 90, "%", None, 20, None],
            [None, "成本指标", "单位成本", "反向", 2, "万元", None, "10分", None],
            [None, "质量指标", "优良率", None, 80, "%", "正向", 10, "85%"],
            [None, "时效指标", "完成时间", "定性", "12月底前", None, None, 10, None],
        ],
    )
    out = tmp_path / "targets.yaml"
    result = run("import", str(source), "--mapping", "split-target", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = yaml.safe_load(out.read_text(encoding="utf-8"))["projects"][0]["indicators"]
    assert [(r["target"], r.get("direction"), r.get("weight")) for r in rows] == [
        ("≥90%", None, "20"),
        ("2万元", "反向", "10分"),  # 正向/反向 in the 指标性质 column is the direction
        ("85%", "正向", "10"),  # the adjusted target is scored
        ("12月底前", None, "10"),  # 定性 says nothing of the target
    ]
    assert (
        "split.xlsx [项目!I8]: 优良率: the adjusted target 85% is scored (the table's 指标值 was 80%)" in result.stderr
    )
    project = load_targets(out, default_vocabulary()).projects[0]
    assert [str(i.predicate.op) for i in project.indicators[:3]] == [">=", "<=", ">="]  # type: ignore[attr-defined]


def test_every_row_or_cell_not_placed_is_a_located_warning_and_the_rest_is_read(tmp_path: Path) -> None:
    source = _split_workbook(
        tmp_path / "odd.xlsx",
        [
            ["产出指标", "数量指标", "养护里程完成率", "≥", 90, "%", None, 20, None],
            [None, None, None, None, None, None, None, None, "备注：见附件"],  # nothing to place it under
            [None, "质量指标", "优良率", None, "—", None, None, 10, None],  # no target
            [None, "时效指标", "完成时间", None, "12月底前", None, None, 10, None],
        ],
    )
    result = run("import", str(source), "--mapping", "split-target", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "odd.xlsx [项目!A7]: a row without 三级指标, not placed: ['备注：见附件']" in result.stderr
    assert "odd.xlsx [项目!E8]: 优良率 has no 指标值" in result.stderr
    names = [r["name"] for r in json.loads(result.stdout)["projects"][0]["indicators"]]
    assert names == ["养护里程完成率", "完成时间"]
    assert run("import", str(source), "--mapping", "split-target", "--strict").exit_code == 1


def test_a_mapping_file_is_validated_with_every_error_located(tmp_path: Path) -> None:
    result = run("mappings", "check", str(BROKEN / "bad-keys.yaml"))
    assert result.exit_code == 2
    for expected in (
        "bad-keys.yaml:4:1 (colums): unknown key 'colums' (did you mean 'columns'?)",
        "bad-keys.yaml:6:3 (columns.levl1): unknown field 'levl1' (did you mean 'level1'?)",
        "bad-keys.yaml:10:3 (labels.budget.column): expected the column's labels",
        "bad-keys.yaml:11:24 (labels.code.value): value: expected one of right, below, last, found 'rigth' "
        "(did you mean 'right'?)",
        "bad-keys.yaml:3:24 (header.row): unknown key 'row' (did you mean 'rows'?)",
        "bad-keys.yaml:12:1 (unit): unit: expected 万元 or 元, found '千元'",
    ):
        assert expected in result.stderr, result.stderr
    source = make_tables.mof_2020_workbook(tmp_path / "mof.xlsx")
    imported = run("import", str(source), "--mapping", str(BROKEN / "bad-keys.yaml"))
    assert imported.exit_code == 2 and "unknown key 'colums'" in imported.stderr and "Traceback" not in imported.output
    unknown = run("import", str(source), "--mapping", "mof-2021")
    assert unknown.exit_code == 2 and "no mapping 'mof-2021' (did you mean 'mof-2020'?)" in unknown.stderr


def test_every_built_in_mapping_is_valid_and_listed() -> None:
    listed = run("mappings", "list")
    names = ["budget-disclosure", "mof-2020", "split-target", "vendor-export"]
    assert all(f"{n}\n" in listed.output for n in names)
    assert run("mappings", "check", *names).exit_code == 0
    shown = run("mappings", "show", "split-target")
    assert shown.exit_code == 0 and "指标性质" in shown.output and yaml.safe_load(shown.output)["header"]["rows"] == 2


def test_the_mapping_reference_is_generated_from_the_schema() -> None:
    from evalengine.sources.mapping import reference

    assert (ROOT / "docs" / "mapping-keys.md").read_text(encoding="utf-8") == reference()


def test_pdf_without_pdfplumber_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pdfplumber", None)  # import pdfplumber now raises ImportError
    source = tmp_path / "budget.pdf"
    source.write_bytes(b"%PDF-1.4\n")
    result = run("import", str(source))
    assert result.exit_code == 2 and "pip install 'evalengine[pdf]'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("name", "content", "message"), [
    ("budget.pdf", b"not a pdf", "cannot read"),
    ("targets.docx", b"not a zip", "cannot read"),
    ("targets.doc", b"", "the old binary format"),
])  # fmt: skip
def test_a_file_that_is_not_what_its_name_says_is_a_located_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    result = run("import", str(source), "-o", str(tmp_path / "out.yaml"))
    assert result.exit_code == 2 and message in result.stderr and name in result.stderr
    assert not (tmp_path / "out.yaml").exists()
