"""The hostile-input campaign: every case in tests/hostile/*.yaml, run by one parametrised test.

A case writes its files into a fresh folder, runs one command there and asserts what a user is promised
for bad input: the exit code, a located message on stderr (every listed substring), no traceback, no
file written besides the listed `outputs`, no temporary file left, no input changed, and an answer
within `timeout` seconds. The schema is in tests/hostile/README.md.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import hostile_generators
import pytest
import yaml
from click.testing import CliRunner

from evalengine.cli.app import main

HOSTILE = Path(__file__).resolve().parent / "hostile"

CASE_KEYS = {"id", "why", "files", "binary_files", "args", "stdin", "exit", "message", "outputs", "timeout"}


def _cases() -> Iterator[Any]:
    seen: dict[str, str] = {}
    for path in sorted(HOSTILE.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            assert set(case) <= CASE_KEYS, f"{path.name}: {case.get('id')}: unknown keys {set(case) - CASE_KEYS}"
            assert case["id"] not in seen, f"case id {case['id']} in {path.name} is also in {seen[case['id']]}"
            seen[case["id"]] = path.name
            yield pytest.param(case, id=case["id"])


def _snapshot(root: Path) -> dict[str, bytes | None]:
    """Every entry under `root`: the bytes of regular files, None for anything else (never opened)."""
    out: dict[str, bytes | None] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            out[rel] = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    return out


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout()


@pytest.mark.parametrize("case", list(_cases()))
def test_hostile(case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, text in (case.get("files") or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name, spec in (case.get("binary_files") or {}).items():
        args = dict(spec)
        generator = getattr(hostile_generators, args.pop("generator"))
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        generator(tmp_path / name, **args)
    before = _snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    timeout = int(case.get("timeout", 10))
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    try:
        result = CliRunner().invoke(main, [str(a) for a in case["args"]], input=case.get("stdin"))
    except _Timeout:
        pytest.fail(f"took longer than {timeout} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    if isinstance(result.exception, _Timeout):
        pytest.fail(f"took longer than {timeout} s")
    shown = f"exit {result.exit_code}\n--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-3000:]}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {type(result.exception).__name__}\n{shown}") from result.exception
    assert "Traceback" not in result.stdout + result.stderr, shown
    assert result.exit_code == case["exit"], shown
    for part in case.get("message") or []:
        assert str(part) in result.stderr, f"{part!r} is not in the message\n{shown}"
    after = _snapshot(tmp_path)
    allowed = set(case.get("outputs") or [])
    new = {name for name in set(after) - set(before) if name not in allowed}
    assert not new, f"files written: {sorted(new)}\n{shown}"
    assert not [n for n in after if Path(n).name.startswith(".") and n.endswith(".tmp")], f"temporary files\n{shown}"
    changed = [name for name, data in before.items() if after.get(name, b"") != data]
    assert not changed, f"inputs changed or removed: {changed}\n{shown}"
