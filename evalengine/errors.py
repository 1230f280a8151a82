"""One error hierarchy. Every error says where it happened and what to do about it.

Only the CLI turns these into messages and exit codes; library code raises them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from evalengine.i18n import _, ngettext

KeyPath = tuple[str | int, ...]  # a YAML key path: ("projects", 0, "indicators")


@dataclass(frozen=True)
class Location:
    """Where in the user's input something was found: file, line, column, YAML key path."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: KeyPath | str | None = None  # YAML key path; written out only when shown
    cell: str | None = None  # a spreadsheet cell, as Excel names it: 1.见义勇为专项资金!F8

    @property
    def keypath(self) -> str | None:
        """The key path as users write it: projects[0].indicators.补助覆盖率(%)."""
        if self.path is None or isinstance(self.path, str):
            return self.path or None
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out or None

    def __str__(self) -> str:
        parts = []
        if self.file and self.cell:
            parts.append(f"{self.file} [{self.cell}]")
        elif self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        elif self.line is not None:
            parts.append(_("line {line}", line=self.line))
        if self.keypath:
            parts.append(f"({self.keypath})" if parts else self.keypath)
        return " ".join(parts)


class EvalEngineError(Exception):
    """Base of every error evalengine raises on bad input; the CLI exits 2 on these."""

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location and str(self.location) else self.message
        if self.hint:
            text += "\n  " + _("hint: {hint}", hint=self.hint)
        return text


class InputError(EvalEngineError):
    """A file or value the user supplied cannot be used as it is."""


class ReadError(InputError):
    """A file that cannot be read at all: missing, not text in its encoding, or not YAML."""


class ScoringError(InputError):
    """An actual that cannot be scored against its target (wrong kind, unit, or out-of-band score)."""

    indicator: str | None = None  # the indicator's name, where one is to blame


class OutputError(EvalEngineError):
    """The report cannot be written where asked: an unwritable place, a device, or an input file."""


class ErrorGroup(EvalEngineError):
    """Several input errors found together, so the user can fix them in one pass."""

    def __init__(self, errors: list[EvalEngineError]):
        self.errors = errors
        head = ngettext("{n} error:", "{n} errors:", len(errors))
        super().__init__(head + "\n" + "\n".join(f"- {e}" for e in errors))

    def __str__(self) -> str:
        return self.message


def display_width(text: str) -> int:
    """Terminal columns `text` occupies: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class TargetSyntaxError(InputError):
    """A target or actual value that does not read as any form of the target language."""

    def __init__(self, text: str, column: int, message: str, location: Location | None = None):
        self.text = text
        self.column = column  # 1-based, in the text as the user wrote it
        super().__init__(message, location)

    def caret(self) -> str:
        """The target string with a caret under the column at fault (wide characters count twice)."""
        pad = " " * display_width(self.text[: max(self.column - 1, 0)])
        return f"  {self.text}\n  {pad}^"

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location and str(self.location) else ""
        said = _(
            'cannot read "{text}" at column {column}: {message}',
            text=self.text,
            column=self.column,
            message=self.message,
        )
        return f"{where}{said}\n{self.caret()}"


def keypath_text(path: KeyPath) -> str:
    """The key path as users write it: projects[0].indicators.补助覆盖率(%)."""
    return Location(path=path).keypath or ""
