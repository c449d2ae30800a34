"""Where a store keeps its releases, and which one is live (the ``CURRENT`` pointer)."""

from __future__ import annotations

from pathlib import Path

from data.errors import StoreError, StoreMissing

CURRENT_FILE = "CURRENT"
RELEASES_DIR = "releases"
MANIFEST_FILE = "manifest.json"


def live_release_dir(store_dir: Path) -> Path:
    """Return the folder of the live release, or raise ``StoreError`` saying what is wrong."""
    store_dir = Path(store_dir)
    pointer = store_dir / CURRENT_FILE
    if not pointer.is_file():
        raise StoreMissing(
            f"no store in {store_dir}: run `python -m app ingest` (real data) "
            "or `python -m app demo` (synthetic demo data)"
        )
    release = pointer.read_text().strip()
    folder = store_dir / RELEASES_DIR / release
    if not release or not folder.is_dir():
        raise StoreError(f"{pointer} names release {release!r}, which is missing")
    return folder
