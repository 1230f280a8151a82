"""The README's set-up is exactly two commands, and CI runs exactly those."""

from __future__ import annotations

import re
from pathlib import Path

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
