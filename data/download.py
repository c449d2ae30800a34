"""Fetching the official files listed in ``data.sources`` (retries, checksums, atomic writes).

Each file is downloaded to ``<dest>/<path>.part`` and only renamed into place after its
SHA-256 matches (when the source pins one), so an interrupted or corrupted download never
replaces a good file. A file already present with the right checksum is not fetched again.
"""

from __future__ import annotations

import hashlib
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from data.sources import SOURCES, Source

log = logging.getLogger(__name__)
USER_AGENT = "la-variation-downloader/0.1 (+https://github.com/)"
CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class DownloadResult:
    """What happened to one source."""

    source: Source
    path: Path
    ok: bool
    status: str  # "downloaded", "up to date", "failed"
    sha256: str | None = None
    attempts: int = 0
    error: str | None = None

    def describe(self) -> str:
        """One line for the CLI."""
        if self.ok:
            return f"{self.status:>11}  {self.source.name:<28} {self.path}  sha256 {self.sha256}"
        return f"{'FAILED':>11}  {self.source.name:<28} {self.error}"


def list_sources(sources: Iterable[Source] = SOURCES) -> str:
    """A table of the sources: name, publisher, destination, landing page."""
    return "\n".join(f"{s.name:<28} {s.publisher:<5} {s.dest:<70} {s.page}" for s in sources)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch(url: str, target: Path, *, timeout: float) -> str:
    """Stream ``url`` into ``target`` (overwritten); return the SHA-256 of the bytes."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    digest = hashlib.sha256()
    with urllib.request.urlopen(request, timeout=timeout) as response, target.open("wb") as out:
        for chunk in iter(lambda: response.read(CHUNK), b""):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def download_one(
    source: Source, dest: Path, *, retries: int = 3, timeout: float = 60.0, backoff: float = 1.0
) -> DownloadResult:
    """Download one source with retries; verify, transcode if needed, move into place."""
    path = Path(dest) / source.dest
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.exists() and source.sha256 and source.transcode_from is None
    if fresh and _sha256(path) == source.sha256:
        return DownloadResult(source, path, True, "up to date", source.sha256)
    part = path.with_name(path.name + ".part")
    error = ""
    for attempt in range(1, retries + 1):
        try:
            digest = fetch(source.url, part, timeout=timeout)
            if source.sha256 and digest != source.sha256:
                raise ValueError(f"checksum mismatch: expected {source.sha256}, got {digest}")
            if source.transcode_from:
                text = part.read_bytes().decode(source.transcode_from)
                part.write_bytes(text.encode("utf-8"))
            part.replace(path)
            return DownloadResult(source, path, True, "downloaded", digest, attempt)
        except (urllib.error.URLError, OSError, ValueError, TimeoutError) as exc:
            error = f"{type(exc).__name__}: {exc}"
            log.warning("%s: attempt %d/%d failed: %s", source.name, attempt, retries, error)
            part.unlink(missing_ok=True)
            if attempt < retries:
                time.sleep(backoff * 2 ** (attempt - 1))
    return DownloadResult(source, path, False, "failed", attempts=retries, error=error)


def download_all(
    dest: Path,
    *,
    only: Sequence[str] | None = None,
    sources: Sequence[Source] = SOURCES,
    retries: int = 3,
    timeout: float = 60.0,
    backoff: float = 1.0,
) -> list[DownloadResult]:
    """Download every (or every named) source into ``dest``.

    Raises:
        ValueError: If ``only`` names a source that does not exist.
    """
    chosen = list(sources)
    if only:
        names = {s.name for s in sources}
        unknown = sorted(set(only) - names)
        if unknown:
            raise ValueError(f"unknown source(s) {unknown}; known: {sorted(names)}")
        chosen = [s for s in sources if s.name in set(only)]
    return [
        download_one(s, dest, retries=retries, timeout=timeout, backoff=backoff) for s in chosen
    ]
