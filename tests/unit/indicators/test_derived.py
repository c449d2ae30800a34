"""Derived indicators satisfy the store's invariants and can be written with its schemas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from data.schema import INDICATORS_COLUMNS, INDICATORS_SCHEMA, VALUES_COLUMNS, VALUES_SCHEMA
from indicators import ATTAINMENT_GAP_PAIRS, GapPair, derive_indicators
from tests.unit.indicators.builders import assert_inputs_unchanged


def _meta(
    indicator_id: str, unit: str, value_type: str, polarity: str = "high"
) -> dict[str, object]:
    return dict.fromkeys(INDICATORS_COLUMNS) | {
        "indicator_id": indicator_id,
        "title": indicator_id,
        "short_title": indicator_id,
        "topic": "Topic",
        "unit": unit,
        "decimals": 1,
        "polarity": polarity,
        "time_identifier": "Academic year",
        "source_id": "lait",
        "source_code": indicator_id,
        "no_quartile": False,
        "value_type": value_type,
    }


def _rows(
    indicator_id: str, values: dict[tuple[str, int], float | None], *, financial: bool = False
) -> list[dict[str, object]]:
    out = []
    for (area, year), value in values.items():
        out.append(
            {
                "indicator_id": indicator_id,
                "area_code": area,
                "geographic_level": "National" if area == "E92000001" else "Local authority",
                "time_period": (year - 1) * 100 + year % 100 if financial else year,
                "time_identifier": "Financial year" if financial else "Calendar year",
                "year_end": year,
                "value": np.nan if value is None else value,
                "value_status": "c" if value is None else None,
                "numerator": np.nan,
                "denominator": np.nan,
                "period_label": str(year),
                "source_id": "test",
            }
        )
    return out


def _store() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = (
        _rows(
            "lait_lac_ks2_expstd_rwm",
            {("E06000001", 2023): 30.0, ("E06000002", 2023): None, ("E06000001", 2024): 33.0},
        )
        + _rows("lait_ks2rwm_expected_std", {("E06000001", 2023): 60.0, ("E06000002", 2023): 61.0})
        + _rows(
            "s251_safeguardingfinance",
            {("E06000001", 2025): 5e6, ("E92000001", 2025): 3e9},
            financial=True,
        )
        + _rows("s251_rescarefinance", {("E06000001", 2025): 4000.0}, financial=True)
        + _rows("ons_population_0_17", {("E06000001", 2024): 25_000.0, ("E92000001", 2024): 12e6})
    )
    values = pd.DataFrame(rows)[list(VALUES_COLUMNS)]
    meta = pd.DataFrame(
        [
            _meta("lait_lac_ks2_expstd_rwm", "%", "proportion"),
            _meta("lait_ks2rwm_expected_std", "%", "proportion"),
            _meta("s251_safeguardingfinance", "£", "currency", "none"),
            _meta("s251_rescarefinance", "£ per child per week", "currency", "none"),
            _meta("ons_population_0_17", "children", "count", "none"),
        ]
    )[list(INDICATORS_COLUMNS)]
    return values, meta


def test_output_satisfies_the_store_invariants() -> None:
    values, meta = _store()
    new_values, new_meta = derive_indicators(values, meta)
    assert list(new_values.columns) == list(VALUES_COLUMNS)
    assert list(new_meta.columns) == list(INDICATORS_COLUMNS)
    assert not new_values.duplicated(["indicator_id", "area_code", "time_period"]).any()
    value = new_values["value"]
    assert (np.isfinite(value) | value.isna()).all()
    assert new_values.loc[value.isna(), "value_status"].notna().all()
    assert set(new_values.loc[value.isna(), "value_status"]) == {"nd"}
    assert set(new_values["indicator_id"]) <= set(new_meta["indicator_id"])
    assert set(new_values["source_id"]) == {"derived"} == set(new_meta["source_id"])
    pa.Table.from_pandas(new_values, schema=VALUES_SCHEMA, preserve_index=False)
    pa.Table.from_pandas(new_meta, schema=INDICATORS_SCHEMA, preserve_index=False)


def test_gap_only_where_both_inputs_have_a_row() -> None:
    values, meta = _store()
    new_values, new_meta = derive_indicators(values, meta)
    gap = new_values[new_values["indicator_id"] == "gap_lac_ks2_expstd_rwm"].set_index("area_code")
    assert list(gap.index) == ["E06000001", "E06000002"]  # 2024 has no all-pupils row
    assert gap.loc["E06000001", "value"] == -30.0
    assert gap.loc["E06000002", "value_status"] == "nd"
    m = new_meta.set_index("indicator_id").loc["gap_lac_ks2_expstd_rwm"]
    assert (m["unit"], m["polarity"]) == ("percentage points", "high")
    assert "lait_lac_ks2_expstd_rwm - lait_ks2rwm_expected_std" in m["derivation"]


def test_spend_per_child_for_gross_spend_only() -> None:
    values, meta = _store()
    new_values, new_meta = derive_indicators(values, meta)
    ids = set(new_meta["indicator_id"])
    assert "s251_safeguardingfinance_per_child" in ids
    assert "s251_rescarefinance_per_child" not in ids  # a weekly unit cost
    per_child = new_values[new_values["indicator_id"] == "s251_safeguardingfinance_per_child"]
    assert per_child.set_index("area_code")["value"].to_dict() == {
        "E06000001": 200.0,
        "E92000001": 250.0,
    }
    m = new_meta.set_index("indicator_id").loc["s251_safeguardingfinance_per_child"]
    assert (m["unit"], m["polarity"], m["value_type"]) == ("£ per child", "none", "currency")


def test_absent_pairs_are_skipped_and_the_pair_list_is_data() -> None:
    values, meta = _store()
    assert {p.derived_id for p in ATTAINMENT_GAP_PAIRS} >= {
        "gap_lac_ks4_avg_attain8",
        "gap_lac_ks4_avg_prog8",
    }
    new_values, new_meta = derive_indicators(values, meta, gap_pairs=())
    assert not new_meta["indicator_id"].str.startswith("gap_").any()
    extra = (
        GapPair(
            "lait_ks2rwm_expected_std",
            "lait_lac_ks2_expstd_rwm",
            "reverse_gap",
            "t",
            "t",
            "percentage points",
        ),
    )
    new_values, _ = derive_indicators(values, meta, gap_pairs=extra)
    assert new_values.loc[new_values["indicator_id"] == "reverse_gap", "value"].iloc[0] == 30.0


def test_nothing_to_derive_gives_empty_frames_with_the_store_columns() -> None:
    values, meta = _store()
    keep = values["indicator_id"] == "lait_ks2rwm_expected_std"
    new_values, new_meta = derive_indicators(values[keep], meta)
    assert new_values.empty
    assert list(new_values.columns) == list(VALUES_COLUMNS)
    assert new_meta.empty
    assert list(new_meta.columns) == list(INDICATORS_COLUMNS)


def test_a_clash_with_an_existing_id_is_an_error() -> None:
    values, meta = _store()
    meta = pd.concat(
        [meta, pd.DataFrame([_meta("gap_lac_ks2_expstd_rwm", "x", "other")])], ignore_index=True
    )
    with pytest.raises(ValueError, match="already exist"):
        derive_indicators(values, meta)


def test_derive_indicators_does_not_mutate_its_inputs() -> None:
    values, meta = _store()
    assert_inputs_unchanged(derive_indicators, values, meta)
