"""Reading the PDFs people print in tests: poppler's tools, and the QR code on the rendered page."""

import subprocess
from pathlib import Path

import zxingcpp
from PIL import Image

from tests.support.browser import RESULTS


def poppler(*command: str) -> str:
    """A poppler tool's output (pdftotext, pdffonts, pdftoppm)."""
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120).stdout


def qr_address(pdf: Path, screenshot: str) -> str:
    """The address the PDF's one QR code holds, read off its page rendered at 150 dpi (saved as a screenshot)."""
    stem = pdf.with_suffix("")
    poppler("pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(stem))
    image = Image.open(stem.with_suffix(".png"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    image.save(RESULTS / f"{screenshot}.png")
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1, codes
    return codes[0].text
