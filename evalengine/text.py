"""Text helpers shared by every layer: Unicode normalisation and 'did you mean' suggestions."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from evalengine.i18n import _

FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")  # what a Chinese IME types for 2024


_CJK = re.compile(r"[\u3400-\u9fff]")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    # Chinese words are short: 大成 for 达成 shares one character of two, a ratio of exactly 0.5
    cutoff = 0.5 if _CJK.search(word) else 0.6
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return _(" (did you mean {word!r}?)", word=matches[0]) if matches else ""


def unknown_key(key: str, allowed: Iterable[str]) -> tuple[str, str]:
    """The message and hint for a key that is not one of `allowed`."""
    names = list(allowed)
    message = _("unknown key {key!r}{suggestion}", key=key, suggestion=did_you_mean(key, names))
    return message, _("allowed here: {keys}", keys=", ".join(names))


@lru_cache(maxsize=1 << 12)  # indicator and level names repeat; project codes do not and must not pile up
def nfkc(text: str) -> str:
    """Unicode NFKC: full-width forms become half-width, so （%） and (%) name the same thing."""
    return unicodedata.normalize("NFKC", text)


def nfkc_unique(text: str) -> str:
    """nfkc() of a value that seldom repeats (a project code, an amount): ASCII, its own NFKC, is returned
    as it is and kept out of nfkc's cache, where unique values would only push the repeating names out."""
    return text if text.isascii() else nfkc(text)
