"""docs/writing-rules.md is run, snippet by snippet, in order, in an empty folder.

```yaml blocks whose first line is `# file: NAME` write NAME; each line of a ```sh block is run
(`# exits N` states the exit code, 0 otherwise); a bare ``` block is output the command before it
must show, line by line.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from evalengine.cli.app import main

DOC = Path(__file__).resolve().parent.parent / "docs" / "writing-rules.md"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)


def test_every_snippet_of_writing_rules_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    last_output = ""
    ran = written = 0
    for lang, body in BLOCK.findall(DOC.read_text(encoding="utf-8")):
        if lang == "yaml":
            first, _, rest = body.partition("\n")
            assert first.startswith("# file: "), f"a yaml snippet must name its file: {first}"
            Path(first.removeprefix("# file: ").strip()).write_text(rest, encoding="utf-8")
            written += 1
        elif lang == "sh":
            for line in filter(None, (raw.strip() for raw in body.splitlines())):
                command, _, comment = line.partition("#")
                expected = int(m.group(1)) if (m := re.search(r"exits (\d)", comment)) else 0
                args = shlex.split(command)
                assert args[0] == "evalengine"
                result = runner.invoke(main, args[1:])
                assert result.exit_code == expected, f"{line}\n{result.output}"
                last_output = result.output
                ran += 1
        elif lang == "":
            for expected_line in body.strip().splitlines():
                assert expected_line.strip() in last_output, expected_line
    assert ran >= 6 and written >= 4
