"""Shared helpers for the test suite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPLIANCE = Path(__file__).resolve().parent / "compliance"
SEED = ROOT.parent / "shared" / "seeds" / "000_751714fef768bc2d.txt"


def load_compliance(name: str) -> Any:
    return yaml.safe_load((COMPLIANCE / name).read_text(encoding="utf-8"))
