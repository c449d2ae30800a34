"""Checks that decide whether a new release may go live: the sources it expects, its size.

* ``source_check``: every declared ``REQUIRED`` source family (``data.sources``) must have files
  and every one of them must load; a missing, unreadable (broken link, directory, FIFO...) or
  unrecognised file of such a family stops the ingest (``DataFormatError``, rule BI-36, exit 2).
  Every file seen but not loaded is listed, marked expected (a declared ``IGNORED`` file) or not.
* ``compare_releases``: a release that loses more than a share (default 2%) of the live
  release's indicators or values is refused (``IngestRefused``, rule BI-37) unless the operator
  allows it (``--allow-shrink``); the override is recorded in the manifest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from data.errors import DataFormatError, IngestRefused, StoreError
from data.sources import Need, SourceFamily, family_of

#: Default largest share of the live release's indicators or values a new release may lose.
DEFAULT_MAX_SHRINK = 0.02
_LISTED = 8


# ---------------------------------------------------------------------------------------------
# Required sources
# ---------------------------------------------------------------------------------------------
def source_check(
    data_dir: Path,
    families: Sequence[SourceFamily],
    *,
    loaded: Iterable[str],
    not_loaded: Sequence[tuple[str, str]],
    pending: Iterable[str] = (),
    require: bool = True,
) -> dict[str, Any]:
    """Check the files seen against the declared families; return the manifest's account.

    Args:
        data_dir: The data folder (files are named relative to it).
        families: The declared source families.
        loaded: Relative paths of files that loaded.
        not_loaded: ``(relative path, reason)`` of every file seen and not loaded.
        pending: Files offered to a loader but not yet loaded (the check before loading).
        require: Enforce ``REQUIRED`` families (``False``: ``--partial``, listed only).

    Raises:
        DataFormatError: A required family with no file, or a file of it not loaded.
    """
    loaded, pending = set(loaded), set(pending)
    skipped: list[dict[str, Any]] = []
    for rel, reason in not_loaded:
        family = family_of(rel, tuple(families))
        skipped.append(
            {
                "file": rel,
                "reason": reason,
                "family": family.name if family else None,
                "need": str(family.need) if family else None,
                "expected": bool(family and family.need is Need.IGNORED),
            }
        )
    problems, account = [], []
    home = {f: family_of(f, tuple(families)) for f in loaded | pending}
    for family in families:
        ok = sorted(f for f, owner in home.items() if owner == family)
        bad = [(s["file"], s["reason"]) for s in skipped if s["family"] == family.name]
        status = "loaded" if ok and not bad else "ignored" if family.need is Need.IGNORED else ""
        if family.need is Need.REQUIRED and (bad or not ok):
            status = "not loaded" if bad else "missing"
            problems.append(
                f"{family.name} ("
                + (
                    "; ".join(f"{f}: {why}" for f, why in bad)
                    if bad
                    else f"no file matches {family.pattern!r}"
                )
                + ")"
            )
        elif family.need is Need.OPTIONAL and not status:
            status = "partly loaded" if bad and ok else "not loaded" if bad else "absent"
        account.append(
            {"name": family.name, "need": str(family.need), "status": status, "files": ok}
        )
    if problems and require:
        first = next((s["file"] for s in skipped if s["need"] == str(Need.REQUIRED)), "")
        listed = "; ".join(problems[:_LISTED])
        more = f"; and {len(problems) - _LISTED} more" if len(problems) > _LISTED else ""
        raise DataFormatError(
            str(Path(data_dir) / first),
            f"required source(s) not loaded: {listed}{more} (see the source families in "
            "data/sources.py; --partial ingests a folder that holds only some sources)",
            rule="BI-36",
        )
    undeclared = sorted(f for f in loaded if family_of(f, tuple(families)) is None)
    return {
        "required_enforced": require,
        "problems": problems,
        "families": account,
        "undeclared_loaded": undeclared,
        "skipped_files": skipped,
    }


# ---------------------------------------------------------------------------------------------
# Shrinking releases
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Contents:
    """A release's indicators: id -> (source id, number of values with a number)."""

    indicators: Mapping[str, tuple[str, int]]

    @property
    def numbers(self) -> int:
        """All values with a number."""
        return sum(n for _, n in self.indicators.values())

    @classmethod
    def of(cls, values: pd.DataFrame, indicators: pd.DataFrame) -> Contents:
        """The contents of store-shaped tables."""
        ids = values.loc[values["value"].notna(), "indicator_id"]
        if not isinstance(ids.dtype, pd.CategoricalDtype):
            ids = ids.astype("category")
        counts = dict(
            zip(
                ids.cat.categories.astype(str),
                np.bincount(ids.cat.codes.to_numpy(), minlength=len(ids.cat.categories)),
                strict=True,
            )
        )
        source = dict(
            zip(indicators["indicator_id"], indicators["source_id"].astype(str), strict=True)
        )
        return cls({i: (s, int(counts.get(i, 0))) for i, s in source.items()})


def live_contents(store_dir: Path) -> tuple[str, Contents] | None:
    """The live release's id and contents, or ``None`` (no store, or the synthetic demo)."""
    from data.store import MANIFEST_FILE, live_release_dir

    try:
        folder = live_release_dir(store_dir)
        manifest = json.loads((folder / MANIFEST_FILE).read_text())
        if manifest.get("synthetic", True):
            return None
        values = pq.read_table(folder / "values.parquet", columns=["indicator_id", "value"])
        meta = pq.read_table(folder / "indicators.parquet", columns=["indicator_id", "source_id"])
    except (StoreError, OSError, ValueError):
        return None
    return str(manifest.get("release")), Contents.of(values.to_pandas(), meta.to_pandas())


@dataclass
class Shrink:
    """What a new release loses against the live one."""

    previous_release: str
    previous: Contents
    current: Contents
    lost_ids: list[str] = field(init=False)
    values_lost: int = field(init=False)

    def __post_init__(self) -> None:
        now = self.current.indicators
        self.lost_ids = sorted(i for i in self.previous.indicators if i not in now)
        self.values_lost = sum(
            max(0, n - now.get(i, ("", 0))[1]) for i, (_, n) in self.previous.indicators.items()
        )

    @property
    def shares(self) -> tuple[float, float]:
        """Shares of the previous indicators and values lost."""
        return (
            len(self.lost_ids) / max(len(self.previous.indicators), 1),
            self.values_lost / max(self.previous.numbers, 1),
        )

    @property
    def smaller(self) -> bool:
        """Whether the new release has fewer indicators or values than the previous one."""
        return (
            len(self.current.indicators) < len(self.previous.indicators)
            or self.current.numbers < self.previous.numbers
        )

    def by_source(self) -> dict[str, dict[str, Any]]:
        """Losses by source (indicators lost and values lost), largest first."""
        out: dict[str, dict[str, Any]] = {}
        now = self.current.indicators
        for ind, (source, n) in self.previous.indicators.items():
            lost = max(0, n - now.get(ind, ("", 0))[1])
            gone = ind not in now
            if not (lost or gone):
                continue
            entry = out.setdefault(source, {"indicators_lost": [], "values_lost": 0})
            entry["values_lost"] += lost
            if gone:
                entry["indicators_lost"].append(ind)
        return dict(sorted(out.items(), key=lambda kv: -kv[1]["values_lost"]))

    def describe(self) -> str:
        """A brief account: counts, shares and losses by source with a few ids."""
        ind_share, value_share = self.shares
        parts = [
            f"loses {len(self.lost_ids):,} of {len(self.previous.indicators):,} indicators "
            f"({ind_share:.1%}) and {self.values_lost:,} of {self.previous.numbers:,} values "
            f"({value_share:.1%}) against live release {self.previous_release}"
        ]
        for source, entry in list(self.by_source().items())[:_LISTED]:
            ids = entry["indicators_lost"]
            shown = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
            parts.append(
                f"{source}: {len(ids):,} indicators"
                + (f" ({shown})" if ids else "")
                + f", {entry['values_lost']:,} values"
            )
        return "; ".join(parts)

    def as_manifest(self, *, limit: float, allowed: bool) -> dict[str, Any]:
        """The manifest's record of the comparison."""
        refused = max(self.shares) > limit
        return {
            "previous_release": self.previous_release,
            "previous": {
                "indicators": len(self.previous.indicators),
                "values": self.previous.numbers,
            },
            "current": {
                "indicators": len(self.current.indicators),
                "values": self.current.numbers,
            },
            "indicators_lost": len(self.lost_ids),
            "values_lost": self.values_lost,
            "limit": limit,
            "over_limit": refused,
            "overridden": bool(refused and allowed),
            "smaller": self.smaller,
            "lost_by_source": {
                source: {
                    "indicators_lost": len(e["indicators_lost"]),
                    "values_lost": e["values_lost"],
                    "first_ids": e["indicators_lost"][:20],
                }
                for source, e in self.by_source().items()
            },
        }


def compare_releases(
    store_dir: Path,
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    limit: float = DEFAULT_MAX_SHRINK,
    allow: bool = False,
) -> dict[str, Any] | None:
    """Compare new tables with the live release; refuse a release that shrinks too much.

    Returns:
        The manifest's ``checks.shrink`` record, or ``None`` when there is no real live
        release to compare with.

    Raises:
        IngestRefused: More than ``limit`` of the live indicators or values would be lost and
            ``allow`` is false. Nothing has been written.
    """
    live = live_contents(store_dir)
    if live is None:
        return None
    shrink = Shrink(live[0], live[1], Contents.of(values, indicators))
    record = shrink.as_manifest(limit=limit, allowed=allow)
    if record["over_limit"] and not allow:
        raise IngestRefused(
            f"the new release {shrink.describe()}: more than the {limit:.0%} allowed "
            "[rule BI-37]. Check the raw files; if the loss is intended, run the ingest again "
            "with --allow-shrink (recorded in the manifest)"
        )
    return record


def degraded_reasons(manifest: Mapping[str, Any]) -> list[str]:
    """Why a live release should be reported as degraded (empty when it is not)."""
    checks = manifest.get("checks") or {}
    reasons = []
    shrink = checks.get("shrink") or {}
    if shrink.get("overridden"):
        reasons.append(
            f"shrink check overridden (--allow-shrink): {shrink['indicators_lost']} indicators "
            f"and {shrink['values_lost']} values lost against {shrink['previous_release']}"
        )
    elif shrink.get("smaller"):
        prev, cur = shrink["previous"], shrink["current"]
        reasons.append(
            f"smaller than its predecessor {shrink['previous_release']}: {cur['indicators']} "
            f"indicators and {cur['values']} values, were {prev['indicators']} and "
            f"{prev['values']}"
        )
    sources = checks.get("sources") or {}
    if sources and not sources.get("required_enforced", True):
        missing = sources.get("problems") or []
        reasons.append(
            "required-source check overridden (--partial)"
            + (f": {len(missing)} required source(s) not loaded" if missing else "")
        )
    return reasons
