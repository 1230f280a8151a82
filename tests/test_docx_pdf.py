"""The Word documents opened by a real word processor: LibreOffice converts the self-evaluation, the
monitoring report, a target review and an audit to PDF, poppler renders the first pages to PNG, and
every page is A4.

Skipped where LibreOffice or poppler is missing, except when EVALENGINE_REQUIRE_LIBREOFFICE is set (as
.ci/run does after installing Debian's libreoffice-writer and poppler-utils): there it is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from evalengine.cli.app import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zunhua-2024"
A4 = (595.0, 842.0)  # points


def tools() -> tuple[str, str, str]:
    found = [shutil.which(name) for name in ("soffice", "pdfinfo", "pdftoppm")]
    if all(found):
        return found[0], found[1], found[2]  # type: ignore[return-value]
    missing = [name for name, path in zip(("soffice", "pdfinfo", "pdftoppm"), found, strict=True) if not path]
    if os.environ.get("EVALENGINE_REQUIRE_LIBREOFFICE"):
        pytest.fail(f"EVALENGINE_REQUIRE_LIBREOFFICE is set but {', '.join(missing)} is missing")
    pytest.skip(f"{', '.join(missing)} not installed (apt-get install libreoffice-writer poppler-utils)")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize(
    ("args", "pages", "landscape"),
    [
        (["score", str(EXAMPLE / "actuals.yaml")], 13 + 12, False),  # the overview, then a report and a 自评表 each
        (["monitor", str(EXAMPLE / "monitoring" / "actuals-2024-06.yaml"), "--as-of", "2024-06-30"], 2, True),
        (["review", str(EXAMPLE / "targets.yaml")], 3, False),  # 12 projects' 审核意见, a letter
        (["audit", str(EXAMPLE.parent / "audit" / "tables.yaml")], 2, True),  # two tables, as wide as the 自评表
    ],
    ids=["score", "monitor", "review", "audit"],
)
def test_libreoffice_prints_the_document_on_a4(args: list[str], pages: int, landscape: bool, tmp_path: Path) -> None:
    soffice, pdfinfo, pdftoppm = tools()
    document = tmp_path / "report.docx"
    result = CliRunner().invoke(main, [*args, "-o", str(document)])
    assert result.exit_code == 0, result.output
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(document)],
        capture_output=True, timeout=300, check=True,
    )  # fmt: skip
    pdf = tmp_path / "report.pdf"
    assert pdf.is_file(), "LibreOffice wrote no PDF"
    info = subprocess.run([pdfinfo, "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True)
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    assert len(sizes) >= pages, f"{len(sizes)} pages, expected at least {pages}"
    expected = A4[::-1] if landscape else A4
    for width, height in sizes:
        assert abs(float(width) - expected[0]) < 2 and abs(float(height) - expected[1]) < 2, (width, height)
    first = min(pages, 3)
    subprocess.run(
        [pdftoppm, "-r", "36", "-png", "-f", "1", "-l", str(first), str(pdf), str(tmp_path / "page")], check=True
    )
    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) == first
    for png in rendered:  # 36 dpi: A4 is 298 × 421 pixels
        width, height = png_size(png)
        assert (width, height) == ((421, 298) if landscape else (298, 421)), (png.name, width, height)
        assert png.stat().st_size > 2_000  # something was drawn
