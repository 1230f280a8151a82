"""The actuals file's shortcuts (issue 19) must make what the general path makes, value for value."""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from evalengine.errors import EvalEngineError, Location
from evalengine.inputs import observations
from evalengine.inputs.collect import Collector, Deferred
from evalengine.model import Execution, Observation, ProjectActuals, made
from evalengine.sources.documents import Document, load_yaml

_AMOUNTS = st.none() | st.decimals(allow_nan=False, allow_infinity=False, places=2)
_TEXTS = st.none() | st.text(max_size=5)


@given(
    amounts=st.lists(_AMOUNTS, min_size=4, max_size=4),
    texts=st.lists(_TEXTS, min_size=3, max_size=3),
    history=st.lists(st.tuples(st.dates(), st.decimals(allow_nan=False, allow_infinity=False)), max_size=2),
    rate=_AMOUNTS,
    code=st.text(max_size=5),
    named=st.dictionaries(st.text(max_size=3), st.builds(Observation, text=_TEXTS), max_size=3),
)
def test_made_is_as_the_constructor_makes(
    amounts: list[Decimal | None],
    texts: list[str | None],
    history: list[tuple[date, Decimal]],
    rate: Decimal | None,
    code: str,
    named: dict[str, Observation],
) -> None:
    """model.made (no __init__) gives what Execution(…) and ProjectActuals(…) give: equal, with the same repr,
    the same fields in the same order in __dict__, pickled alike, and still frozen."""
    spent, budget, initial, adjusted = amounts
    explanation, cause, outlook = texts
    general = Execution(spent, budget, initial, adjusted, explanation, tuple(history), cause, outlook, rate)
    fast = made(
        Execution,
        {
            "spent": spent,
            "budget": budget,
            "initial_budget": initial,
            "adjusted_budget": adjusted,
            "explanation": explanation,
            "history": tuple(history),
            "cause": cause,
            "outlook": outlook,
            "rate": rate,
        },
    )
    _alike(fast, general)
    assert hash(fast) == hash(general)
    whole = ProjectActuals(code, general, dict(named))
    _alike(made(ProjectActuals, {"code": code, "execution": fast, "indicators": dict(named)}), whole)


def _alike(fast: Any, general: Any) -> None:
    assert type(fast) is type(general)
    assert fast == general and repr(fast) == repr(general)
    assert list(vars(fast).items()) == list(vars(general).items())
    assert pickle.loads(pickle.dumps(fast)) == general
    with pytest.raises(AttributeError):
        fast.code = "changed"


@given(
    st.one_of(
        st.text(alphabet="0123456789", max_size=20),
        st.text(alphabet="0123456789０１２３-+., ²٣e", max_size=18),
        st.integers(-(10**16), 10**16).map(str),
        st.integers(0, 10**16),
        st.booleans(),
        st.none(),
        st.floats(),
    )
)
@example("000000000000000")
@example("999999999999999")
@example("1000000000000000")
@example("0")
@example("")
@example("٣")
@example("²")
def test_a_count_reads_as_any_number_reads(value: Any) -> None:
    """_count reads a plain count as _number reads it (the same Decimal, exponent and all) and leaves
    everything else to _number."""
    where = Location("a.yaml", 3)
    count = observations._count(value)
    try:
        general: Decimal | EvalEngineError = observations._number(value, where, "survey.满意")
    except EvalEngineError as exc:
        general = exc
    if count is not None:
        assert isinstance(general, Decimal)
        assert repr(count) == repr(general)
    elif type(value) is str and value.isascii() and value.isdigit():  # a count too long: refused as before
        assert len(value) > 15


def test_a_survey_reads_as_before(tmp_path: Path) -> None:
    """A survey of counts, plain and not: each count read, a negative or a wrong one refused as before."""
    from evalengine.language.parser import parse_target
    from evalengine.language.words import default_vocabulary

    vocab = default_vocabulary()
    predicate = parse_target("≥90%", vocab)
    where = Location("a.yaml", 3, path=("projects", 0, "indicators", "满意度"))
    obs = observations.observation({"survey": {"满意": "40", "较满意": 6, "不满意": "１"}}, predicate, vocab, where)
    assert obs.survey == (("满意", Decimal(40)), ("较满意", Decimal(6)), ("不满意", Decimal(1)))
    assert obs.text == "满意40、较满意6、不满意１"
    for survey, message in (
        ({"满意": "40", "不满意": "-1"}, "survey: counts cannot be negative"),
        ({"满意": "-1", "不满意": "x"}, "survey.不满意: expected a number, found 'x'"),
        ({"满意": "1" * 16}, "survey.满意: 1111111111111111 is out of range: it must be smaller than 10^15"),
    ):
        with pytest.raises(EvalEngineError) as caught:
            observations.observation({"survey": survey}, predicate, vocab, where)
        assert caught.value.message == message
        assert caught.value.location == Location("a.yaml", 3, path=("projects", 0, "indicators", "满意度", "survey"))


def test_later_is_a_deferred_as_made_by_its_constructor(tmp_path: Path) -> None:
    """Collector.later makes (without Deferred.__init__) the Deferred its constructor makes."""
    path = tmp_path / "a.yaml"
    path.write_text("projects:\n  - code: P1\n    indicators:\n      a: 96%\n", encoding="utf-8")
    doc: Document = load_yaml(path)
    at = ("projects", 0, "indicators", "a")
    fast, general = Collector(doc).later(at), Deferred(doc, at)
    assert type(fast) is Deferred and vars(fast) == vars(general)
    assert fast == general == doc.where(at) and hash(fast) == hash(doc.where(at))
    assert repr(fast) == repr(doc.where(at)) and fast.line == 4
    assert pickle.loads(pickle.dumps(fast)) == doc.where(at)


_COUNTS = st.one_of(
    st.text(alphabet="0123456789", max_size=17),
    st.text(alphabet="0123456789０１-+. ²٣e", max_size=6),
    st.integers(-5, 10**16).map(str),
    st.integers(0, 99),
    st.booleans(),
    st.none(),
    st.dictionaries(st.text(max_size=2), st.text(max_size=2), max_size=1),
)
_SURVEY_ENTRIES = st.one_of(
    st.fixed_dictionaries({"survey": st.dictionaries(st.text(max_size=4), _COUNTS, max_size=4)}),
    st.fixed_dictionaries({"survey": st.one_of(st.none(), st.text(max_size=3), st.lists(st.text(), max_size=1))}),
    st.fixed_dictionaries(
        {"survey": st.dictionaries(st.text(max_size=4), _COUNTS, min_size=1, max_size=3)},
        optional={
            "value": st.sampled_from(["96%", "x"]),
            "explanation": st.text(max_size=3),
            "unknown": st.just("1"),
            "tier": st.just("达成"),
        },
    ),
)


def _read(entry: dict[str, Any]) -> tuple[str, Any]:
    """need_mapping's reading of `entry`: the Observation field for field, or the error's message and place."""
    from evalengine.language.parser import parse_target
    from evalengine.language.words import default_vocabulary

    vocab = default_vocabulary()
    where = Location("a.yaml", 3, path=("projects", 0, "indicators", "满意度"))
    try:
        obs = observations.need_mapping(entry, parse_target("≥90%", vocab), vocab, where)
    except EvalEngineError as exc:
        return "error", (exc.message, exc.location, exc.hint)
    return "read", (obs, repr(obs), list(vars(obs).items()))


@given(_SURVEY_ENTRIES)
@example({"survey": {"满意": "40", "较满意": "6", "一般": "0", "不满意": "1"}})
@example({"survey": {"满意": "007", "较满意": "7", "一般": "7", "不满意": "1234"}})  # shared Decimals by their text
@example({"survey": {"满意": "40", "较满意": ["6"]}})
@example({"survey": {"满意": "000000000000000", "不满意": "1" * 16}})
@example({"survey": {"满意": "-1"}})
@example({"survey": {"满意": "１"}})
@example({"survey": {}})
@example({"survey": {1: "2"}})  # a key YAML read as a number: named as text, as need_mapping names it
@example({"survey": {1: "40", "满意": "6"}})  # counts met before, a key that is not text
@example({"survey": {"满意": "40", "较满意": "41", "一般": "6"}})  # one count not met before
def test_plain_survey_reads_as_need_mapping(entry: dict[str, Any]) -> None:
    """plain_survey gives need_mapping's Observation (equal, same repr, same fields in order) for every entry
    it reads, and reads the usual plain survey; it leaves every other entry (and every error) to need_mapping.
    Read twice: the second reading finds the counts the first kept (the path the usual survey takes)."""
    general = _read(entry)
    for _ in range(2):
        fast = observations.plain_survey(entry)
        if fast is not None:
            assert general == ("read", (fast, repr(fast), list(vars(fast).items())))
            assert all(type(answer) is str for answer, _ in fast.survey or ())
    survey = entry.get("survey")
    plain = (
        len(entry) == 1
        and type(survey) is dict
        and bool(survey)
        and all(observations._count(v) is not None for v in survey.values())
    )
    assert (fast is not None) == plain


@given(
    st.one_of(
        st.text(alphabet="0123456789.", max_size=20),
        st.text(alphabet="0123456789.,-+ eE０１²٣元万", max_size=12),
        st.decimals(allow_nan=False, allow_infinity=False).map(str),
        st.integers(-(10**12), 10**12),
        st.booleans(),
        st.none(),
    )
)
@example("11.36")
@example("0")
@example("0.000000000001")
@example("0.0000000000001")
@example("999999999.999")
@example("1000000000")
@example("12.")
@example(".5")
@example("1.2.3")
@example("123456789012345678")
@example("1234567890123456789")
@example("١٢")
def test_plain_amount_reads_as_money(value: Any) -> None:
    """plain_amount gives money's Decimal (exponent and all) for every value it reads, and leaves anything
    else (every error among them) to money."""
    from evalengine.inputs.collect import money, plain_amount

    fast = plain_amount(value)
    if fast is None:
        return
    general = money(value, Location("a.yaml", 3), "spent")
    assert repr(fast) == repr(general)


def test_plain_amount_takes_the_usual_amounts() -> None:
    """The shortcut is taken for what files hold (else it would be a test of nothing)."""
    from evalengine.inputs.collect import plain_amount

    for text in ("11.36", "0", "401.58", "999999999.99999999", "0.000000000001"):
        assert plain_amount(text) is not None, text
    for value in ("1e3", "12.", " 1", "1,000", "１", "1000000000", "0.0000000000001", 12, None, True):
        assert plain_amount(value) is None, value


@given(st.lists(st.text(alphabet=" ab（%）%ＡＢ１1\u3000", max_size=4), max_size=8))
def test_folded_names_fold_as_nfkc(names: list[str]) -> None:
    """_Folded gives what its fold gives, for names met once or again (the keys and the targets' names of
    load_job)."""
    from evalengine.inputs.actuals import _Folded, _name_key
    from evalengine.text import nfkc

    keys, titles = _Folded(_name_key), _Folded(nfkc)
    for name in names + names:
        assert keys[name] == nfkc(name).strip()
        assert titles[name] == nfkc(name)


def _loaded_afresh(path: Path) -> Any:
    """The pack at `path` loaded as if never loaded before in this process (the cache left as it was)."""
    from evalengine.packs import load

    kept = dict(load._LOADED)
    load._LOADED.clear()
    try:
        return load.load_pack(path)
    finally:
        load._LOADED.clear()
        load._LOADED.update(kept)


def _same_pack(a: Any, b: Any) -> None:
    assert a == b and repr(a) == repr(b)
    assert dict(a.data) == dict(b.data) and dict(a.origins) == dict(b.origins) and a.examples == b.examples


def test_a_kept_pack_is_the_pack_its_files_hold_now(tmp_path: Path) -> None:
    """load_pack gives a pack kept from before only while every file of its chain holds the same text: a
    file rewritten (the same size, within the same tick of the clock), a parent changed, another pack, another
    language or a pack that fails are each loaded afresh, and each gives what a first load gives."""
    import os

    from evalengine import i18n
    from evalengine.packs.load import load_pack

    parent, child = tmp_path / "parent.yaml", tmp_path / "child.yaml"
    parent.write_text("extends: mof-2020\nmethods:\n  reverse: linear\n", encoding="utf-8")
    child.write_text("extends: parent.yaml\nover_achievement:\n  threshold: 130%\n", encoding="utf-8")
    first = load_pack(child)
    _same_pack(first, _loaded_afresh(child))
    assert load_pack(child) is first  # kept: nothing changed
    stat = child.stat()
    child.write_text("extends: parent.yaml\nover_achievement:\n  threshold: 140%\n", encoding="utf-8")
    os.utime(child, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time: only the text differs
    second = load_pack(child)
    assert second.over_achievement.threshold != first.over_achievement.threshold
    _same_pack(second, _loaded_afresh(child))
    parent.write_text("extends: mof-2020\nmethods:\n  reverse: ratio\n", encoding="utf-8")
    third = load_pack(child)
    assert third.methods.reverse == "ratio" and second.methods.reverse == "linear"
    _same_pack(third, _loaded_afresh(child))
    assert load_pack("hebei-linear").name == "hebei-linear" and load_pack("mof-2020").name == "mof-2020"
    i18n.set_language("zh")
    try:
        _same_pack(load_pack(child), _loaded_afresh(child))
    finally:
        i18n.set_language(None)
    child.write_text("extends: parent.yaml\nover_achievement:\n  threshold: lots\n", encoding="utf-8")
    for _ in range(2):  # a pack that fails is not kept: it fails again, as it did
        with pytest.raises(EvalEngineError) as caught:
            load_pack(child)
        assert caught.value.location is not None and caught.value.location.file == str(child)
    child.unlink()
    with pytest.raises(EvalEngineError):
        load_pack(child)


_TARGETS = """year: 2024
projects:
  - code: P1
    name: 项目一
    budget: 100
    indicators:
      - {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, target: ≥90%}
      - {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度２, target: ≥90%}
      - {level1: 产出指标, level2: 数量指标, name: 覆盖率, target: ≥95%}
  - code: P2
    name: 项目二
    budget: 100
    indicators:
      - {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, target: ≥90%}
      - {level1: 产出指标, level2: 数量指标, name: 覆盖率, target: ≥95%}
"""


def _job_read(tmp_path: Path, projects: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    """load_job of an actuals file with `projects`, through plain_survey (fast) or through need_mapping only."""
    from evalengine.inputs import actuals

    (tmp_path / "targets.yaml").write_text(_TARGETS, encoding="utf-8")
    path = tmp_path / "actuals.yaml"
    path.write_text(f"targets: targets.yaml\nyear: 2024\nprojects:\n{projects}", encoding="utf-8")
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(actuals, "plain_survey", lambda entry: None)
        try:
            job = actuals.load_job(path)
        except EvalEngineError as exc:
            errors = exc.errors if hasattr(exc, "errors") else [exc]
            return "error", [(e.message, e.location, e.hint) for e in errors]
    return "job", (repr(job.actuals), repr(job.where), job.missing)


_SURVEY_FILES = (
    # plain surveys, repeated within and across projects
    """  - code: P1
    indicators:
      满意度: {survey: {满意: 40, 不满意: 1}}
      满意度２: {survey: {满意: 40, 不满意: 1}}
      覆盖率: 96%
  - code: P2
    indicators:
      满意度: {survey: {满意: 40, 不满意: 1}}
      覆盖率: {survey: {满意: 3}}
""",
    # a name given twice after folding, an unknown indicator, counts that are not plain, a wrong survey
    """  - code: P1
    indicators:
      满意度: {survey: {满意: 40}}
      满意度２: {survey: {满意: "１"}}
      满意度2: {survey: {满意: 4}}
      满意: {survey: {满意: 4}}
  - code: P2
    indicators:
      满意度: {survey: {满意: -1}}
      覆盖率: {survey: {}}
""",
    """  - code: P1
    indicators:
      满意度: {survey: {满意: 40}, explanation: 无}
      满意度２: {survey: {满意: 40, 一般: x}}
  - code: P2
    execution: {spent: 1}
    indicators:
      满意度: {survey: {满意: 40}}
""",
)


@pytest.mark.parametrize("projects", _SURVEY_FILES)
def test_load_job_reads_surveys_as_need_mapping(tmp_path: Path, projects: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file's surveys read through plain_survey (ahead of the entries' memo) give the job, or the errors
    (messages, places, order), that need_mapping alone gives: repeated, duplicated, unknown and wrong ones."""
    fast = _job_read(tmp_path, projects, True, monkeypatch)
    assert fast == _job_read(tmp_path, projects, False, monkeypatch)


_EXECUTION_VALUES = st.one_of(
    st.text(alphabet="0123456789.", max_size=12),
    st.sampled_from(["-1", "0", "48500元", "1e3", "x", "76%", "有可能", " 1", "１"]),
    st.none(),
    st.booleans(),
    st.lists(st.just({"date": "2024-06-30", "amount": "1"}), max_size=1),
)


@given(
    st.one_of(
        st.fixed_dictionaries({"spent": _EXECUTION_VALUES}),
        st.dictionaries(
            st.sampled_from(["spent", "budget", "adjusted_budget", "rate", "explanation", "outlook", "other"]),
            _EXECUTION_VALUES,
            max_size=3,
        ),
        st.none(),
        st.text(max_size=2),
        st.lists(st.text(max_size=2), max_size=1),
    )
)
@example({"spent": "11.36"})
@example({"spent": "0"})
@example({"spent": "1000000000"})
def test_spent_only_reads_as_execution(ex: Any) -> None:
    """_spent_only gives _execution's Execution (equal, same repr, same fields in order) with nothing to say
    for every execution it reads, takes the usual {spent: 11.36}, and leaves every other to _execution."""
    from evalengine.inputs.actuals import _execution, _spent_only
    from evalengine.inputs.collect import plain_amount

    fast = _spent_only(ex)
    usual = type(ex) is dict and list(ex) == ["spent"] and plain_amount(ex["spent"]) is not None
    assert (fast is not None) == usual
    if fast is None:
        return
    c = Collector(Document({"projects": [{"execution": ex}]}, "a.json"))
    general = _execution(c, ex, ("projects", 0))
    assert not c.errors
    _alike(fast, general)


@pytest.mark.parametrize("file_signoff", ["", "signoff: {preparer: 张三, head: 李四}\n"])
def test_narratives_and_signoffs_as_read_for_every_entry(tmp_path: Path, file_signoff: str) -> None:
    """load_job calls _texts only for an entry that has narrative: or signoff:; every project gets what
    _texts, called for each, gives (the file's signoff under the project's own), absent keys and nulls alike."""
    from evalengine.inputs import actuals

    (tmp_path / "targets.yaml").write_text(_TARGETS, encoding="utf-8")
    path = tmp_path / "actuals.yaml"
    path.write_text(
        f"targets: targets.yaml\nyear: 2024\n{file_signoff}projects:\n"
        "  - code: P1\n    narrative: {work: 自评, problems: null}\n    signoff: {preparer: 王五, phone: null}\n"
        "  - code: P2\n    narrative: null\n    signoff: null\n",
        encoding="utf-8",
    )
    job = actuals.load_job(path)
    data = load_yaml(path).data
    c = Collector(load_yaml(path))
    file_own = actuals._texts(c, data, (), "signoff", actuals.SIGNOFF_KEYS)
    narratives, signoffs = {}, {}
    for i, entry in enumerate(data["projects"]):
        here = ("projects", i)
        if narrative := actuals._texts(c, entry, here, "narrative", actuals.NARRATIVE_KEYS):
            narratives[entry["code"]] = narrative
        if own := {**file_own, **actuals._texts(c, entry, here, "signoff", actuals.SIGNOFF_KEYS)}:
            signoffs[entry["code"]] = own
    assert not c.errors
    assert job.narratives == narratives and list(job.narratives) == list(narratives)
    assert job.signoffs == signoffs and list(job.signoffs) == list(signoffs)
    assert job.signoffs["P1"]["preparer"] == "王五" and ("P2" in job.signoffs) == bool(file_signoff)


def test_made_plainly_refuses_a_class_made_otherwise() -> None:
    """The import-time guard of model.made: fields other than named, or in another order, or an
    __init__ that works something out (__post_init__), or __slots__, stop it."""
    import dataclasses

    from evalengine.model import made_plainly

    @dataclasses.dataclass(frozen=True)
    class Plain:
        a: int
        b: int

    @dataclasses.dataclass(frozen=True)
    class Worked(Plain):
        def __post_init__(self) -> None:
            pass

    @dataclasses.dataclass(frozen=True, slots=True)
    class Slotted:
        a: int
        b: int

    made_plainly(Plain, ("a", "b"))
    for cls, names in ((Plain, ("b", "a")), (Plain, ("a",)), (Worked, ("a", "b")), (Slotted, ("a", "b"))):
        with pytest.raises(AssertionError):
            made_plainly(cls, names)


_NAMES = st.lists(st.sampled_from(["a", "ａ", " a", "b", "", " ", "\u3000", "c"]), max_size=6)


@given(st.lists(st.tuples(st.sampled_from(["P1", "P2", "P3", "P4"]), _NAMES), max_size=4), st.booleans())
@example([("P1", ["a", "ａ", "", "b", " "])], True)
def test_places_are_the_dict_of_every_entry(projects: list[tuple[str, list[str]]], yaml: bool) -> None:
    """Places (Job.where) holds what load_job's dict of every entry held (each project's place, then each
    indicator entry's, by (code, folded name): a name repeated keeps its first place in the order and names
    its last entry; a name folded to "" stands at the project's key): the same items in the same order,
    lookups, membership, length and repr, from a YAML document (lines) and a JSON one (key paths)."""
    import json
    import tempfile
    from itertools import repeat

    from evalengine.inputs.actuals import Places, _name_key
    from evalengine.sources.documents import parse_json

    seen: set[str] = set()
    projects = [(code, names) for code, names in projects if not (code in seen or seen.add(code))]  # type: ignore[func-returns-value]
    data = {"projects": [{"code": code, "indicators": dict.fromkeys(names, "1")} for code, names in projects]}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.yaml"
        path.write_text(text, encoding="utf-8")
        doc = load_yaml(path) if yaml else parse_json(text, "a.json")
    c = Collector(doc)
    places, general = Places(doc), {}
    for i, entry in enumerate(data["projects"]):
        here = ("projects", i)
        names = list(entry["indicators"])
        keys = [_name_key(name) for name in names]
        general[(entry["code"], "")] = c.where(here)  # load_job's dict, as it was filled
        located = [c.later((*here, "indicators", name)) for name in names]
        general.update(zip(zip(repeat(entry["code"]), keys), located, strict=True))
        places.add(entry["code"], here, names, keys)
    assert list(places.items()) == list(general.items()) and list(places) == list(general)
    assert len(places) == len(general) and repr(places) == repr(general) and places == general
    for key in [*general, ("P9", ""), ("P1", "z"), ("P2", "ａ")]:
        assert places.get(key) == general.get(key) and (key in places) == (key in general)
        if key in general:
            assert places[key] == general[key] and repr(places[key]) == repr(general[key])
        else:
            with pytest.raises(KeyError):
                places[key]


def _entry_key_as_it_was(value: Any) -> Any:
    """actuals._entry_key before its flat shortcut (the general loop alone)."""
    if type(value) is str:
        return value
    if type(value) is not dict:
        return None
    items: list[tuple[str, Any]] = []
    for key, item in value.items():
        if type(key) is not str:
            return None
        if type(item) is dict:
            inner = tuple(item.items())
            for k, v in inner:
                if type(k) is not str or type(v) is not str:
                    return None
            items.append((key, (inner,)))
        elif type(item) is str:
            items.append((key, item))
        else:
            return None
    return (tuple(items),)


_ENTRY_ITEMS = st.one_of(
    st.text(max_size=2), st.none(), st.integers(0, 2), st.dictionaries(st.text(max_size=1), st.text(max_size=1))
)


@given(
    st.one_of(
        st.text(max_size=3),
        st.dictionaries(st.one_of(st.text(max_size=2), st.integers(0, 2)), _ENTRY_ITEMS, max_size=4),
        st.dictionaries(st.text(max_size=2), st.text(max_size=2), max_size=4),
        st.lists(st.text(max_size=1), max_size=1),
        st.none(),
    )
)
def test_entry_key_is_as_it_was(value: Any) -> None:
    """_entry_key's shortcut for a mapping of text gives the key the general loop gave, for every entry."""
    from evalengine.inputs.actuals import _entry_key

    assert _entry_key(value) == _entry_key_as_it_was(value)
