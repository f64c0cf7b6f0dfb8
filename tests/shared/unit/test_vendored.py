"""Vendored front-end libraries: pinned versions, their licences beside them, and checksums that still match."""

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = json.loads((ROOT / "shared" / "web" / "static" / "vendor" / "manifest.json").read_text(encoding="utf-8"))


def test_every_vendored_file_matches_its_recorded_checksum() -> None:
    for package in MANIFEST:
        for path, digest in package["sha256"].items():
            assert hashlib.sha256((ROOT / path).read_bytes()).hexdigest() == digest, f"{path} changed"


def test_nothing_unlisted_lies_in_a_vendor_folder_and_each_has_its_licence() -> None:
    for package in MANIFEST:
        folder = ROOT / package["folder"]
        present = {str(p.relative_to(ROOT)) for p in folder.iterdir()}
        assert present == set(package["sha256"]), f"{folder} holds unlisted or missing files"
        assert any(Path(p).name in ("LICENSE", "OFL.txt") for p in present), f"{folder} has no licence"
        assert folder.name.endswith(f"-{package['version']}"), "the folder names the pinned version"
        assert package["licence"] and package["npm_integrity"].startswith("sha512-")
