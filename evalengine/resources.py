"""Where the data that ships with evalengine lives: grammar/ (with the vocabulary), rules/ (the packs),
templates/ and mappings/ (the layouts of provinces' tables).

In a wheel they are installed inside the package; in a source checkout they sit beside it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from evalengine.i18n import _

_HERE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    for candidate in (_HERE / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(_("evalengine is installed without its {name}/ directory", name=name))


def grammar_path() -> Path:
    return data_dir("grammar") / "targets.lark"


def vocabulary_path() -> Path:
    """The words of the target language: with the grammar, out of reach of `rules/*.yaml` (the packs)."""
    return data_dir("grammar") / "vocabulary.yaml"


def rules_dir() -> Path:
    return data_dir("rules")


def templates_dir() -> Path:
    return data_dir("templates")
