"""Fetching the official files listed in ``data.sources`` (retries, checksums, atomic writes).

Each file is downloaded to ``<dest>/<path>.part`` and only renamed into place after its
SHA-256 matches (when the source pins one), so an interrupted or corrupted download never
replaces a good file. A file already present with the right checksum is not fetched again.
A source that names an Explore Education Statistics release file (``Source.release_file``)
is found by name in the release's file list first (EES file ids change with every release),
and unzipped if EES serves it zipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from data.sources import SOURCES, Source

log = logging.getLogger(__name__)
USER_AGENT = "la-variation-downloader/0.1 (+https://github.com/)"
CHUNK = 1 << 16
#: Largest EES release description read (JSON; a release's is a few hundred kB).
MAX_RELEASE_JSON = 16 * 1024 * 1024


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


def resolve_release_file(source: Source, *, timeout: float) -> str:
    """The address of an EES release's data file, found by name in the release's file list.

    ``source.url`` is the EES content API's release (``.../publications/<slug>/releases/<slug
    or latest>``), answering JSON with the release ``id`` and its ``downloadFiles`` (``id``,
    ``fileName``, ``type``); the file is served at ``<api>/releases/<release id>/files/<file
    id>``.

    Raises:
        ValueError: The answer is not such a release, or holds no (or several) matching files.
    """
    assert source.release_file is not None
    request = urllib.request.Request(
        source.url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        release = json.loads(response.read(MAX_RELEASE_JSON + 1)[:MAX_RELEASE_JSON])
    prefix = source.release_file.file_prefix.casefold()
    files = release.get("downloadFiles") if isinstance(release, dict) else None
    if not isinstance(files, list) or not isinstance(release.get("id"), str):
        raise ValueError(f"{source.url} did not answer with an EES release (id, downloadFiles)")
    hits = [
        f
        for f in files
        if isinstance(f, dict)
        and str(f.get("fileName", "")).casefold().startswith(prefix)
        and f.get("type", "Data") == "Data"
    ]
    if len(hits) != 1:
        names = sorted(str(f.get("fileName")) for f in files if isinstance(f, dict))
        raise ValueError(
            f"expected one data file named {source.release_file.file_prefix}* in the release, "
            f"found {len(hits)} (files: {names})"
        )
    api = source.url.split("/publications/", 1)[0]
    return f"{api}/releases/{release['id']}/files/{hits[0]['id']}"


def _unzip_release_file(part: Path, prefix: str) -> None:
    """If EES served the data file zipped, keep only the CSV inside (in place)."""
    if not zipfile.is_zipfile(part):
        return
    with zipfile.ZipFile(part) as book:
        names = [
            n
            for n in book.namelist()
            if n.casefold().endswith(".csv") and Path(n).name.casefold().startswith(prefix)
        ]
        if len(names) != 1:
            raise ValueError(f"zip holds {len(names)} CSV files named {prefix}*")
        data = book.read(names[0])
    part.write_bytes(data)


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
            url = source.url
            if source.release_file is not None:
                url = resolve_release_file(source, timeout=timeout)
            digest = fetch(url, part, timeout=timeout)
            if source.release_file is not None:
                _unzip_release_file(part, source.release_file.file_prefix.casefold())
            if source.sha256 and digest != source.sha256:
                raise ValueError(f"checksum mismatch: expected {source.sha256}, got {digest}")
            if source.transcode_from:
                text = part.read_bytes().decode(source.transcode_from)
                part.write_bytes(text.encode("utf-8"))
            part.replace(path)
            return DownloadResult(source, path, True, "downloaded", digest, attempt)
        except (
            urllib.error.URLError,
            OSError,
            ValueError,
            TimeoutError,
            zipfile.BadZipFile,
        ) as exc:
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
