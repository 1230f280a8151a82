"""Binary inputs for the hostile-input campaign (tests/hostile/*.yaml, `binary_files:`).

Each generator is a plain function `name(path, **args)` that makes the file at `path`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import openpyxl
import pytest


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


def char_device(path: Path, minor: int = 3) -> None:
    """A private character device: minor 3 is a /dev/null, 7 a /dev/full (root only, as the tests run)."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("making a device node needs root")


def symlink(path: Path, to: str) -> None:
    """A symbolic link to `to` (relative to the case's folder)."""
    path.symlink_to(to)
