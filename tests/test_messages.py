"""The message catalogue: every message of the code has its Chinese, with the same fields; the language
is chosen as the README says; click's own words come from the same catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from babel.messages.pofile import read_po as babel_read_po
from click.testing import CliRunner
from messages_catalogue import CLICK, PO, catalogue_ids, extract, fields, raw_messages

from evalengine import i18n
from evalengine.cli.app import main
from evalengine.cli.wrap import columns
from evalengine.i18n import _, choose_language, ngettext, read_po

TEXT = PO.read_text(encoding="utf-8")
SINGLES, PLURALS = read_po(TEXT)
MESSAGES = extract()
CJK = re.compile(r"[\u4e00-\u9fff]")


def _click_ids() -> set[str]:
    blocks = [b for b in TEXT.split("\n\n") if CLICK in b]
    return {i for b in blocks for i in catalogue_ids(b)}


def test_every_message_of_the_code_has_its_chinese() -> None:
    missing = [
        f"{m.where[0]}: {m.msgid!r}"
        for m in MESSAGES.values()
        if not (PLURALS if m.plural is not None else SINGLES).get(m.msgid)
    ]
    assert not missing, "no Chinese in locale/ for:\n" + "\n".join(missing)


def test_no_message_reaches_users_without_the_catalogue() -> None:
    raw = raw_messages()
    assert not raw, "shown to users without _(): \n" + "\n".join(raw)


def test_the_catalogue_holds_nothing_the_code_no_longer_says() -> None:
    ids = catalogue_ids(TEXT)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    obsolete = set(ids) - set(MESSAGES) - _click_ids()
    assert not obsolete, sorted(obsolete)


def test_translations_fill_in_the_same_fields() -> None:
    for msgid, text in SINGLES.items():
        assert fields(text) == fields(msgid), (msgid, text)
        text.format(**{name: "x" for name in fields(text)})  # well-formed braces
    for message in MESSAGES.values():
        if message.plural is not None:
            assert fields(PLURALS[message.msgid]) <= fields(message.msgid) | fields(message.plural) | {"n"}


def test_every_use_fills_in_exactly_the_fields_of_its_message() -> None:
    wrong = []
    for message in MESSAGES.values():
        wanted = fields(message.msgid) | (fields(message.plural) | {"n"} if message.plural is not None else set())
        for where, keywords in message.uses:
            if keywords is not None and keywords and set(keywords) != wanted:
                wrong.append(f"{where}: {message.msgid!r} is given {sorted(keywords)}, wants {sorted(wanted)}")
    assert not wrong, "\n".join(wrong)


def test_click_messages_in_the_catalogue_are_clicks_own() -> None:
    source = "".join(p.read_text(encoding="utf-8") for p in Path(click.__file__).parent.glob("*.py"))
    ids = _click_ids()
    assert {"Usage:", "Options", "Show this message and exit."} <= ids
    gone = [i for i in ids if f'"{i}"' not in source and f"'{i}'" not in source]
    assert not gone, f"click no longer says: {gone}"


def test_babel_reads_the_catalogue_as_evalengine_does() -> None:
    with PO.open("rb") as f:
        catalog = babel_read_po(f)
    theirs_singles = {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and m.string}
    theirs_plurals = {m.id[0]: m.string[0] for m in catalog if isinstance(m.id, tuple) and m.string[0]}
    assert theirs_singles == SINGLES
    assert theirs_plurals == PLURALS


@pytest.mark.parametrize(
    ("option", "env", "expected"),
    [
        (None, {}, "zh"),  # nothing chosen: the users' language
        (None, {"LANG": "C.UTF-8"}, "zh"),  # a container's neutral locale chooses nothing
        (None, {"LANG": "en_US.UTF-8"}, "en"),
        (None, {"LANG": "zh_CN.GBK"}, "zh"),
        (None, {"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),  # LC_ALL wins over LANG
        (None, {"LANG": "zh_CN.UTF-8", "EVALENGINE_LANG": "en"}, "en"),  # the variable wins over the locale
        ("zh", {"EVALENGINE_LANG": "en", "LANG": "en_US"}, "zh"),  # the option wins over everything
        ("en", {}, "en"),
    ],
)
def test_the_language_is_chosen_in_order(option: str | None, env: dict[str, str], expected: str) -> None:
    assert choose_language(option, env) == expected


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(i18n.LanguageError):
        choose_language(None, {"EVALENGINE_LANG": "fr"})
    result = CliRunner().invoke(main, ["rules", "list"], env={"EVALENGINE_LANG": "fr"})
    assert result.exit_code == 2 and "EVALENGINE_LANG=fr" in result.stderr
    result = CliRunner().invoke(main, ["rules", "list", "--lang", "fr"])
    assert result.exit_code == 2 and "--lang" in result.stderr


def test_messages_follow_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    msgid = next(m for m in SINGLES if fields(m))
    values = {name: "X" for name in fields(msgid)}
    monkeypatch.setattr(i18n, "_current", "en")
    assert _(msgid, **values) == msgid.format(**values)
    monkeypatch.setattr(i18n, "_current", "zh")
    assert _(msgid, **values) == SINGLES[msgid].format(**values)


def test_plurals_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    singular, chinese = next((s, t) for s, t in PLURALS.items() if s in MESSAGES)
    plural = MESSAGES[singular].plural
    assert plural is not None
    names = {name: "X" for name in (fields(singular) | fields(plural)) - {"n"}}
    monkeypatch.setattr(i18n, "_current", "en")
    assert ngettext(singular, plural, 1, **names) == singular.format(n=1, **names)
    assert ngettext(singular, plural, 3, **names) == plural.format(n=3, **names)
    monkeypatch.setattr(i18n, "_current", "zh")
    assert ngettext(singular, plural, 3, **names) == chinese.format(n=3, **names)


def _command_paths(group: click.Group = main, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group of the command line, as the words that name it (() is evalengine itself)."""
    paths = [path]
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # evalengine's own commands are imported when asked for
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            paths += _command_paths(command, (*path, name))
        else:
            paths.append((*path, name))
    return paths


@pytest.mark.parametrize("args", [[*path, "--help"] for path in _command_paths()], ids=lambda a: " ".join(a[:-1]))
def test_help_is_chinese_by_default_and_english_on_request(args: list[str]) -> None:
    unset = dict.fromkeys(("EVALENGINE_LANG", "LANG", "LC_ALL", "LC_MESSAGES"))
    zh = CliRunner().invoke(main, args, env=unset, terminal_width=80)
    en = CliRunner().invoke(main, [*args, "--lang", "en"], env=unset, terminal_width=80)
    again = CliRunner().invoke(main, args, env=unset, terminal_width=80)
    assert again.output == zh.output  # English help in between left nothing behind
    assert zh.exit_code == en.exit_code == 0, zh.output + en.output
    assert "用法" in zh.output and "Usage:" not in zh.output and "Show this message" not in zh.output
    assert "Usage:" in en.output and "Show this message and exit." in en.output
    assert "--lang" in zh.output and "--lang" in en.output
    options = re.compile(r"^  (?:-\w, )?(--[\w-]+)", flags=re.M)  # each option's line in the options list
    listed = [
        options.findall(text.split(f"\n{heading}", 1)[1])
        for text, heading in ((zh.output, "选项"), (en.output, "Options"))
    ]
    assert listed[0] == listed[1]  # the same options, in the same order
    # every line of Chinese help that says something has Chinese in it (option names and metavars aside;
    # the usage line is the command's syntax: `main history list [OPTIONS]`)
    lines = [line for line in zh.output.splitlines() if not line.startswith("用法：")]
    prose = [line for line in lines if re.search(r"[a-z]{3,} [a-z]{3,} [a-z]{3,}", line)]
    assert not prose, prose
    assert CJK.search(zh.output.split("选项", 1)[0].split("\n", 1)[1]), zh.output  # the description is Chinese
    # as a terminal of 80 columns shows it: a Chinese character takes two, and a line breaks between two
    # of them rather than inside a word, nor before closing punctuation
    for text in (zh.output, en.output):
        for line in text.splitlines():
            assert columns(line) <= 80 or " " not in line.strip(), f"{columns(line)} columns: {line}"
            assert line.strip()[:1] not in set("，。、；：）》」"), line
    assert "EVALENGINE_LANG" in zh.output and "EVALENGINE_LANG" in en.output  # not cut at the margin


def test_click_errors_follow_the_language() -> None:
    zh = CliRunner().invoke(main, ["score", "--no-such-option"], env={"EVALENGINE_LANG": "zh"})
    en = CliRunner().invoke(main, ["score", "--no-such-option", "--lang", "en"])
    assert zh.exit_code == en.exit_code == 2
    assert "No such option" in en.stderr and "--no-such-option" in zh.stderr
    assert CJK.search(zh.stderr) and "No such option" not in zh.stderr


def _glossary() -> list[tuple[str, str]]:
    text = (Path(__file__).resolve().parent.parent / "docs" / "glossary.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|", text, flags=re.M)
    return [(en, zh) for en, zh in rows if en not in {"English", "---"} and "†" not in en and not en.startswith("-")]


def test_translations_follow_the_glossary() -> None:
    terms = _glossary()
    assert len(terms) >= 20
    # longer terms first: "target table" is checked, and then not also as "target value"
    wrong = []
    for msgid, text in {**SINGLES, **PLURALS}.items():
        if msgid in _click_ids():
            continue
        for en, zh in sorted(terms, key=lambda t: -len(t[0])):
            if re.search(rf"\b{re.escape(en)}s?\b", msgid, flags=re.I) and zh not in text:
                wrong.append(f"{msgid!r}: {en} is {zh}, not in {text!r}")
    assert not wrong, "\n".join(wrong)
