"""Same measure from two sources (data.same_measure), on small hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.same_measure import SameMeasure, find_same_measures, kept_because

AREAS = [f"E0{n:07d}" for n in range(20)]


def rate(years):
    """A one-decimal rate per 10,000 for each LA and year (EES-like), in ``_values`` order."""
    return np.asarray(
        [round(20 + 5.37 * i + 1.13 * (y - 2000), 1) for y in years for i in range(20)]
    )


def _values(indicator_id, years, values, *, numerator=None, level="Local authority"):
    keys = [(a, y) for y in years for a in AREAS]
    assert len(values) == len(keys)
    return pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "area_code": [a for a, _ in keys],
            "geographic_level": level,
            "year_end": [y for _, y in keys],
            "value": values,
            "value_status": "",
            "numerator": np.nan if numerator is None else numerator,
        }
    )


def _meta(rows):
    return pd.DataFrame(
        rows,
        columns=["indicator_id", "title", "source_id", "value_type", "multiplier", "last_updated"],
    )


META = _meta(
    [
        ("lait_rate", "Rate (LAIT)", "lait", "rate", 10000.0, "2025-11-01"),
        ("ees_rate", "Rate (EES)", "ees_cla", "rate", 10000.0, None),
    ]
)


def test_a_whole_number_series_and_a_one_decimal_series_of_one_measure_pair():
    lait = _values(
        "lait_rate", range(2016, 2024), np.round(rate(range(2016, 2024)))
    )  # whole numbers
    ees = _values("ees_rate", range(2021, 2026), rate(range(2021, 2026)), numerator=1.0)
    [pair] = find_same_measures(pd.concat([lait, ees]), META)
    assert [m["indicator_id"] for m in pair["measures"]] == ["lait_rate", "ees_rate"]
    assert pair["kind"] == "same_measure" and pair["differences"] == []
    assert pair["compared"] == pair["agreeing"] == 3 * 20  # 2021-2023, 20 LAs
    assert pair["not_compared"] == 5 * 20 + 2 * 20
    assert pair["tolerance"].startswith("0.5 ")
    first, second = pair["measures"]
    assert (first["source"], first["first_year"], first["last_year"]) == ("LAIT", 2016, 2023)
    assert (second["source"], second["first_year"], second["last_year"]) == ("EES", 2021, 2025)
    assert second["counts"] and not first["counts"]
    assert pair["kept_because"] == [
        "LAIT's series starts earlier",
        "EES has the later years",
        "EES publishes the counts behind the figure",
    ]


def test_one_value_beyond_half_a_unit_means_no_pair():
    whole = np.round(rate([2021, 2022]))
    off = rate([2021, 2022])
    off[5] = whole[5] + 0.6
    lait = _values("lait_rate", [2021, 2022], whole)
    ees = _values("ees_rate", [2021, 2022], off)
    assert find_same_measures(pd.concat([lait, ees]), META) == []


def test_same_rounding_must_be_equal():
    base = np.round(rate([2021, 2022]))
    lait = _values("lait_rate", [2021, 2022], base)
    ees = _values("ees_rate", [2021, 2022], base + np.where(np.arange(len(base)) == 3, 1.0, 0.0))
    assert find_same_measures(pd.concat([lait, ees]), META) == []
    ees_equal = _values("ees_rate", [2021, 2022], base)
    assert len(find_same_measures(pd.concat([lait, ees_equal]), META)) == 1


def test_too_few_la_values_same_source_or_other_unit_give_no_pair():
    lait = _values("lait_rate", [2021], rate([2021]))  # 20 LA values < 30
    ees = _values("ees_rate", [2021], rate([2021]))
    assert find_same_measures(pd.concat([lait, ees]), META) == []
    two_years = pd.concat(
        [_values(i, [2021, 2022], rate([2021, 2022])) for i in META["indicator_id"]]
    )
    same_source = META.assign(source_id="lait")
    assert find_same_measures(two_years, same_source) == []
    other_unit = META.assign(value_type=["rate", "proportion"])
    assert find_same_measures(two_years, other_unit) == []
    regions = pd.concat(
        [
            _values(i, [2021, 2022], rate([2021, 2022]), level="Regional")
            for i in META["indicator_id"]
        ]
    )
    assert find_same_measures(regions, META) == []  # LA values only


def test_inputs_are_not_changed():
    values = pd.concat(
        [_values(i, [2021, 2022], rate([2021, 2022])) for i in META["indicator_id"]]
    )
    before, meta_before = values.copy(deep=True), META.copy(deep=True)
    find_same_measures(values, META)
    pd.testing.assert_frame_equal(values, before)
    pd.testing.assert_frame_equal(META, meta_before)


def test_kept_because_from_facts():
    def side(source, first, last, counts=False, updated=None):
        return {
            "source": source,
            "first_year": first,
            "last_year": last,
            "counts": counts,
            "last_updated": updated,
        }

    assert kept_because(side("LAIT", 2016, 2025), side("EES", 2021, 2025, counts=True)) == [
        "LAIT's series is longer",
        "EES publishes the counts behind the figure",
    ]
    assert kept_because(
        side("LAIT", 2017, 2025, updated="2025-12-01"),
        side("s251", 2017, 2025, updated="2026-01-29"),
    ) == ["s251 was updated later (2026-01-29)"]
    assert kept_because(side("A", 2020, 2022), side("B", 2020, 2022)) == [
        "each source's figures can be checked against the other's"
    ]


def test_catalogue_record_round_trip():
    lait = _values("lait_rate", range(2016, 2024), np.round(rate(range(2016, 2024))))
    ees = _values("ees_rate", range(2021, 2026), rate(range(2021, 2026)))
    [record] = find_same_measures(pd.concat([lait, ees]), META)
    pair = SameMeasure.from_record(record)
    assert pair.measures[0] == ("lait_rate", "Rate (LAIT)", "LAIT", 2016, 2023)
    assert pair.compared == pair.agreeing == 60 and pair.kept_because
