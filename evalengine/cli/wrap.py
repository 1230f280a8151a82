"""Help text wrapped by what a terminal shows.

Click measures a line in characters and breaks it only at spaces. A Chinese character takes two
columns, and Chinese has no spaces: `score --help` in Chinese came out nearly twice as wide as the
terminal, and words such as EVALENGINE_LANG were cut in two wherever the column ran out. Here a line
is measured in columns (East Asian wide and full-width characters count two), may break between two
Chinese characters, and never begins with closing punctuation (，。：）…) nor ends with an opening one.
Text without wide characters is cut exactly as click cuts it.
"""

from __future__ import annotations

import re
import unicodedata

import click._textwrap
import click.formatting

_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")
_CLOSING = set("，。、；：！？）》」』】”’%…")
_OPENING = set("（《「『【“‘")


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def columns(text: str) -> int:
    """The columns `text` takes on a terminal: wide characters two, escape sequences none."""
    visible = _ANSI.sub("", text)
    return len(visible) + sum(1 for ch in visible if _wide(ch))


def _pieces(chunk: str) -> list[str]:
    """`chunk` cut where a line may break: around each wide character, keeping punctuation with its word."""
    if not any(_wide(ch) for ch in chunk):
        return [chunk]
    pieces: list[str] = []
    glue = False  # the next character joins the last piece (it follows an opening mark)
    for ch in chunk:
        joins = pieces and (glue or ch in _CLOSING or not (_wide(ch) or _wide(pieces[-1][-1])))
        if joins:
            pieces[-1] += ch
        else:
            pieces.append(ch)
        glue = ch in _OPENING
    return pieces


class WideTextWrapper(click._textwrap.TextWrapper):
    """Click's wrapper, breaking between Chinese characters as well as at spaces."""

    def _split(self, text: str) -> list[str]:
        return [piece for chunk in super()._split(text) for piece in _pieces(chunk)]


def install() -> None:
    """Point click's help formatting at the column measure and the wrapper above."""
    click._textwrap.term_len = columns  # type: ignore[attr-defined,assignment]
    click.formatting.term_len = columns  # type: ignore[attr-defined,assignment]
    click._textwrap.TextWrapper = WideTextWrapper  # type: ignore[misc]
