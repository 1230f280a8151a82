"""`evalengine parse`: the JSON contract over the seed's targets, exit codes, --file, carets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bilingual import LANGS, check_messages, invoke
from click.testing import CliRunner
from conftest import load_compliance

from evalengine.cli.app import main

SEED_TARGETS = [case["target"] for case in load_compliance("targets.yaml")["seed"]]


def test_every_seed_target_prints_the_contract() -> None:
    result = CliRunner().invoke(main, ["parse", "--format", "json", *SEED_TARGETS])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["input"] for line in lines] == SEED_TARGETS
    assert all("error" not in line and line["canonical"] for line in lines)
    first = lines[3]  # ≥1万元
    assert first == {
        "input": "≥1万元",
        "kind": "comparison",
        "op": ">=",
        "value": "10000",
        "unit": "元",
        "direction": "forward",
        "canonical": "≥1万元",
    }


def test_errors_exit_2_with_their_column() -> None:
    result = CliRunner().invoke(main, ["parse", "--format", "json", "≥95%", "≥"])
    assert result.exit_code == 2
    ok, bad = (json.loads(line) for line in result.stdout.splitlines())
    assert ok["kind"] == "comparison"
    assert bad == {"input": "≥", "error": {"message": "the text ends too early; expected a number", "column": 2}}


@pytest.mark.parametrize("lang", LANGS)  # the same exit and caret in Chinese (tests/bilingual.py)
def test_text_errors_draw_a_caret_under_the_column(lang: str) -> None:
    result = invoke(["parse", "≥95%%"], lang)
    assert result.exit_code == 2
    check_messages(result.stderr, lang, ['cannot read "≥95%%" at column 5'], "≥95%%", result.stderr)
    assert result.stderr.splitlines()[-2:] == ["  ≥95%%", "      ^"]  # ≥ is one column wide, % one


def test_caret_counts_wide_characters_twice() -> None:
    result = CliRunner().invoke(main, ["parse", "保持稳定90%"])
    assert result.stderr.splitlines()[-1] == "  " + " " * 8 + "^"  # four CJK characters, two columns each


def test_file_reads_one_target_per_line_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "targets.txt"
    path.write_text("≥95%\n\n13月底前\n只减不增\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", "--file", str(path), "--format", "json"])
    assert result.exit_code == 2
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["line"] for line in lines] == [1, 3, 4]
    assert lines[1]["error"]["column"] == 1 and "no month 13" in lines[1]["error"]["message"]


def test_gbk_target_file_needs_its_encoding(tmp_path: Path) -> None:
    path = tmp_path / "targets.txt"
    path.write_bytes("≤404万元\n".encode("gb18030"))
    assert CliRunner().invoke(main, ["parse", "--file", str(path)]).exit_code == 2
    result = CliRunner().invoke(main, ["parse", "--file", str(path), "--encoding", "gb18030", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["value"] == "4040000"


def test_nothing_to_parse_is_a_usage_error() -> None:
    assert CliRunner().invoke(main, ["parse"]).exit_code == 2


def test_text_output_shows_each_grade_on_one_line() -> None:
    result = CliRunner().invoke(main, ["parse", "95%/90%（优/良）"])
    assert result.exit_code == 0
    assert result.stdout == "95%/90%（优/良）\tgraded grades=优≥95% 良≥90%\tcanonical=≥95%/≥90%(优/良)\n"
