"""Bad input in both languages: what must read the same in Chinese, and what must not stay English.

A test of bad input asserts `message` fragments of today's English. Run in Chinese (EVALENGINE_LANG=zh)
the same case must end the same way (exit code, no traceback, the same files written or left), and:

* every fragment that is a *location* or *user data* appears in the Chinese stderr too, because
  neither is translated. A fragment is one of these when, as a whole, it is
  - a file name, optionally with `:line` or `:line:col` (`actuals.yaml:6`, `actuals.yaml:3:39`,
    `report.pdf`, `actuals.yaml:`),
  - a cell or range, optionally on its sheet (`1.项目!E5`, `A1:XFD1048576`, `设置!B1`),
  - a key path with at least one `.` or `[n]` (`projects[0].budget`, `覆盖率.numerator`),
  - a caret line (only spaces and `^`),
  - an option, alone or with its value (`--year`, `--encoding gbk`),
  - or any text found verbatim in the case's own inputs: the files it writes, its arguments, its
    stdin (`year`, `²⁰²⁴`, `klingon`, `全部完成`, `NaN`: keys, values and names the user wrote).
  Of any other fragment (English prose: `out of range`, `did you mean 'score'`), only its quoted parts
  (`'score'`, `"≥95%%"`) are required: a quoted value or key name is never translated, though Chinese
  may quote it “so”. Everything else (`column 5`, `5,000 rows`, `1900 to 2200`) is prose, and its
  Chinese is free.
* stderr holds Chinese text that the inputs do not (the message itself, not only echoed data);
* stderr holds no untranslated English prose: no run of three or more English words (`[A-Za-z]+`
  separated by single spaces, not starting inside a path, file name or option) unless the run is found
  in the case's inputs (user data), is a command line shown to the user (`evalengine score form.xlsx`),
  or is part of an operating-system error text (`os.strerror`, e.g. `No space left on device`), which
  evalengine passes on as the system wrote it. One-letter words count: with words of two letters or
  more only, `expected a year from 1900 to 2200` or `is not a regular file` would pass as Chinese,
  since articles and numbers break every run. Two lower-case words of two letters or more
  (`unknown encoding`, `expected text`, `found true`) are a run too: Chinese text has no such pair
  but in a command line. (The program is `main` under click's test runner, `evalengine` for users.)

In English every fragment must appear, as before. `invoke` sets the language through the runner's
environment and puts the process back to the environment's language afterwards, so a Chinese run
never leaks into the next test.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click
from click.testing import CliRunner, Result

from evalengine import i18n
from evalengine.cli.app import main

LANGS = ("en", "zh")

FILE_LOCATION = re.compile(r"[^\s:'\"]+\.[A-Za-z0-9]{1,5}(?::\d+){0,2}:?")
CELL = re.compile(r"(?:[^\s!'\"]+!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?")
KEY_PATH = re.compile(r"[\w()（）%]+(?:\[\d+\])*(?:\.[\w()（）%]+(?:\[\d+\])*)*")
CARET = re.compile(r" *\^+ *")
OPTION = re.compile(r"--[a-z][a-z-]*(?:[ =][^\s]+)?")
QUOTED = re.compile(r"(?<![\w])(?:'([^'\n]+)'|\"([^\"\n]+)\")(?![\w])")
ENGLISH_RUN = re.compile(r"(?<![A-Za-z0-9_\-./\\])(?:[A-Za-z]+(?: [A-Za-z]+){2,}|[a-z]{2,} [a-z]{2,})(?![A-Za-z0-9_])")
CHINESE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]+")
SYSTEM_ERRORS = "\n".join(os.strerror(n) for n in sorted(errno.errorcode))
COMMANDS = frozenset(main.list_commands(click.Context(main)))


LOCATION = re.compile(
    r"[A-Za-z0-9_./-]+\.[A-Za-z]{1,5}:\d+(?::\d+)?"  # file:line[:col] (an ASCII name: Chinese may touch it)
    r"|![$]?[A-Z]{1,3}[$]?\d+(?::[$]?[A-Z]{1,3}[$]?\d+)?"  # !cell or !range, after its sheet
    r"|^ *\^+ *$",  # a caret line
    flags=re.M,
)


def locations(text: str) -> list[str]:
    """The locations `text` names (file:line:col, a sheet's cells, caret lines), sorted: the same in every language."""
    return sorted(m.group(0) for m in LOCATION.finditer(text))


def is_location_or_data(fragment: str, inputs: str) -> bool:
    """Whether `fragment` is a location or user data (see the module's docstring): the same in every language."""
    if fragment in inputs:
        return True
    if KEY_PATH.fullmatch(fragment) and not ("." in fragment or "[" in fragment):
        return False  # a bare word that the inputs do not hold is prose
    return any(p.fullmatch(fragment) for p in (FILE_LOCATION, CELL, KEY_PATH, CARET, OPTION))


def untranslated(fragments: Iterable[Any], inputs: str) -> list[str]:
    """The parts of the English `fragments` that Chinese output must show as they are."""
    out: list[str] = []
    for fragment in map(str, fragments):
        if is_location_or_data(fragment, inputs):
            out.append(fragment)
            continue
        for match in QUOTED.finditer(fragment):
            out.append(match.group(1) or match.group(2))
    return out


def english_prose(text: str, inputs: str) -> list[str]:
    """Runs of three or more English words in `text` that are neither user data, a command line nor the system's."""
    found = []
    for match in ENGLISH_RUN.finditer(text):
        run = match.group(0)
        words = run.split()
        if run in inputs or run in SYSTEM_ERRORS:
            continue
        if words[0] in ("evalengine", "main") and words[1] in COMMANDS:
            continue
        found.append(run)
    return found


def has_chinese_of_its_own(text: str, inputs: str) -> bool:
    """Whether `text` holds Chinese (or full-width punctuation) that is not merely echoed from the inputs."""
    return any(run not in inputs for run in CHINESE.findall(text))


def inputs_of(*parts: Any) -> str:
    """The text of a case's inputs (file contents, arguments, stdin, generator specs), for finding user data."""
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, (list, tuple, set)):
            for item in value:
                walk(item)
        elif value is not None:
            out.append(str(value))

    walk(parts)
    return "\n".join(out)


def invoke(args: Sequence[Any], lang: str, **kwargs: Any) -> Result:
    """`evalengine ARGS` in `lang` (through EVALENGINE_LANG, as a user sets it), the language reset afterwards."""
    try:
        return CliRunner(env={"EVALENGINE_LANG": lang}).invoke(main, [str(a) for a in args], **kwargs)
    finally:
        i18n.set_language(None)


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Library code below the command line speaks `lang` inside the block, the environment's language after."""
    i18n.set_language(lang)
    try:
        yield
    finally:
        i18n.set_language(None)


def check_messages(stderr: str, lang: str, fragments: Iterable[Any], inputs: str, shown: str = "") -> None:
    """Assert the `fragments` of today's English in English; in Chinese, the located and user parts, Chinese
    text of its own and no English prose (see the module's docstring)."""
    fragments = [str(f) for f in fragments]
    if lang == "en":
        for fragment in fragments:
            assert fragment in stderr, f"{shown}\nmissing from stderr: {fragment!r}"
        return
    for fragment in untranslated(fragments, inputs):
        assert fragment in stderr, f"{shown}\nmissing from the Chinese stderr (a location or user data): {fragment!r}"
    if stderr.strip():
        assert has_chinese_of_its_own(stderr, inputs), f"{shown}\nno Chinese in the Chinese stderr"
    prose = english_prose(stderr, inputs)
    assert not prose, f"{shown}\nEnglish prose in the Chinese stderr: {prose}"
