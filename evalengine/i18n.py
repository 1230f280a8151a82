"""The language of every message: one catalogue, English in the code, Chinese in locale/.

The catalogue is a gettext PO file (locale/zh_CN/LC_MESSAGES/evalengine.po), the format translators'
tools (Poedit, Weblate, Babel) read and write. English is the message id, written once in the code:

    raise InputError(_("cannot read {path}: {reason}", path=path, reason=why), location)

`_` looks the English up in the current language's catalogue and fills the fields; a message with
fields is always written with them, so the two languages can never be assembled differently. The PO
file is read directly (a few milliseconds, once), so no compiled .mo file is built or shipped;
tests/test_messages.py checks that every message in the code has its Chinese, with the same fields,
and that Babel reads the catalogue as this module does.

The language is `set_language`'s (the command line's `--lang`), else EVALENGINE_LANG, else the locale
(LC_ALL, LC_MESSAGES, LANG: zh… is Chinese, any other named locale English), else Chinese: the people
who run this tool are finance staff in Chinese offices, whose Windows machines set no LANG at all.
"""

from __future__ import annotations

import os
import string
from collections.abc import Callable, Mapping
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
_HERE = Path(__file__).resolve().parent
_CATALOGUE = Path("zh_CN") / "LC_MESSAGES" / "evalengine.po"
_NEUTRAL_LOCALES = {"", "C", "POSIX"}  # set by containers and daemons, chosen by nobody

_current: str | None = None


class LanguageError(ValueError):
    """EVALENGINE_LANG or --lang names a language evalengine does not speak.

    `setting` is where it was named (``--lang fr``, ``EVALENGINE_LANG=fr``): a location, shown as it is;
    the sentence around it is the command line's, in the catalogue."""

    def __init__(self, setting: str) -> None:
        super().__init__(setting)
        self.setting = setting


def normalise(name: str) -> str | None:
    """zh, zh_CN, zh-CN.UTF-8 → zh; en, en_US.UTF-8 → en; anything else → None."""
    code = name.strip().lower().replace("-", "_")
    for lang in LANGUAGES:
        if code == lang or code.startswith(lang + "_") or code.startswith(lang + "."):
            return lang
    return None


def choose_language(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language of this run: the option, else EVALENGINE_LANG, else the locale, else Chinese."""
    env = os.environ if environ is None else environ
    if option:
        lang = normalise(option)
        if lang is None:
            raise LanguageError(setting="--lang " + option)
        return lang
    chosen = env.get("EVALENGINE_LANG", "").strip()
    if chosen:
        lang = normalise(chosen)
        if lang is None:
            raise LanguageError(setting="EVALENGINE_LANG=" + chosen)
        return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "").strip()
        if value.split(".")[0] in _NEUTRAL_LOCALES:
            continue
        return "zh" if value.lower().startswith("zh") else "en"
    return DEFAULT


def set_language(lang: str | None) -> str:
    """Speak `lang` (zh or en) from now on; None goes back to the environment's choice."""
    global _current
    _current = None if lang is None else choose_language(lang)
    return language()


def language() -> str:
    """The language messages are written in now."""
    global _current
    if _current is None:
        try:
            _current = choose_language()
        except LanguageError:  # the command line says so, located; a library caller gets the default
            _current = DEFAULT
    return _current


def _(message: str, /, **fields: Any) -> str:
    """`message` (English, as the code writes it) in the current language, its {fields} filled in."""
    text = _catalogue().get(message, message) if language() == "zh" else message
    return text.format(**fields) if fields else text


def ngettext(singular: str, plural: str, n: int, /, **fields: Any) -> str:
    """The singular or plural message for `n`, translated, with {n} and the other fields filled in."""
    return plural_form(singular, plural, n).format(n=n, **fields)


def plural_form(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for `n` in the current language, its fields not yet filled in."""
    if language() == "zh":
        return _plurals().get(singular) or (singular if n == 1 else plural)
    return singular if n == 1 else plural


def N_(message: str, /) -> str:
    """Mark a message for the catalogue without translating it now: a constant translated where used."""
    return message


class Template:
    """A message filled in many times over (a finding drawn for thousands of indicators of a batch): `_` as
    one call with its fields by position, in the order `fields` names them.

    The message is looked up in the catalogue once per language and turned into a %-template, so a fill is
    one %-formatting instead of a lookup and a str.format with keywords; it follows the language chosen at
    run time as `_` does. The fields are text only, written plainly ({name}, no conversion, no format spec):
    for text, `{name}` and `%s` write the same. Mark the message with N_ so the catalogue knows it:

        BELOW = Template(N_("{name} scored {score}"), "name", "score")
        BELOW("指标1", "11.84")  # == _("{name} scored {score}", name="指标1", score="11.84")
    """

    __slots__ = ("_lang", "_pick", "_pieces", "_text", "fields", "message")

    def __init__(self, message: str, /, *fields: str) -> None:
        self.message = message
        self.fields = fields
        self._lang = ""
        self._text = ""
        self._pick: Callable[[tuple[str, ...]], Any] | None = None
        self._pieces: tuple[str, ...] | None = None
        self._compile("en")  # a message whose fields differ from `fields` stops the import

    def _compile(self, lang: str) -> str:
        """The %-template of the message in `lang`, and which value goes to each of its %s."""
        text = _catalogue().get(self.message, self.message) if lang == "zh" else self.message
        parts: list[str] = []
        order: list[int] = []
        pieces: list[str] = [""]  # the text before, between and after the fields, as written
        for literal, name, spec, conversion in string.Formatter().parse(text):
            parts.append(literal.replace("%", "%%"))
            pieces[-1] += literal  # a brace written twice ({{) ends a literal of its own
            if name is None:
                continue
            pieces.append("")
            if spec or conversion or name not in self.fields:
                raise ValueError(f"{self.message!r}: a Template fills plain fields among {self.fields}, not {name!r}")
            parts.append("%s")
            order.append(self.fields.index(name))
        if set(order) != set(range(len(self.fields))):
            raise ValueError(f"{self.message!r} ({lang}) does not use every field of {self.fields}")
        # the values as given, when the message takes each once and in order; else picked into its order
        self._pick = None if order == list(range(len(self.fields))) else itemgetter(*order)
        self._pieces = tuple(pieces) if self._pick is None else None
        self._text = "".join(parts)
        self._lang = lang
        return self._text

    def __call__(self, *values: str) -> str:
        """The message in the current language, its fields filled with `values`."""
        lang = _current if _current is not None else language()
        text = self._text if lang == self._lang else self._compile(lang)
        pick = self._pick
        return text % (values if pick is None else pick(values))

    def pieces(self) -> tuple[str, ...] | None:
        """The message in the current language as the text before, between and after its fields (one more
        piece than fields), for a caller that joins them with the values itself in an f-string: about 2,400
        instructions where a call with its %-formatting takes 4,200 (scoring's below-weight finding, drawn
        for one indicator in five of a batch). None when the language puts the fields in another order:
        then call the template."""
        lang = _current if _current is not None else language()
        if lang != self._lang:
            self._compile(lang)
        return self._pieces


def catalogue_path() -> Path:
    """The Chinese catalogue: inside the package when installed, beside it in a source checkout."""
    for root in (_HERE / "locale", _HERE.parent / "locale"):
        if (root / _CATALOGUE).is_file():
            return root / _CATALOGUE
    raise FileNotFoundError(f"evalengine is installed without its locale/{_CATALOGUE.as_posix()}")


@cache
def _entries() -> tuple[dict[str, str], dict[str, str]]:
    return read_po(catalogue_path().read_text(encoding="utf-8"))


def _catalogue() -> dict[str, str]:
    return _entries()[0]


def _plurals() -> dict[str, str]:
    return _entries()[1]


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str) -> str:
    body = text.strip()
    if len(body) < 2 or body[0] != '"' or body[-1] != '"':
        raise ValueError(f"not a quoted PO string: {text!r}")
    out: list[str] = []
    chars = iter(body[1:-1])
    for ch in chars:
        out.append(_ESCAPES.get(next(chars, "\\"), "\\") if ch == "\\" else ch)
    return "".join(out)


def read_po(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """The translations of a PO file: {msgid: msgstr} and, for plural messages, {msgid: msgstr[0]}.

    Untranslated and fuzzy entries are left out, so their English shows. Chinese has one plural form.
    """
    singles: dict[str, str] = {}
    plurals: dict[str, str] = {}
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        fuzzy = False
        for line in block.split("\n"):
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[key] += _unquote(line)
                continue
            key, _sep, rest = line.partition(" ")
            fields[key] = _unquote(rest)
        msgid = fields.get("msgid")
        if fuzzy or not msgid or "msgctxt" in fields:
            continue
        if "msgid_plural" in fields:
            if fields.get("msgstr[0]"):
                plurals[msgid] = fields["msgstr[0]"]
        elif fields.get("msgstr"):
            singles[msgid] = fields["msgstr"]
    return singles, plurals
