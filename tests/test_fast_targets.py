"""The fast paths of reading a targets file, each against the plain way it stands for."""

from __future__ import annotations

import codecs
import dataclasses
import json
import pickle
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_limits import _depth_by_the_text  # the depth as the reader measured it before

from evalengine.errors import ErrorGroup, EvalEngineError, Location
from evalengine.inputs import targets
from evalengine.inputs.collect import Collector
from evalengine.language.predicates import Qualitative
from evalengine.language.words import default_vocabulary
from evalengine.model import Finding, Indicator, Project, TableWeights
from evalengine.sources import documents
from evalengine.sources.dispatch import read_document
from evalengine.sources.documents import Document, _depth, _may_hold_control, _utf8
from evalengine.text import nfkc

_REFUSED_RAW = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_REFUSED_ESCAPE = re.compile(r"\\u(?:00(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])|[fF]{3}[eEfF]|[dD][89a-fA-F])")


def _may_hold_control_by_the_text(text: str) -> bool:
    """The scan as it was: one pattern for the raw characters and one for the escapes, over the text."""
    return bool(_REFUSED_ESCAPE.search(text) or _REFUSED_RAW.search(text))


# every character the scans tell apart: the refused ones, their neighbours in UTF-8 (C2 A0, EF BF BD, the
# full-width forms that EF leads), a backslash, a u, hex digits, quotes, brackets, CJK, and a lone surrogate
_CHARS = st.sampled_from(
    ["\x7e", "\x7f", "\x80", "\x9f", "\xa0", "\xb7", "\ufffd", "\ufffe", "\uffff", "\uff08", "\ud800", "\\"]
    + ["u", "0", "1", "7", "8", "9", "f", "F", "e", "E", "a", '"', "[", "{", "}", "]", "中", " "]
)


@given(st.lists(_CHARS, max_size=12).map("".join))
@settings(max_examples=2000, deadline=None)
def test_the_control_scan_of_the_bytes_finds_what_the_scan_of_the_text_found(text: str) -> None:
    assert _may_hold_control(text, _utf8(text)) == _may_hold_control_by_the_text(text)


_WORDS = st.lists(_CHARS, max_size=5).map("".join)
_JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), _WORDS),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_WORDS, inner, max_size=3),
    max_leaves=40,
)


@given(_JSON_VALUES, st.booleans(), st.booleans())
@settings(max_examples=1000, deadline=None)
def test_the_depth_by_rounds_is_the_depth_by_steps(value: object, ascii: bool, indent: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii, indent=2 if indent else None)
    assert _depth(text) == _depth_by_the_text(text)
    assert _may_hold_control(text, _utf8(text)) == _may_hold_control_by_the_text(text)


def test_the_depth_past_the_cap_is_exact() -> None:
    for depth in (31, 32, 33, 34, 60):
        text = "[" * depth + '"]]"' + "]" * depth
        assert _depth(text) == depth
        text = "{" + '"a": [' * depth + "1" + "]" * depth + "}"
        assert _depth(text) == depth + 1


_LEVELS = st.sampled_from(["产出指标", "效益指标", "产出指标 ", "ｘ", ""])
_NAMES = st.sampled_from(["指标1", "指标2", "其中：指标3", "其 中", "其中", "甲其中", "ｓ"])
_WEIGHTS = st.sampled_from([None, None, Decimal(0), Decimal(10)])


@given(st.lists(st.tuples(_LEVELS, _LEVELS, _NAMES, _WEIGHTS), max_size=8))
@settings(max_examples=1000, deadline=None)
def test_plain_rows_are_what_sub_rows_gives(cells: list[tuple[str, str, str, Decimal | None]]) -> None:
    """_project skips _sub_rows when no row is weighted and none is named 其中 (its name as NFKC, as the
    row memo keeps it): _sub_rows gives such rows as they are; any other table goes through it."""
    rows = [
        (Indicator(level1, level2, name, "", Qualitative(name, False), "", "", weight), nfkc(name), j)
        for j, (level1, level2, name, weight) in enumerate(cells)
    ]
    plain = all(ind.weight is None and not key.startswith("其中") for ind, key, _ in rows)
    notices: list[targets.Notice] = []
    got = targets._sub_rows(Collector(Document(None, "t.json")), rows, ("projects", 0, "indicators"), notices)
    if plain:
        assert got == [ind for ind, _, _ in rows] and not notices


def test_a_project_made_quickly_is_the_project_its_constructor_makes() -> None:
    ind = Indicator("产出指标", "数量指标", "覆盖率", "≥95%", Qualitative("覆盖率", False), "d", "b", Decimal(10))
    finding = Finding("warning", "empty-target", "覆盖率", "m")
    for weights in (targets._NO_WEIGHTS, TableWeights(Decimal(20), (("产出指标", Decimal(50)),), ())):
        args = ("P1", "项目", Decimal("12.18"), (ind,), None, Decimal(1), "u", "p", (), ("g",), weights, (finding,))
        quick, made = targets.project(*args), Project(*args)
        assert type(quick) is Project and quick == made and hash(quick) == hash(made) and repr(quick) == repr(made)
        assert list(vars(quick).items()) == list(vars(made).items())
        assert pickle.loads(pickle.dumps(quick)) == made
        with pytest.raises(dataclasses.FrozenInstanceError):
            quick.code = "x"  # type: ignore[misc]
    assert targets._NO_WEIGHTS == TableWeights(None, (), ()) == Project("P", "p", Decimal(1), ()).weights


# Cells a row may hold in a YAML or JSON file beside text: null, true and false (kept, as 1 == 1.0 == True
# cannot arise there), and lists and mappings (no hash: read, never kept)
_CELLS: dict[str, list[Any]] = {
    "level1": ["产出指标", "产出指标(50分)", None, True, ["产出指标"]],
    "level2": ["数量指标", None, False, {"a": "b"}],
    "name": ["指标1", "指标2", "其中：指标3", None, True],
    "target": ["≥98%", "效果显著", "", None, False, ["≥98%"], {"≥": "98%"}],
    "basis": ["年初工作计划", None, True, []],
    "direction": ["正向", None, False],
    "weight": ["10", None, True, ["10"]],
}
_PLAN_CELLS: list[Any] = ["30%", None, True, ["30%"], {"a": "30%"}]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.fixed_dictionaries({k: st.sampled_from(v) for k, v in _CELLS.items()}), min_size=1, max_size=3),
    picks=st.lists(st.lists(st.integers(0, 2), min_size=1, max_size=3), min_size=1, max_size=4),
    plan=st.sampled_from(_PLAN_CELLS),
    fmt=st.sampled_from(["json", "yaml"]),
)
def test_rows_of_null_true_false_and_collections_read_as_when_nothing_is_kept(
    tmp_path: Path,
    rows: list[dict[str, Any]],
    picks: list[list[int]],
    plan: Any,
    fmt: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    projects = [
        {
            "code": f"P{n}",
            "name": f"项目{n}",
            "budget": "12.5",
            "spending_plan": {"6月底": plan, "12月底": "100%"},
            "indicators": [rows[i % len(rows)] for i in pick],
        }
        for n, pick in enumerate(picks)
    ]
    path = tmp_path / f"t.{fmt}"  # YAML in flow style: JSON text, read by the YAML reader
    path.write_text(json.dumps({"year": 2024, "projects": projects}, ensure_ascii=False), encoding="utf-8")
    kept = _outcome(path)
    with monkeypatch.context() as m:
        m.setattr(targets, "_text_key", targets._not_kept)
        assert _outcome(path) == kept


def _outcome(path: Path) -> Any:
    try:
        read = targets.load_targets(path, default_vocabulary())
    except EvalEngineError as exc:
        errors = exc.errors if isinstance(exc, ErrorGroup) else [exc]
        return [(type(e).__name__, e.message, e.hint, repr(e.location)) for e in errors]
    return repr(read.projects), repr(read.notices), repr(read.where)


# JSON texts written by hand, so that objects may repeat keys, strings hold colons, quotes, backslashes and
# brackets, and numbers, NaN, refused characters and stray punctuation turn up anywhere
_JSON_KEYS = st.sampled_from(["a", "b", "a:b", 'x"y', "c\\d", "中", ":", "", "[{", "\x7f", "\\u0041"])
_JSON_LEAVES = st.sampled_from(
    ["1", "-2.5e3", "true", "null", '"s"', '"a:b"', '"\\\\"', '"\\""', '"\\\\\\":"', '"{[:"', "NaN", "-Infinity"]
    + ['"\\u007f"', '"\\u0001"', '"\x80"', '"\ufffe"', '"中：文"', '"\\ud800"', '"\\u003a"']
)


def _json_key(key: str, ascii: bool) -> str:
    return json.dumps(key, ensure_ascii=ascii) if not key.startswith("\\") else f'"{key}"'


_JSON_TEXTS = st.recursive(
    _JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
        | st.lists(st.tuples(_JSON_KEYS, st.booleans(), inner), max_size=4).map(
            lambda pairs: "{" + ",".join(f"{_json_key(k, a)}: {v}" for k, a, v in pairs) + "}"
        )
    ),
    max_leaves=25,
)


def _json_outcome(read: Any, text: str) -> Any:
    try:
        doc = read(text)
    except EvalEngineError as exc:
        return type(exc).__name__, exc.message, exc.hint, repr(exc.location)
    return "read", json.dumps(doc.data), type(doc) is Document and not doc.marks, doc.file


def _by_pairs(text: str) -> Document:
    return documents._parse_json_by_pairs(text, "f.json", _utf8(text))


def _quickly(text: str) -> Document:
    return documents.parse_json(text, "f.json")


@given(_JSON_TEXTS, st.integers(0, 200), st.sampled_from(["", ":", ",", "{", "}", '"', "[", " ", "\\"]))
@settings(max_examples=1500, deadline=None)
def test_json_read_without_the_pairs_hook_reads_as_with_it(text: str, at: int, stray: str) -> None:
    """parse_json reads without the hook that sees every object's pairs and counts keys instead: whatever
    the text (repeated keys, colons in strings, NaN, refused characters, a stray character making it
    malformed), it reads the same data, or fails with the same error at the same place, as the hook's way."""
    text = text[:at] + stray + text[at:]
    assert _json_outcome(_quickly, text) == _json_outcome(_by_pairs, text)


@given(_JSON_TEXTS)
@settings(max_examples=1000, deadline=None)
def test_the_colons_outside_strings_are_the_keys_read_exactly_when_no_key_repeats(text: str) -> None:
    try:
        data = json.loads(text, object_pairs_hook=lambda pairs: pairs)  # every pair as written
    except ValueError:
        return
    pairs: list[list[tuple[str, Any]]] = []
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, list) and value and all(isinstance(p, tuple) for p in value):
            pairs.append(value)
            stack.extend(v for _, v in value)
        elif isinstance(value, list):
            stack.extend(value)
    colons = documents._outside(text, _utf8(text)).count(b":")
    assert colons == sum(map(len, pairs))
    repeated = any(len({k for k, _ in p}) != len(p) for p in pairs)
    plain = json.loads(text, parse_constant=str)
    kept = 0
    stack = [plain]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            kept += len(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    assert (colons != kept) == repeated


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',
        '{"a": {"b": 1, "b": 2}, "a": 3}',
        '{"a": 1, "a": 2, "x": NaN}',
        '{"x": NaN, "a": 1, "a": 2}',
        '{"a": 1, "a": 2} x',
        '{"a": "\\u0001", "a": 2}',
        '{"a:": 1, "a": 2, "b": "::"}',
        "[" * 40 + "]" * 40,
        '{"a": ' * 40 + "1" + "}" * 40,
        '{"a": ' * 40 + '{"b": 1, "b": 2}' + "}" * 40,
        "[" * 100_000 + "]" * 100_000,
        '{"a": "\\u007f"}',
        '["\\\\", "\\"", {"\\"": ":", "b": "\\\\"}]',
    ],
)
def test_json_read_without_the_pairs_hook_reads_as_with_it_at_the_edges(text: str) -> None:
    assert _json_outcome(_quickly, text) == _json_outcome(_by_pairs, text)


@pytest.mark.parametrize("head", [b"", codecs.BOM_UTF8, codecs.BOM_UTF8 * 2, "\ufeff中".encode()])
@pytest.mark.parametrize("body", ['{"a": "中文\\u0001"}', '{"a": 1}', "[]", '"\ud800"'])
def test_the_bytes_read_are_the_text_encoded_again(tmp_path: Path, head: bytes, body: str) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(head + body.encode("utf-8", "surrogatepass"))
    try:
        text, raw = documents.read_text_bytes(path)
    except EvalEngineError:  # a lone surrogate is not UTF-8: read_text refuses it as well
        with pytest.raises(EvalEngineError):
            documents.read_text(path)
        return
    assert text == documents.read_text(path) and raw == _utf8(text)
    assert documents.read_text_bytes(path, "utf-8") == (documents.read_text(path, "utf-8"), None)
    by_pairs = _json_outcome(lambda t: documents._parse_json_by_pairs(t, str(path), _utf8(t)), text)
    assert _json_outcome(lambda t: read_document(path), text) == by_pairs


@pytest.mark.parametrize("i", [0, 7, 9_999])
def test_a_place_made_quickly_is_the_location_the_document_gives(tmp_path: Path, i: int) -> None:
    for doc in (
        documents.parse_json('{"projects": []}', "t.json"),
        documents.parse_yaml("projects:\n- code: a\n- code: b\n", "t.yaml"),
        Document({}, "t.xlsx", cells={("projects", 0): "A1"}),
    ):
        quick, made = targets.place(doc, ("projects", i)), doc.where(("projects", i))
        assert type(quick) is Location and quick == made and hash(quick) == hash(made) and repr(quick) == repr(made)
        assert str(quick) == str(made) and quick.keypath == made.keypath
        assert list(vars(quick).items()) == list(vars(made).items())
        assert pickle.loads(pickle.dumps(quick)) == made
        with pytest.raises(dataclasses.FrozenInstanceError):
            quick.line = 1  # type: ignore[misc]


def test_the_rows_kept_are_keyed_as_text_key_keys_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """_project writes _text_key's key out in its loop: the rows kept are keyed as _text_key keys them, so
    that rows alike but for a key's name or the order of their keys are never taken for one another."""
    made: list[targets.Memo] = []

    class Kept(targets.Memo):
        def __init__(self, keep: bool = True) -> None:
            super().__init__(keep)
            made.append(self)

    monkeypatch.setattr(targets, "Memo", Kept)
    base = {"level1": "产出指标", "name": "指标1", "target": "≥98%"}
    rows = [
        {**base, "basis": "计划"},
        {**base, "description": "计划"},
        {"basis": "计划", **base},
        {**base, "basis": "计划", "level2": "数量指标"},
        {**base, "basis": "计划"},
    ]
    projects = [{"code": f"P{n}", "name": "p", "budget": "1", "indicators": [row]} for n, row in enumerate(rows)]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"year": 2024, "projects": projects}, ensure_ascii=False), encoding="utf-8")
    read = targets.load_targets(path, default_vocabulary())
    assert [p.indicators[0].basis for p in read.projects] == ["计划", "", "计划", "计划", "计划"]
    assert [p.indicators[0].description for p in read.projects] == ["", "计划", "", "", ""]
    assert list(made[0].rows) == [targets._text_key(row) for row in rows[:4]]


# to_decimal's short path as it was written: the pattern is_short now checks with str methods
_SHORT = re.compile(r"[0-9]+(?:\.[0-9]{1,12})?")


@given(
    st.one_of(
        st.text(alphabet="0123456789.", max_size=20),
        st.text(alphabet="0123456789.+-eE ,０１²٣\u0660", max_size=8),
        st.decimals(allow_nan=False, allow_infinity=False).map(str),
        st.text(max_size=4),
    )
)
def test_is_short_is_the_pattern_it_replaced(text: str) -> None:
    """numbers.is_short holds exactly where the short path's regular expression (at most
    MAX_SIGNIFICANT_DIGITS characters) held, and to_decimal reads alike either way."""
    from evalengine.limits import MAX_SCALE, MAX_SIGNIFICANT_DIGITS
    from evalengine.numbers import is_short, to_decimal

    assert MAX_SCALE == 12  # the pattern above
    assert is_short(text) == bool(len(text) <= MAX_SIGNIFICANT_DIGITS and _SHORT.fullmatch(text))
    if is_short(text):
        assert repr(to_decimal(text, Decimal(10) ** 30)) == repr(Decimal(text))


def test_is_short_at_its_edges() -> None:
    from evalengine.numbers import is_short

    for text in ("0", "12.5", "1." + "0" * 12, "9" * 18, "0.000000000001", "12.18"):
        assert is_short(text), text
    for text in ("", ".", "1.", ".5", "1." + "0" * 13, "9" * 19, "1.2.3", "-1", "+1", "1e3", "١", "１", " 1", "1,000"):
        assert not is_short(text), text


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_starts_are_the_dict_of_places(tmp_path: Path, fmt: str) -> None:
    """Starts (TargetsFile.where) holds what the dict of each project's place held: the same items in the
    same order, lookups, membership, length and repr, for a JSON document (made when asked for) and a YAML
    one (its lines)."""
    projects = [
        {
            "code": f"P{n}",
            "name": "p",
            "budget": "1",
            "indicators": [{"level1": "产出指标", "name": "a", "target": "1"}],
        }
        for n in range(4)
    ]
    path = tmp_path / f"t.{fmt}"
    path.write_text(json.dumps({"year": 2024, "projects": projects}, ensure_ascii=False, indent=1), encoding="utf-8")
    doc = read_document(path)
    general = {f"P{n}": targets.place(doc, ("projects", n)) for n in range(4)}
    where = targets.load_targets(path, default_vocabulary()).where
    assert isinstance(where, targets.Starts)
    assert list(where.items()) == list(general.items()) and repr(where) == repr(general) and where == general
    assert len(where) == 4 and "P1" in where and "P9" not in where and where.get("P9") is None
    assert where["P2"] == general["P2"] and repr(where["P2"]) == repr(general["P2"])
    assert (where["P2"].line is not None) == (fmt == "yaml")
    with pytest.raises(KeyError):
        where["P9"]


def test_the_plans_kept_are_keyed_as_text_key_keys_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """_project writes _text_key's key of a spending plan out, as it does a row's: plans alike but for the
    order of their checkpoints are kept apart, and a plan read with an error is not kept."""
    made: list[targets.Memo] = []

    class Kept(targets.Memo):
        def __init__(self, keep: bool = True) -> None:
            super().__init__(keep)
            made.append(self)

    monkeypatch.setattr(targets, "Memo", Kept)
    plans = [{"6月底": "50%", "12月底": "100%"}, {"12月底": "100%", "6月底": "50%"}, {"6月底": "50%", "12月底": "100%"}]
    row = {"level1": "产出指标", "name": "指标1", "target": "≥98%"}
    projects = [
        {"code": f"P{n}", "name": "p", "budget": "1", "spending_plan": plan, "indicators": [row]}
        for n, plan in enumerate(plans)
    ]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"year": 2024, "projects": projects}, ensure_ascii=False), encoding="utf-8")
    read = targets.load_targets(path, default_vocabulary())
    assert [[p.label for p in r.spending_plan] for r in read.projects] == [["6月底", "12月底"], ["12月底", "6月底"]] + [
        ["6月底", "12月底"]
    ]
    assert list(made[0].plans) == [targets._text_key(plan) for plan in plans[:2]]


@pytest.mark.parametrize("value", ["P1", " P1 ", "", "  ", None, 12, True, ["P1"], {"a": "b"}, "Ｐ１"])
def test_code_and_name_read_as_need_text(value: Any) -> None:
    """_project reads a text code and name itself (need_text's usual case): every value reads, or is refused
    with the same message and place, as need_text reads it."""
    from evalengine.inputs.collect import Collector, need_text
    from evalengine.sources.documents import Document
    from evalengine.text import nfkc_unique

    row = {"level1": "产出指标", "name": "指标1", "target": "≥98%"}
    for key in ("code", "name"):
        entry = {"code": "P0", "name": "p", "budget": "1", "indicators": [row], key: value}
        doc = Document({"projects": [entry]}, "t.json")
        project, errors, _notices = targets.read_project(doc, entry, ("projects", 0))
        try:
            text = need_text(Collector(doc), entry, key, ("projects", 0))
        except EvalEngineError as exc:
            assert project is None
            assert [(e.message, repr(e.location)) for e in errors] == [(exc.message, repr(exc.location))]
            continue
        assert project is not None and not errors
        assert getattr(project, key) == (nfkc_unique(text) if key == "code" else text)
