"""The HTML report in a real headless browser (Debian's Chromium): it renders, prints on
A4 pages, and nothing runs off the page.

CI installs Chromium (``.ci/run``) and sets ``APPRAISE_REQUIRE_BROWSER=1``, so there a
missing browser fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import appraise
from appraise.paper.provenance import build_provenance
from appraise.paper.report import build_report
from conftest import REPO, Run

A4 = (595.28, 841.89)  # points
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("APPRAISE_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (APPRAISE_REQUIRE_BROWSER) but not found")
        pytest.skip("Chromium not installed (CI installs it: see .ci/run)")
    return found


def _browser(tmp_path: Path, *args: str) -> None:
    subprocess.run(
        [_chromium(), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_report_prints_to_a4_with_nothing_off_the_page(
    run_cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    html = tmp_path / "report.html"
    result = run_cli("report", str(REPO), "-o", str(html), "--samples", "2000")
    assert result.exit_code == 0, result
    pdf = tmp_path / "report.pdf"
    _browser(tmp_path, f"--print-to-pdf={pdf}", html.as_uri())
    reader = PdfReader(pdf)
    assert len(reader.pages) > 5
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(A4[0], abs=1.5)
        assert height == pytest.approx(A4[1], abs=1.5)
    first = " ".join(unicodedata.normalize("NFKC", reader.pages[0].extract_text()).split())
    assert "Future organisational form" in first
    assert "ILLUSTRATIVE" in first
    assert "The Board is asked to" in first
    # Chromium clips what runs off a page, so a table too wide for A4 loses its last
    # columns: every table's last heading must be in the printed text
    whole = " ".join(
        unicodedata.normalize("NFKC", "".join(page.extract_text() for page in reader.pages)).split()
    )
    appraisal = appraise.load(REPO)
    sens = appraise.sensitivity(appraisal, samples=2000, seed=1)
    paper = build_report(sens, appraisal, build_provenance(appraisal, sens), charts=False)
    assert len(paper.tables) > 10
    for table in paper.tables:
        assert " ".join(table.columns[-1].name.split()) in whole, table.key
    for heading in ("Decision summary", "Value for money", "Glossary", "Provenance"):
        assert heading in whole


def test_report_renders_its_charts_on_screen(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    from PIL import Image

    html = tmp_path / "report.html"
    assert run_cli("report", str(REPO), "-o", str(html), "--samples", "1000").exit_code == 0
    png = tmp_path / "shot.png"
    _browser(tmp_path, f"--screenshot={png}", "--window-size=900,4000", html.as_uri())
    image = Image.open(png).convert("L")
    assert image.size == (900, 4000)
    # the page is not blank: text and a chart's coloured bars make plenty of dark pixels
    dark = int((np.asarray(image) < 128).sum())
    assert dark > 20_000
