"""The bundled targets file against a hand transcription of the seed it was imported from.

examples/zunhua-2024/targets.yaml is the importer's own output, and test_import.py checks that the
importer still writes exactly it: a fault in the importer would be in both and pass. The oracle,
tests/oracle/zunhua-2024-targets.yaml, was written by reading the seed's tables, never by running the
importer; here the two must agree on every project's code, name, budget and plan and every
indicator's level 1, level 2, name and target, and the engine must read the example as transcribed.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from evalengine.inputs.targets import load_targets
from evalengine.language.words import default_vocabulary

HERE = Path(__file__).resolve().parent
EXAMPLE_TARGETS = HERE.parent / "examples" / "zunhua-2024" / "targets.yaml"
ORACLE_FILE = HERE / "oracle" / "zunhua-2024-targets.yaml"
ROW_FIELDS = ("level1", "level2", "name", "target")


def _text_yaml(path: Path) -> Any:
    """Every scalar as the text written (5.00 stays "5.00", 216001 stays "216001")."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


ORACLE = _text_yaml(ORACLE_FILE)


def test_the_oracle_holds_the_seeds_12_projects_and_72_indicators() -> None:
    projects = ORACLE["projects"]
    assert len(projects) == 12 and sum(len(p["rows"]) for p in projects) == 72
    assert len({p["code"] for p in projects}) == 12 and all(len(p["code"]) == 21 for p in projects)
    assert all(len(row) == len(ROW_FIELDS) for p in projects for row in p["rows"])


def test_the_example_targets_agree_with_the_hand_transcription_field_by_field() -> None:
    example = _text_yaml(EXAMPLE_TARGETS)
    differences: list[str] = []

    def compare(where: str, expected: Any, got: Any) -> None:
        if expected != got:
            differences.append(f"{where}: transcribed {expected!r}, the example has {got!r}")

    compare("department", ORACLE["department"], example["department"])
    compare("number of projects", len(ORACLE["projects"]), len(example["projects"]))
    for n, (want, have) in enumerate(zip(ORACLE["projects"], example["projects"], strict=False), 1):
        here = f"project {n} ({want['name']})"
        compare(f"{here} code", want["code"], have.get("code"))
        compare(f"{here} name", want["name"], have.get("name"))
        compare(f"{here} budget", want["budget"], have.get("budget"))
        compare(f"{here} spending plan", ORACLE["spending_plan"], have.get("spending_plan"))
        compare(f"{here} number of indicators", len(want["rows"]), len(have.get("indicators") or []))
        for k, (row, indicator) in enumerate(zip(want["rows"], have.get("indicators") or [], strict=False), 1):
            for field, value in zip(ROW_FIELDS, row, strict=True):
                compare(f"{here} indicator {k} {field}", value, indicator.get(field))
    assert not differences, "\n".join(differences)


def test_the_engine_reads_the_example_as_transcribed() -> None:
    targets = load_targets(EXAMPLE_TARGETS, default_vocabulary())
    assert targets.department == ORACLE["department"]["name"]  # its code is checked in the file, above
    plan = tuple((checkpoint, Decimal(share.rstrip("%"))) for checkpoint, share in ORACLE["spending_plan"].items())
    for want, project in zip(ORACLE["projects"], targets.projects, strict=True):
        assert (project.code, project.name) == (want["code"], want["name"])
        budget = want["budget"]
        assert (project.budget, project.fiscal, project.other) == (
            Decimal(budget["total"]),
            Decimal(budget["fiscal"]),
            Decimal(budget["other"]),
        )
        assert [(point.label, point.share) for point in project.spending_plan] == list(plan), project.code
        rows = [[ind.level1, ind.level2, ind.name, ind.target] for ind in project.indicators]
        assert rows == want["rows"], project.code
