"""Finding the raw files under the data folder and sorting each to the loader that recognises it.

Files are recognised by their content (header row, or GeoJSON structure), not by their names;
files no loader recognises are listed as skipped. ``store_is_current`` asks whether a store was
built from exactly the files now there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data.csvio import read_header, sha256_of
from data.errors import DataFormatError
from data.files import walk
from data.guards import source_check
from data.loaders.ees_family import detect_family, near_miss
from data.loaders.ees_specs import ees_families
from data.loaders.kinds import classify
from data.loaders.lait import BDS_FILE, DICTIONARY_FILE
from data.loaders.s251 import is_lait_finance, is_line_level
from data.sources import SOURCE_FAMILIES, Need, SourceFamily, family_of
from data.workbooks import is_workbook


@dataclass
class Discovered:
    """Files found under the data folder, by loader."""

    lait: bool = False
    ees: list[Path] = field(default_factory=list)
    s251: list[Path] = field(default_factory=list)
    neighbours: list[Path] = field(default_factory=list)
    boundaries: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    families: tuple[SourceFamily, ...] = ()
    require: bool = True
    #: Files of the newer sources by kind (``data.loaders.kinds``): deprivation, ro3, ...
    extra: dict[str, list[Path]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """How many files will be loaded."""
        return (
            2 * self.lait
            + len(self.ees)
            + len(self.s251)
            + len(self.neighbours)
            + len(self.boundaries)
            + sum(len(paths) for paths in self.extra.values())
        )

    def offered(self, data_dir: Path) -> list[str]:
        """Relative paths of the files handed to a loader."""
        paths = [*self.ees, *self.s251, *self.neighbours, *self.boundaries]
        rels = [str(p.relative_to(data_dir)) for p in paths]
        return rels + ([BDS_FILE, DICTIONARY_FILE] if self.lait else [])


def discover(
    data_dir: Path, families: Sequence[SourceFamily] = SOURCE_FAMILIES, *, require: bool = True
) -> Discovered:
    """Sort every file under ``data_dir`` to the loader that recognises it.

    Entries that cannot be read (broken symbolic links, directories named like files, FIFOs,
    devices) are never opened; files of a declared ``IGNORED`` family are not read at all.

    Raises:
        DataFormatError: No folder, no recognised file, a file that cannot be parsed, or (with
            ``require``) a required source family missing or unreadable.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataFormatError(str(data_dir), "data folder does not exist")
    found = Discovered(families=tuple(families), require=require)
    entries = list(walk(data_dir))
    readable = {path for path, problem in entries if problem is None}
    lait_files = {data_dir / BDS_FILE, data_dir / DICTIONARY_FILE}
    found.lait = lait_files <= readable
    for path, problem in entries:
        rel = str(path.relative_to(data_dir))
        family = family_of(rel, found.families)
        if problem is not None:
            found.skipped.append((rel, problem))
            continue
        if family is not None and family.need is Need.IGNORED:
            found.skipped.append((rel, f"not read: declared ignored ({family.name})"))
            continue
        if path in lait_files and found.lait:
            continue
        suffix = path.suffix.casefold()
        kind = classify(path)
        if kind == "s251":
            found.s251.append(path)
        elif kind == "neighbours_long":
            found.neighbours.append(path)
        elif kind is not None:
            found.extra.setdefault(kind, []).append(path)
        elif suffix == ".csv":
            header = read_header(path)
            _check_delimiter(path, header)
            if detect_family(header, ees_families()) or near_miss(header, ees_families()):
                found.ees.append(path)  # a near miss fails in the loader, naming the column
            elif is_lait_finance(header) or is_line_level(header):
                found.s251.append(path)
            elif (
                header
                and header[0].strip() in ("LA num", "old_la_code")
                and any(h.strip() in ("SN1", "SN_1") for h in header)
            ):
                found.neighbours.append(path)
            else:
                found.skipped.append((rel, "header not recognised"))
        elif suffix == ".xlsx" and path.stem.casefold().startswith("sn"):
            found.neighbours.append(path)
        elif suffix == ".geojson":
            found.boundaries.append(path)
        else:
            why = f"{suffix or 'no extension'} files are not read"
            if is_workbook(path) or suffix == ".parquet":
                why = "no sheet or column set of a known source"
            found.skipped.append((rel, why))
    if not found.count:
        raise DataFormatError(
            str(data_dir),
            "no source files recognised (expected the layout of ../shared/data: lait/, s251/, "
            "ees_cla/, ees_cin/, cla_outcomes/, population/, statistical_neighbours/, geography/)",
        )
    # Stop before loading anything when a required source is missing or unreadable.
    source_check(
        data_dir,
        found.families,
        loaded=(),
        pending=found.offered(data_dir),
        not_loaded=found.skipped,
        require=require,
    )
    return found


def _check_delimiter(path: Path, header: tuple[str, ...]) -> None:
    """A one-field header holding ``;``- or tab-separated names is a mis-saved CSV (BI-32)."""
    if len(header) == 1:
        for sep, name in ((";", "semicolons"), ("\t", "tabs")):
            names = header[0].split(sep)
            if len(names) > 2 and ("time_period" in names or "LA" in names):
                raise DataFormatError(
                    str(path),
                    f"fields are separated by {name}, not commas (save it as 'CSV UTF-8')",
                    row=1,
                    column=header[0][:40],
                    rule="BI-32",
                )


def store_is_current(
    manifest: dict[str, Any] | Any,
    data_dir: Path,
    families: Sequence[SourceFamily] = SOURCE_FAMILIES,
) -> bool:
    """Whether a store was built from exactly the files now under ``data_dir``."""
    if manifest.get("synthetic", True):
        return False
    try:
        found = discover(data_dir, families, require=False)
    except DataFormatError:
        return False
    paths = [*found.ees, *found.s251, *found.neighbours, *found.boundaries[:1]]
    paths += [p for extra in found.extra.values() for p in extra]
    if found.lait:
        paths += [Path(data_dir) / DICTIONARY_FILE, Path(data_dir) / BDS_FILE]
    built = {
        Path(src["file"]).resolve(): src["sha256"]
        for src in manifest.get("sources", [])
        if src.get("sha256")
    }
    current = {p.resolve(): sha256_of(p) for p in paths}
    return built == current
