import pytest

from data.reference import build_register
from data.store import Store
from data.synthetic import build_demo_tables, write_demo_store


def test_demo_store_is_seeded_and_labelled(tmp_path):
    a, _ = build_demo_tables(seed=1)
    b, _ = build_demo_tables(seed=1)
    c, _ = build_demo_tables(seed=2)
    assert a["values"]["value"].equals(b["values"]["value"])
    assert not a["values"]["value"].equals(c["values"]["value"])
    write_demo_store(tmp_path, seed=1)
    store = Store.open(tmp_path)
    assert store.synthetic and store.manifest["seed"] == 1
    assert all(store.indicators["source_id"].isin(["synthetic", "computed", "derived"]))


def test_demo_has_the_real_shapes(demo_tables):
    values, areas = demo_tables["values"], demo_tables["areas"]
    register = {r.area_code for r in build_register()}
    assert set(areas["area_code"]) == register
    las = values[values["geographic_level"] == "Local authority"]["area_code"].nunique()
    assert las >= 153
    statuses = set(values["value_status"].dropna())
    assert {"z", "c"} <= statuses
    assert set(demo_tables["statistical_neighbours"]["sn_release"]) == {"2021", "2025"}
    ids = set(demo_tables["indicators"]["indicator_id"])
    assert {
        "lait_lacstable_2016on",
        "cla_at_31_march_rate",
        "s251_c_ypexpenditure",
        "ons_population_0_17",
        "s251_line_residential_care__private_provision",
        "cin_at_31_march_rate",
    } <= ids
    # abolished Cumbria has no values after 2023; Cumberland none before
    cumbria = values[(values["area_code"] == "E10000006") & (values["year_end"] > 2023)]
    assert cumbria["value"].isna().all()
    assert (values["geographic_level"] == "National").any()


def test_the_demo_indicators_are_data_and_a_bad_column_is_named(tmp_path):
    from data.errors import DataFormatError
    from data.synthetic_generator import DEMO_INDICATORS_FILE, demo_indicators

    specs = demo_indicators()
    assert {s.indicator_id for s in specs} >= {"lait_lacstable_2016on", "s251_lacfinance"}
    bad = tmp_path / "demo.csv"
    header, first = DEMO_INDICATORS_FILE.read_text().splitlines()[:2]
    bad.write_text(f"{header},colour\n{first},red\n")
    with pytest.raises(DataFormatError) as caught:
        demo_indicators(bad)
    assert caught.value.column == "colour" and caught.value.row == 2
