"""Rule packs: the built-ins load, broken packs fail with located messages, packs extend the language."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from evalengine.errors import ErrorGroup, EvalEngineError, Location
from evalengine.inputs.observations import observation
from evalengine.language.parser import parse_target
from evalengine.language.predicates import Comparison, Qualitative
from evalengine.packs.load import builtin_packs, load_pack

PACKS = Path(__file__).parent / "packs"
BROKEN = sorted((PACKS / "broken").glob("*.yaml"))


def test_builtin_packs_load() -> None:
    assert {"mof-2020", "hebei-linear", "capped-80-70-60"} <= set(builtin_packs())
    for name in builtin_packs():
        pack = load_pack(name)
        assert pack.weights.execution + sum(w for _, w in pack.weights.level1) == 100
        assert pack.title and pack.source


def test_mof_2020_is_the_national_default() -> None:
    pack = load_pack("mof-2020")
    assert pack.weights.execution == 10
    assert dict(pack.weights.level1) == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert [(g, str(b)) for g, b in pack.grades] == [
        ("优", "[90, 100]"),
        ("良", "[80, 90)"),
        ("中", "[60, 80)"),
        ("差", "[0, 60)"),
    ]
    assert [(t.name, t.default) for t in pack.tiers] == [
        ("达成", 1),
        ("部分达成", Decimal("0.7")),
        ("未达成", Decimal("0.3")),
    ]
    assert pack.over_achievement.threshold == Decimal("1.3") and pack.over_achievement.action == "explain"


def test_extends_overrides_only_what_it_names() -> None:
    base, linear = load_pack("mof-2020"), load_pack("hebei-linear")
    assert linear.methods.reverse == "linear" and base.methods.reverse == "ratio"
    assert linear.grades == base.grades and linear.tiers == base.tiers
    assert linear.origins[("methods", "reverse")].file.endswith("hebei-linear.yaml")
    assert linear.origins[("methods", "forward")].file.endswith("mof-2020.yaml")


def _expectations(path: Path) -> tuple[list[str], list[int]]:
    head = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    messages = [line.split(":", 1)[1].strip() for line in head if line.startswith("# expect:")]
    lines = [int(x) for line in head if line.startswith("# at:") for x in re.findall(r"\d+", line)]
    return messages, lines


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_pack_fails_with_located_message(path: Path) -> None:
    messages, lines = _expectations(path)
    with pytest.raises(EvalEngineError) as info:
        load_pack(path)
    text = str(info.value)
    for message in messages:
        assert message in text
    errors = info.value.errors if isinstance(info.value, ErrorGroup) else [info.value]
    assert all(e.location is not None and e.location.file for e in errors)
    if lines:
        assert sorted(e.location.line for e in errors if e.location) == lines


def test_pack_vocabulary_extends_the_target_language() -> None:
    pack = load_pack(PACKS / "good" / "local-phrases.yaml")
    assert parse_target("群防群治成效明显", pack.vocabulary) == Qualitative("群防群治成效明显", True)
    assert parse_target("群防群治成效明显") == Qualitative("群防群治成效明显", False)
    predicate = parse_target("不得低于90%", pack.vocabulary)
    assert isinstance(predicate, Comparison) and predicate.op == ">="
    obs = observation("圆满完成", predicate=Qualitative("x"), vocab=pack.vocabulary, where=Location("t"))
    assert obs.tier == "达成"


def test_a_pack_can_reweight_levels() -> None:
    pack = load_pack(PACKS / "good" / "sichuan-like.yaml")
    assert pack.weights.execution == 20 and pack.weights.level1_weight("产出指标") == 40


def test_every_built_in_pack_cites_a_document_in_the_repository() -> None:
    import re

    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "rules").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        line = re.search(r"^source: (\S+) §(\d+)", text, re.M)
        if path.name == "vocabulary.yaml":
            continue
        assert line, f"{path.name}: source: should cite docs/… §N"
        doc = root / line.group(1)
        assert doc.is_file(), f"{path.name} cites {doc}, which is not in the repository"
        assert f"## {line.group(2)}." in doc.read_text(encoding="utf-8")
        assert "domain.md" not in text
