"""The HTML report in a real browser: headless Chromium loads it and the DOM's totals match the JSON.

Skipped where no Chromium is installed, except when EVALENGINE_REQUIRE_BROWSER is set (as .ci/run
does after installing Debian's chromium): there a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from evalengine.cli.app import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zunhua-2024" / "actuals.yaml"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    found = os.environ.get("EVALENGINE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("EVALENGINE_REQUIRE_BROWSER"):
        pytest.fail("EVALENGINE_REQUIRE_BROWSER is set but no chromium was found")
    pytest.skip("no chromium installed (apt-get install chromium)")


class DomTotals(HTMLParser):
    """Collects what a reader sees: project totals, the overview's totals, the average."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, str] = {}
        self.cells: list[str] = []
        self.overview: list[str] = []
        self.average = ""
        self._into: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "section" and "project" in classes:
            self.sections[a["data-code"] or ""] = a["data-total"] or ""
        if tag == "td" and "project-total" in classes:
            self._into = "cell"
        elif tag == "td" and "total" in classes:
            self._into = "overview"
        elif a.get("id") == "summary-average":
            self._into = "average"

    def handle_data(self, data: str) -> None:
        if not data.strip() or self._into is None:
            return
        if self._into == "cell":
            self.cells.append(data.strip())
        elif self._into == "overview":
            self.overview.append(data.strip())
        else:
            self.average = data.strip()
        self._into = None


def test_report_renders_in_chromium_with_the_json_totals(tmp_path: Path) -> None:
    browser = chromium()
    html = tmp_path / "report.html"
    runner = CliRunner()
    assert runner.invoke(main, ["score", str(EXAMPLE), "-o", str(html)]).exit_code == 0
    data = json.loads(runner.invoke(main, ["score", str(EXAMPLE), "--format", "json"]).stdout)
    dom = subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", html.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "</html>" in dom  # the browser parsed and serialised the whole page
    seen = DomTotals()
    seen.feed(dom)
    totals = [p["total"] for p in data["projects"]]
    assert seen.sections == {p["code"]: p["total"] for p in data["projects"]}
    assert seen.cells == totals  # the 总分 cell of every 自评表
    assert seen.overview == totals  # the overview table
    assert seen.average == data["summary"]["average"]
    screenshot = tmp_path / "report.png"
    subprocess.run(
        [
            browser,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1000,1400",
            f"--screenshot={screenshot}",
            html.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert screenshot.stat().st_size > 10_000  # a real page was painted
