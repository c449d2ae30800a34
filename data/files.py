"""Safe access to raw files: what is under the data folder, and opening only regular files.

A source replaced by a broken symbolic link, a directory, a FIFO or a device must be named, not
skipped in silence, and must never be opened (``open`` on a FIFO blocks until a writer comes).
``walk`` lists every entry under the data folder with the reason it cannot be read, if any;
``open_regular`` opens a file without blocking and checks, on the open descriptor, that it is a
regular file (so a file swapped for a FIFO between the walk and the read is still refused).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from data.errors import DataFormatError

#: Suffixes of the files the loaders read: a directory named like one is a damaged source.
DATA_SUFFIXES = frozenset({".csv", ".xlsx", ".xlsm", ".parquet", ".geojson", ".ods", ".json"})

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def not_regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as a data file, or ``None`` when it is a readable file.

    Never opens the path (``stat`` only), so a FIFO cannot block.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"broken symbolic link (to {str(path.readlink())!r})"
        return "missing"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"cannot be inspected ({exc.strerror})"
    if stat.S_ISDIR(mode):
        return "a directory, not a file"
    for test, kind in _KINDS:
        if test(mode):
            return f"not a regular file: {kind}"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    if not os.access(path, os.R_OK):
        return "not readable (permission denied)"
    return None


def walk(data_dir: Path) -> Iterator[tuple[Path, str | None]]:
    """Every entry under ``data_dir`` that is a file or should have been one, sorted.

    Yields ``(path, problem)``: ``problem`` is ``None`` for a readable regular file, else why it
    cannot be read (broken link, FIFO, ...). Plain folders are descended into (symbolic links to
    folders too, once each); a folder named like a data file (``x.csv/``) is yielded as a
    problem *and* descended into.
    """
    seen: set[tuple[int, int]] = set()
    root = Path(data_dir)
    stack = [root]
    found: list[tuple[Path, str | None]] = []
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            found.append((folder, f"folder cannot be listed ({exc.strerror})"))
            continue
        for entry in entries:
            path = Path(entry.path)
            problem = not_regular(path)
            if problem == "a directory, not a file":
                stack.append(path)
                if path.suffix.casefold() in DATA_SUFFIXES:
                    found.append((path, problem))
                continue
            found.append((path, problem))
    yield from sorted(found, key=lambda item: str(item[0]))


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading in binary mode, never blocking on a FIFO.

    Raises:
        DataFormatError: Naming the file, when it is not a readable regular file.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        reason = not_regular(path) or exc.strerror or str(exc)
        raise DataFormatError(str(path), f"cannot be read: {reason}", rule="BI-36") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((k for test, k in _KINDS if test(mode)), None)
            kind = kind or ("a directory" if stat.S_ISDIR(mode) else "not a regular file")
            raise DataFormatError(str(path), f"cannot be read: {kind}", rule="BI-36")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: Path, *, limit: int | None = None) -> bytes:
    """All bytes of a regular file (see ``open_regular``), refusing files above ``limit``.

    Raises:
        DataFormatError: Not a regular file, or larger than ``limit`` bytes (rule BI-34).
    """
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if limit is not None and size > limit:
            raise DataFormatError(
                str(path),
                f"file is {size:,} bytes, more than the {limit:,} a source file may have",
                rule="BI-34",
            )
        data = handle.read() if limit is None else handle.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise DataFormatError(
            str(path),
            f"file is more than the {limit:,} bytes a source file may have",
            rule="BI-34",
        )
    return data
