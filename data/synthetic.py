"""The synthetic demo store: generated here, from a seed, in the real store's schema.

It lets a new user see a working dashboard with no official files at hand. It uses the real
register of LAs (``data.reference``), indicator ids and shapes like the real store's (the
same ids for the headline measures, so links work on both), suppression symbols, abolished
and new authorities, both neighbour releases and tile-map boundaries. Every number is made up:
the manifest says ``synthetic: true`` and every page shows a banner saying so.

The generator (``data.synthetic_generator``) gives each LA a latent "need" level that drives its
values (so variation, neighbour groups and spend-outcome patterns look plausible) and makes series
mean-revert with year-to-year noise (so the level-vs-improvement chart has something to test).
This module assembles the tables from it and writes the store.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from data.loaders.common import indicator_rows
from data.rates import derive_rates
from data.schema import Closeness, Polarity, ValueType
from data.store import Benchmarker, Deriver, write_store
from data.synthetic_generator import (
    DEMO_NOTE,
    YEARS,
    DemoGenerator,
    DemoIndicator,
    aggregate_rows,
    demo_indicators,
    indicator_record,
)
from data.topics import merge_topics
from data.validate import validate_tables

PROVISION = ("own_provision", "private_provision", "other_public", "voluntary")
LINES = {"residential_care": "Residential care", "fostering": "Fostering services"}


def build_demo_tables(seed: int = 20140101) -> tuple[dict[str, pd.DataFrame], dict[str, bytes]]:
    """The demo store's tables (before derived indicators) and its boundary file."""
    gen = DemoGenerator(seed)
    n, t = len(gen.las), len(YEARS)
    frames, meta = [], []
    growth = np.linspace(1.0, 1.08, t)
    population = gen.children[:, None] * growth[None, :]
    specs = {spec.indicator_id: spec for spec in demo_indicators()}
    cla_rate = gen.series(specs["cla_at_31_march_rate"])
    cla = np.maximum(np.round(population * cla_rate / 10_000), 1)
    den_of = {
        "cla": cla,
        "cla_long": np.round(cla * 0.35),
        "leavers": np.round(cla * 0.25),
        "cpp": np.round(population * gen.rng.uniform(0.004, 0.009, (n, 1))),
        "population": population,
    }
    cin = np.round(population * np.clip(0.033 + 0.008 * gen.need[:, None], 0.01, None))
    spend_lac = cla * 52 * gen.series(specs["s251_lacfinance"])
    spend_total = spend_lac / np.clip(gen.rng.normal(0.42, 0.05, (n, 1)), 0.25, 0.6)
    for spec in specs.values():
        num = den = None
        if spec.indicator_id == "cin_at_31_march":
            values = cin
        elif spec.indicator_id == "cla_at_31_march_rate":
            values, num, den = 10_000 * cla / population, cla, population
        elif spec.indicator_id == "s251_totallacfinance":
            values = np.round(spend_lac)
        elif spec.indicator_id == "s251_c_ypexpenditure":
            values = np.round(spend_total)
        else:
            values = gen.series(spec)
            if spec.denominator and spec.multiplier:
                den = np.maximum(den_of[spec.denominator], 1)
                num = np.round(den * values / spec.multiplier)
                values = spec.multiplier * num / den
        if spec.decimals is not None:
            values = np.round(values, spec.decimals)
        la_rows = gen.rows(spec, values, num, den)
        frames += [la_rows, aggregate_rows(la_rows, gen.areas, spec)]
        meta.append(indicator_record(spec))
    pop_spec = DemoIndicator(
        "ons_population_0_17",
        "Children aged 0 to 17 (ONS mid-year estimate): Children aged 0 to 17 years — children",
        "Population",
        "number",
        ValueType.COUNT,
        Polarity.NONE,
        "reporting",
        0.0,
        0.0,
        0.0,
        0.0,
        decimals=0,
    )
    # The population of mid-year Y-1 is the denominator for the year ending March Y.
    pop_rows = gen.rows(pop_spec, np.round(population), None, None)
    pop_rows = pop_rows.assign(
        time_period=pop_rows["time_period"] - 1,
        year_end=pop_rows["year_end"] - 1,
        period_label=(pop_rows["year_end"] - 1).astype(str),
    )
    frames += [pop_rows, aggregate_rows(pop_rows, gen.areas, pop_spec)]
    meta.append(indicator_record(pop_spec))
    frames.append(_line_level(gen, spend_lac))
    meta += _line_meta()
    all_values = pd.concat(frames, ignore_index=True)
    indicators = indicator_rows(meta)
    rate_values, rate_meta = derive_rates(all_values, indicators)
    if len(rate_meta):
        all_values = pd.concat([all_values, rate_values], ignore_index=True)
        indicators = pd.concat([indicators, rate_meta], ignore_index=True)
    tables = {
        "values": all_values,
        "indicators": indicators,
        "areas": gen.areas,
        "statistical_neighbours": _neighbours(gen),
    }
    return tables, {"boundaries.geojson": _tiles(gen)}


def _line_level(gen: DemoGenerator, spend_lac: np.ndarray) -> pd.DataFrame:
    """Budget-line spend with a provision split drifting towards private provision."""
    frames = []
    t = len(YEARS)
    for key, share_of_lac in (("residential_care", 0.45), ("fostering", 0.35)):
        private_base = gen.rng.uniform(0.3, 0.7, (len(gen.las), 1))
        drift = np.linspace(0, 0.12, t)[None, :]
        private = np.clip(private_base + drift, 0.05, 0.95)
        own = (1 - private) * 0.75
        other_public = (1 - private) * 0.1
        voluntary = 1 - private - own - other_public
        total = spend_lac * share_of_lac
        parts = {
            "own_provision": own * total,
            "private_provision": private * total,
            "other_public": other_public * total,
            "voluntary": voluntary * total,
            "total_expenditure": total,
            "income": total * 0.05,
            "net_current_expenditure": total * 0.95,
        }
        for measure, amounts in parts.items():
            spec = DemoIndicator(
                f"s251_line_{key}__{measure}",
                "",
                "",
                "£",
                ValueType.CURRENCY,
                Polarity.NONE,
                "financial",
                0.0,
                0.0,
                0.0,
                0.0,
                decimals=0,
            )
            rows = gen.rows(spec, np.round(amounts), None, None)
            frames += [rows, aggregate_rows(rows, gen.areas, spec)]
    return pd.concat(frames, ignore_index=True)


def _line_meta() -> list[dict[str, object]]:
    labels = {
        "own_provision": "own provision",
        "private_provision": "private provision",
        "other_public": "other public sector provision",
        "voluntary": "voluntary sector provision",
        "total_expenditure": "total (gross) expenditure",
        "income": "income",
        "net_current_expenditure": "net current expenditure",
    }
    out = []
    for key, name in LINES.items():
        for measure, label in labels.items():
            spec = DemoIndicator(
                f"s251_line_{key}__{measure}",
                f"{name}: {label} (£)",
                "Spend (section 251): budget lines and provision",
                "£",
                ValueType.CURRENCY,
                Polarity.NONE,
                "financial",
                0,
                0,
                0,
                0,
                decimals=0,
            )
            out.append(indicator_record(spec))
    return out


def _neighbours(gen: DemoGenerator) -> pd.DataFrame:
    """Ten nearest LAs in (need, rurality) space, with closeness bands by distance."""
    features = np.column_stack([gen.need, gen.rural])
    codes = gen.las["area_code"].to_numpy()
    current = gen.las["valid_to"].isna().to_numpy()
    rows = []
    bands = [c.value for c in Closeness]
    for release, pool in (("2025", current), ("2021", np.ones(len(codes), dtype=bool))):
        for i in range(len(codes)):
            if release == "2025" and not current[i]:
                continue
            d = np.hypot(*(features[pool] - features[i]).T)
            cand = codes[pool]
            order = [k for k in np.argsort(d) if cand[k] != codes[i]][:10]
            for rank, k in enumerate(order, start=1):
                band = bands[min(int(d[k] / 0.25), len(bands) - 1)]
                rows.append((release, codes[i], rank, cand[k], band))
    return pd.DataFrame.from_records(
        rows, columns=["sn_release", "area_code", "neighbour_rank", "neighbour_code", "closeness"]
    )


def _tiles(gen: DemoGenerator) -> bytes:
    """A hexagon tile map (one tile per current LA, grouped by region): clearly not a map."""
    current = gen.las[gen.las["valid_to"].isna()].sort_values(["region_code", "area_name"])
    features = []
    per_row = 14
    for k, (code, name) in enumerate(zip(current["area_code"], current["area_name"], strict=True)):
        row, col = divmod(k, per_row)
        cx = -6.0 + col * 0.6 + (0.3 if row % 2 else 0.0)
        cy = 55.5 - row * 0.52
        ring = [
            [
                round(cx + 0.32 * math.cos(math.radians(a)), 5),
                round(cy + 0.32 * math.sin(math.radians(a)), 5),
            ]
            for a in range(30, 391, 60)
        ]
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"area_code": code, "area_name": name},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    doc = {"type": "FeatureCollection", "features": features, "synthetic_tiles": True}
    return json.dumps(doc, separators=(",", ":")).encode()


def write_demo_store(
    store_dir: Path,
    *,
    seed: int = 20140101,
    derive: Deriver | None = None,
    benchmark: Benchmarker | None = None,
) -> Path:
    """Generate, validate and atomically write the demo store; return the release folder."""
    tables, extras = build_demo_tables(seed)
    derived = []
    if derive is not None:
        extra_values, extra_meta = derive(tables["values"], tables["indicators"])
        if len(extra_meta):
            tables["values"] = pd.concat([tables["values"], extra_values], ignore_index=True)
            tables["indicators"] = pd.concat([tables["indicators"], extra_meta], ignore_index=True)
            derived.append(f"{len(extra_meta)} derived indicators")
    tables["indicators"], topics_merged = merge_topics(tables["indicators"])
    manifest = {
        "synthetic": True,
        "seed": seed,
        "note": DEMO_NOTE,
        "sources": [],
        "skipped_files": [],
        "derived": derived,
        "extra_files": sorted(extras),
        "topics_merged": topics_merged,
    }
    return write_store(
        tables,
        manifest,
        store_dir,
        validate=validate_tables,
        extra_files=extras,
        benchmark=benchmark,
    )
