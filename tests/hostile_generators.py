"""Makers of the hostile inputs a YAML case cannot hold as text: workbooks, bytes, devices, pipes.

A case names one under `binary_files:` as `name: {generator: <function>, ...arguments}`; the runner
calls `<function>(path, **arguments)`, which creates the entry at `path`.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl import Workbook

CODE = "P001"


def encoded(path: Path, text: str, encoding: str) -> None:
    """`text` saved in `encoding` (gbk, gb18030 …), as Notepad saves on a Chinese Windows."""
    path.write_bytes(text.encode(encoding))


def long_number(path: Path, text: str, digits: int = 5000) -> None:
    """`text` with NUMBER replaced by a number of `digits` nines (too long to write into a case)."""
    path.write_text(text.replace("NUMBER", "9" * digits), encoding="utf-8")


def raw_bytes(path: Path, hex: str, repeat: int = 1) -> None:
    """Bytes given in hexadecimal, `repeat` times."""
    path.write_bytes(bytes.fromhex(hex) * repeat)


def sparse(path: Path, size: int, head: str = "") -> None:
    """A file of `size` bytes that takes no disk space: `head`, then zero bytes."""
    with path.open("wb") as handle:
        handle.write(head.encode("utf-8"))
        handle.truncate(size)


def fifo(path: Path) -> None:
    """A named pipe: opening it for reading blocks until someone writes."""
    os.mkfifo(path)


def directory(path: Path) -> None:
    path.mkdir()


def symlink(path: Path, to: str) -> None:
    path.symlink_to(to)


def nested_json(path: Path, depth: int) -> None:
    """A JSON actuals file whose `projects` nests lists `depth` deep."""
    path.write_text('{"targets": "targets.yaml", "year": 2024, "projects": ' + "[" * depth + "]" * depth + "}")


def nested_yaml(path: Path, depth: int) -> None:
    """A YAML actuals file whose first project nests mappings `depth` deep in block style."""
    lines = ["targets: targets.yaml", "year: 2024", "projects:", f"  - code: {CODE}", "    indicators:"]
    lines += [" " * (6 + 2 * i) + f"k{i}:" for i in range(depth)]
    path.write_text("\n".join(lines) + " 1\n")


def flow_nested(path: Path, depth: int, head: str = "") -> None:
    """`head` followed by a flow list nested `depth` deep: [[[…]]]."""
    path.write_text(head + "[" * depth + "]" * depth + "\n", encoding="utf-8")


def pack_chain(path: Path, length: int) -> None:
    """A pack at `path` extending pack1.yaml, which extends pack2.yaml … down to mof-2020."""
    names = [path.name] + [f"pack{i}.yaml" for i in range(1, length)]
    for i, name in enumerate(names):
        parent = names[i + 1] if i + 1 < len(names) else "mof-2020"
        (path.parent / name).write_text(f"title: 链{i}\nextends: {parent}\n", encoding="utf-8")


def many_projects(
    path: Path, count: int, kind: str = "targets", prefix: str = "P", targets: str = "targets.yaml"
) -> None:
    """A JSON targets or actuals file with `count` projects."""
    if kind == "targets":
        indicator = {"level1": "产出指标", "level2": "数量指标", "name": "覆盖率", "target": "≥95%"}
        projects: list[Any] = [
            {"code": f"{prefix}{i:06d}", "name": "项目", "budget": 1, "indicators": [indicator]} for i in range(count)
        ]
        data: dict[str, Any] = {"department": "部门", "year": 2024, "projects": projects}
    else:
        projects = [{"code": f"{prefix}{i:06d}"} for i in range(count)]
        data = {"targets": targets, "year": 2024, "projects": projects}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def many_indicators(path: Path, count: int) -> None:
    """A JSON targets file whose one project has `count` indicators."""
    indicators = [
        {"level1": "产出指标", "level2": "数量指标", "name": f"指标{i}", "target": "≥95%"} for i in range(count)
    ]
    data = {"year": 2024, "projects": [{"code": CODE, "name": "项目", "budget": 1, "indicators": indicators}]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _form(targets: str = "targets.yaml") -> Workbook:
    """A filled 自评表 for the one-project targets file the cases share (覆盖率 ≥95%, 完成时间 12月底前)."""
    wb = Workbook()
    settings = wb.active
    assert settings is not None
    settings.title = "设置"
    for row, (key, value) in enumerate([("targets", targets), ("rules", "mof-2020"), ("year", "2024")], start=1):
        settings.cell(row=row, column=1, value=key)
        settings.cell(row=row, column=2, value=value)
    ws = wb.create_sheet("1.项目")
    ws["A1"], ws["B1"] = "项目编码", CODE
    ws["A2"], ws["E2"] = "预算数（万元）", 4.5
    for col, title in enumerate(
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施", "佐证材料"], 1
    ):
        ws.cell(row=4, column=col, value=title)
    ws.append(["产出指标", "数量指标", "覆盖率", "≥95%", 0.96])
    ws["E5"].number_format = "0%"
    ws.append(["产出指标", "时效指标", "完成时间", "12月底前", "2024-12-20"])
    return wb


def _target_table() -> Workbook:
    """An Excel 绩效目标表 of one project, as `evalengine import` reads it."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "项目1"
    ws.append(["项目名称", "项目", None, "项目编码", CODE])
    ws.append(["预算数", 5])
    ws.append(["一级指标", "二级指标", "三级指标", "指标值"])
    ws.append(["产出指标", "数量指标", "覆盖率", "≥95%"])
    return wb


def workbook(
    path: Path,
    kind: str = "form",
    cells: dict[str, Any] | None = None,
    formats: dict[str, str] | None = None,
    merge: list[str] | None = None,
    sheets: int = 0,
    targets: str = "targets.yaml",
) -> None:
    """A filled form (`kind: form`) or a target table (`kind: table`), then changed: `cells` set
    (sheet!A1: value), `formats` (sheet!A1: number format), `sheets` extra copies of the main sheet as
    changed, `merge` ranges written into the sheet's XML as they are (openpyxl itself would take forever
    on A1:XFD1048576)."""
    wb = _form(targets) if kind == "form" else _target_table()
    main = wb.worksheets[1] if kind == "form" else wb.worksheets[0]
    for ref, value in (cells or {}).items():
        sheet, cell = ref.split("!")
        wb[sheet][cell] = value
    for ref, fmt in (formats or {}).items():
        sheet, cell = ref.split("!")
        wb[sheet][cell].number_format = fmt
    for _ in range(sheets):  # copies of the main sheet as changed
        copy = wb.copy_worksheet(main)
        copy.title = f"{len(wb.worksheets)}.项目"
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if merge:
        index = wb.worksheets.index(main) + 1
        tag = "".join(f'<mergeCell ref="{r}"/>' for r in merge)
        data = _patch(
            data,
            f"xl/worksheets/sheet{index}.xml",
            "</sheetData>",
            f'</sheetData><mergeCells count="{len(merge)}">{tag}</mergeCells>',
        )
    path.write_bytes(data)


def _patch(data: bytes, member: str, old: str, new: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == member:
                text = body.decode("utf-8")
                assert old in text, f"{old} not in {member}"
                body = text.replace(old, new, 1).encode("utf-8")
            dst.writestr(item, body)
    return out.getvalue()


def rows_workbook(path: Path, rows: int, kind: str = "form", compact: bool = False) -> None:
    """A form or target table whose main sheet has a value in every row down to `rows` (1,048,576 is
    Excel's last): the sheet XML is written directly, as openpyxl would take a minute to."""
    wb = _form() if kind == "form" else _target_table()
    buffer = io.BytesIO()
    wb.save(buffer)
    index = 2 if kind == "form" else 1
    member = f"xl/worksheets/sheet{index}.xml"
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src:
        text = src.read(member).decode("utf-8")
    last = int(max(re.findall(r'<row r="(\d+)"', text), key=int))
    cell = '<row r="{r}"><c r="C{r}"><v>1</v></c></row>' if compact else ""
    extra = (
        "".join(cell.format(r=r) for r in range(last + 1, rows + 1))
        if compact
        else "".join(
            f'<row r="{r}"><c r="C{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(last + 1, rows + 1)
        )
    )
    text = re.sub(r'<dimension ref="[^"]*"/>', "", text).replace("</sheetData>", extra + "</sheetData>", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, text.encode("utf-8") if item.filename == member else src.read(item.filename))
    path.write_bytes(out.getvalue())


def zip_bomb(path: Path, megabytes: int) -> None:
    """A form whose shared strings part unpacks to `megabytes` MiB of zeros (a few KiB stored)."""
    wb = _form()
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/padding.bin", b"\0" * (megabytes << 20))
    path.write_bytes(out.getvalue())


def char_device(path: Path, minor: int = 3) -> None:
    """A private character device: minor 3 is a /dev/null, 7 a /dev/full (root only, as the tests run)."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("making a device node needs root")


def target_table(path: Path) -> None:
    """A small Excel 绩效目标表 that imports cleanly: one project, three indicators."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "测试项目"
    ws.append(["项目名称", "测试项目", None, "项目编码", "P001"])
    ws.append(["预算数", "10.00", None, "其中：财政资金", "10.00", "其他资金", "—"])
    ws.append([])
    ws.append(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])
    ws.append(["产出指标", "数量指标", "覆盖率", "—", "≥95%", "计划"])
    ws.append(["效益指标", "社会效益指标", "社会影响", "—", "积极向上", "计划"])
    ws.append(["满意度指标", "服务对象满意度指标", "满意度", "—", "≥90%", "计划"])
    wb.save(path)
