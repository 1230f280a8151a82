"""The audit's specification: tests/compliance/audit.yaml, one parametrised test per case."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import COMPLIANCE

from evalengine.audit.check import audit_table
from evalengine.audit.read import read_audit_file
from evalengine.packs.load import load_pack
from evalengine.reports.audit import table_view
from evalengine.sources.documents import load_yaml

SPEC = load_yaml(COMPLIANCE / "audit.yaml").data
CASES = SPEC["cases"]
KEYS = ("level1", "level2", "name", "target", "actual", "weight", "score")


def _row(row: list[Any]) -> dict[str, Any]:
    return dict(zip(KEYS, row, strict=True))


def table_of(case: dict[str, Any]) -> dict[str, Any]:
    base = copy.deepcopy(SPEC["base"])
    rows = [_row(r) for r in base.pop("rows")]
    for index, row in (case.get("replace") or {}).items():
        rows[int(index)] = _row(row)
    rows += [_row(r) for r in case.get("add") or []]
    base["budget"].update(case.get("budget") or {})
    if "total" in case:
        base["total"] = case["total"]
    return {**base, "indicators": rows}


def audited(case: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "tables.yaml"
    path.write_text(yaml.safe_dump({"year": 2020, "tables": [table_of(case)]}, allow_unicode=True), "utf-8")
    f = read_audit_file(path)
    pack = load_pack(case.get("rules") or "mof-2020")
    return table_view(audit_table(f, f.tables[0], pack), pack)


def _verdict(check: dict[str, Any]) -> list[str]:
    return [check["verdict"], *check.get("reasons", [check.get("reason")] if check.get("reason") else [])]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_audit_case(case: dict[str, Any], tmp_path: Path) -> None:
    view = audited(case, tmp_path)
    expect = case["expect"]
    if "verdict" in expect:
        assert view["verdict"] == expect["verdict"]
    if "rounding" in expect:
        want = expect["rounding"]
        assert (view["rounding"]["places"], view["rounding"]["mode"]) == (int(want["places"]), want["mode"])
    named = expect.get("rows") or {}
    for row in view["rows"]:
        want = named.get(row["name"], ["consistent"])
        assert _verdict(row) == want, (row["name"], row["explanation"])
        if row["verdict"] == "inconsistent":
            assert row["explanation"], row["name"]  # every inconsistency says why, in one line
    assert set(named) <= {r["name"] for r in view["rows"]}
    for part in ("budget", "weights", "total"):
        if part in expect:
            assert _verdict(view[part]) == expect[part], view[part]
    assert len(view["problems"]) == int(expect.get("problems", 0)), view["problems"]


def test_every_reason_code_has_a_case() -> None:
    from evalengine.audit.model import REASONS

    named: set[str] = set()
    for case in CASES:
        e = case["expect"]
        for verdict in [*(e.get("rows") or {}).values(), *(e[k] for k in ("budget", "weights", "total") if k in e)]:
            named.update(verdict[1:])
    assert named == set(REASONS)
