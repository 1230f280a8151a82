"""The compliance cases' packs: a built-in name, or an inline mapping that extends mof-2020."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from tempfile import mkdtemp
from typing import Any

import yaml

from evalengine.packs.load import load_pack
from evalengine.packs.model import Pack

_TMP = Path(mkdtemp(prefix="evalengine-packs-"))


@cache
def _pack(spec: str) -> Pack:
    data = json.loads(spec)
    if isinstance(data, str):
        return load_pack(data)
    path = _TMP / f"inline-{abs(hash(spec))}.yaml"
    path.write_text(yaml.safe_dump({"extends": "mof-2020", **data}, allow_unicode=True), encoding="utf-8")
    return load_pack(path)


def pack_for(case: dict[str, Any]) -> Pack:
    return _pack(json.dumps(case.get("pack", "mof-2020"), ensure_ascii=False, sort_keys=True))
