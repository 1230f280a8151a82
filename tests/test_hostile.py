"""The hostile-input campaign: every case of tests/hostile/*.yaml, run by one parametrised test.

A case writes its files into a fresh folder, runs `evalengine ARGS` there, and must end with its exit
code and a located message (every `message` substring in stderr), within its timeout, with no
traceback, no temporary file left, no input file changed, and no new file but its `outputs`.

Every case runs twice, in English and in Chinese (EVALENGINE_LANG, as a user sets it). In English every
`message` substring must appear, as written. In Chinese the case must end the same way (exit code, no
traceback, the same files written and left), its located and user parts must appear unchanged, and no
English prose may remain: which fragments count as located or user data, and what counts as English
prose, is defined and explained in tests/bilingual.py. The case's inputs (its files, arguments, stdin
and generator settings) are the user data.

To see every failing Chinese case's stderr at a glance:

    pytest tests/test_hostile.py -qk zh --tb=line -p no:cacheprovider | grep -aE '^E |^    (stderr|Eng|miss|no C)'
"""

from __future__ import annotations

import os
import signal
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import hostile_generators
import pytest
import yaml
from bilingual import (
    LANGS,
    check_messages,
    english_prose,
    inputs_of,
    invoke,
    is_location_or_data,
    locations,
    untranslated,
)
from click.testing import Result

from evalengine import i18n
from evalengine.errors import InputError, Location, TargetSyntaxError
from evalengine.text import unknown_key

HOSTILE = Path(__file__).resolve().parent / "hostile"
KEYS = {"id", "why", "files", "binary_files", "args", "stdin", "exit", "message", "outputs", "timeout"}


def load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(HOSTILE.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            assert set(case) <= KEYS, f"{path.name}: {case.get('id')}: unknown keys {set(case) - KEYS}"
            assert {"id", "why", "args", "exit"} <= set(case), f"{path.name}: {case.get('id')}: incomplete"
            cases.append({**case, "_file": path.name})
    return cases


CASES = load_cases()


def test_case_ids_are_unique() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _regular_files(folder: Path) -> dict[str, bytes]:
    """Every regular file under `folder` (devices, pipes and links are inputs of another kind)."""
    out = {}
    for path in folder.rglob("*"):
        if stat.S_ISREG(path.lstat().st_mode):
            out[str(path.relative_to(folder))] = path.read_bytes()
    return out


def _entries(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def prepare(case: dict[str, Any], folder: Path) -> None:
    """Write the case's files and make its devices, pipes and links in `folder`."""
    for name, text in (case.get("files") or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for name, spec in (case.get("binary_files") or {}).items():
        args = dict(spec)
        generator = getattr(hostile_generators, args.pop("generator"))
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        generator(folder / name, **args)


def run_case(case: dict[str, Any], lang: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(folder)
    with deadline(case.get("timeout", 10)):
        return invoke(case["args"], lang, input=case.get("stdin"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hostile_input(
    case: dict[str, Any],
    lang: str,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prepare(case, tmp_path)
    before, entries = _regular_files(tmp_path), _entries(tmp_path)
    result = run_case(case, lang, tmp_path, monkeypatch)
    shown = f"{case['_file']}: {case['id']} [{lang}]: {case['why']}\nstdout: {result.stdout[:2000]}"
    shown += f"\nstderr: {result.stderr}"
    assert result.exception is None or isinstance(result.exception, SystemExit), f"{shown}\n{result.exception!r}"
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr, shown
    assert result.exit_code == case["exit"], shown
    assert not [p for p in tmp_path.rglob(".*.tmp")], f"{shown}\na temporary file was left behind"
    after = _regular_files(tmp_path)
    changed = sorted(name for name, data in before.items() if after.get(name) != data)
    assert not changed, f"{shown}\ninput files changed or removed: {changed}"
    new = _entries(tmp_path) - entries
    allowed = set(case.get("outputs") or [])
    assert new <= allowed, f"{shown}\nfiles written: {sorted(new - allowed)}"
    for name, spec in (case.get("binary_files") or {}).items():  # a device or a link stays what it was
        if spec["generator"] == "char_device":
            assert stat.S_ISCHR(os.lstat(tmp_path / name).st_mode), f"{shown}\n{name} was replaced"
        if spec["generator"] == "symlink":
            assert (tmp_path / name).is_symlink(), f"{shown}\n{name} was replaced"
    if lang != "en":  # the locations of the English run, in a folder of its own, read the same
        english = tmp_path_factory.mktemp("en")
        prepare(case, english)
        in_english = run_case(case, "en", english, monkeypatch).stderr.replace(str(english), "DIR")
        assert locations(result.stderr.replace(str(tmp_path), "DIR")) == locations(in_english), (
            f"{shown}\nEnglish: {in_english}"
        )
    binary = case.get("binary_files") or {}
    generated = [(name, {k: v for k, v in spec.items() if k != "generator"}) for name, spec in binary.items()]
    inputs = inputs_of(case.get("files"), case["args"], case.get("stdin"), generated)
    check_messages(result.stderr, lang, case.get("message") or [], inputs, shown)


def test_the_chinese_checks_pass_converted_messages_and_refuse_english() -> None:
    """The checks of tests/bilingual.py, tried on messages whose code speaks both languages already
    (errors.py's locations, hints and target syntax errors; text.py's unknown keys and suggestions): the
    Chinese passes, the English of the same error fails as Chinese output, and locations read the same."""
    inputs = "examples:\n  - {scor: 1}\nprojects:\n  - indicators: [{target: ≥95%%}]\n"
    fragments = ["pack.yaml:4", "examples[0].scor", "unknown key 'scor'", "did you mean 'score'"]
    fragments += ["targets.yaml:35:17", "projects[0].indicators[0].target", 'cannot read "≥95%%" at column 5', "^"]
    texts = {}
    for lang in LANGS:
        i18n.set_language(lang)
        try:
            message, hint = unknown_key("scor", ["score", "weight"])
            unknown = InputError(message, Location("pack.yaml", 4, 47, "examples[0].scor"), hint)
            where = Location("targets.yaml", 35, 17, "projects[0].indicators[0].target")
            texts[lang] = f"{unknown}\n{TargetSyntaxError('≥95%%', 5, '', where)}"
        finally:
            i18n.set_language(None)
    check_messages(texts["en"], "en", fragments, inputs)
    check_messages(texts["zh"], "zh", fragments, inputs)
    with pytest.raises(AssertionError, match="no Chinese"):
        check_messages(texts["en"], "zh", fragments, inputs)
    with pytest.raises(AssertionError, match="English prose"):
        check_messages("错误：" + texts["en"], "zh", fragments, inputs)
    assert texts["zh"].splitlines()[-1] == texts["en"].splitlines()[-1]  # the caret, under the same column
    assert locations(texts["zh"]) == locations(texts["en"]) == ["      ^", "pack.yaml:4:47", "targets.yaml:35:17"]
    assert untranslated(fragments, inputs) == [
        "pack.yaml:4",
        "examples[0].scor",
        "scor",
        "score",
        "targets.yaml:35:17",
        "projects[0].indicators[0].target",
        "≥95%%",
        "^",
    ]


@pytest.mark.parametrize(
    ("fragment", "kept"),
    [
        ("actuals.yaml:3:39", True),
        ("report.pdf", True),
        ("1.项目!A1:XFD1048576", True),
        ("G5:G1048576", True),
        ("spending_plan.6月底", True),
        ("--encoding gbk", True),
        ("year", True),  # a key of the case's input
        ("aliases", False),  # a word of the message
        ("out of range", False),
        ("column 2", False),
        ("1900 to 2200", False),
        ("--format xlsx writes a file", False),
    ],
)
def test_fragments_are_located_or_prose(fragment: str, kept: bool) -> None:
    assert is_location_or_data(fragment, "year: ²⁰²⁴\n") is kept


def test_english_prose_is_runs_of_words_outside_data_and_commands() -> None:
    inputs = "title: My own pack\n"
    text = (
        "错误：pack.yaml:2 (title): 标题 “My own pack” 含控制字符 U+001B ESC\n"
        "  提示：请用 evalengine rules show pack.yaml 查看\n"
        "错误：无法写入 full：No space left on device\n"
    )
    assert english_prose(text, inputs) == []
    assert english_prose("错误：x.yaml:2: expected a year from 1900", inputs) == ["expected a year from"]
    assert english_prose("错误：unknown encoding “klingon”", inputs) == ["unknown encoding"]
