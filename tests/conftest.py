"""Shared helpers for the test suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from evalengine import i18n

# The suite reads messages in English unless a test asks for Chinese (--lang zh, or i18n.set_language);
# the tests of both languages say so themselves. Users get Chinese by default.
os.environ["EVALENGINE_LANG"] = "en"

ROOT = Path(__file__).resolve().parent.parent
COMPLIANCE = Path(__file__).resolve().parent / "compliance"
SEED = ROOT.parent / "shared" / "seeds" / "000_751714fef768bc2d.txt"


def load_compliance(name: str) -> Any:
    return yaml.safe_load((COMPLIANCE / name).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _the_suites_language() -> Iterator[None]:
    """A command run with --lang zh keeps speaking Chinese to the library calls of the tests after it
    (the language is the process's): every test starts again from EVALENGINE_LANG."""
    yield
    i18n.set_language(None)
