"""The README's set-up is exactly two commands, and CI runs exactly those."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S)]


def test_readme_has_two_setup_commands_that_ci_runs() -> None:
    commands = setup_commands()
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert commands[0].startswith("pip install . && evalengine score examples/")
    assert commands[1] == "pip install '.[test]' && pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in commands:
        assert command in ci


def test_readme_example_paths_exist() -> None:
    example = setup_commands()[0].split("evalengine score ", 1)[1].split()[0]
    assert (ROOT / example).is_file()
    assert (ROOT / "docs" / "report.png").is_file()


def test_the_readme_api_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    assert printed == ["见义勇为专项资金 99.70 优", "5"]
    assert namespace["report"].startswith('{\n  "rules": "mof-2020"')  # type: ignore[attr-defined]
    target = namespace["target"]
    assert target.to_json() == {  # type: ignore[attr-defined]
        "kind": "comparison",
        "op": "<=",
        "value": "4040000",
        "unit": "元",
        "direction": "reverse",
    }
    assert namespace["strict"].pack.name == "hebei-linear"  # type: ignore[attr-defined]
