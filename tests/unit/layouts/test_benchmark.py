"""The LA benchmark layout: builds with no arguments and with (good or bad) query arguments."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pytest
from dash import html

from layouts import benchmark, ids
from tests.layout_support import walk


def by_id(tree):
    found = {}
    for c in walk(tree):
        cid = getattr(c, "id", None)
        if isinstance(cid, str):
            assert cid not in found, f"duplicate id {cid}"
            found[cid] = c
    return found


def notices(tree) -> list[str]:
    return [
        c.children
        for c in walk(tree)
        if isinstance(c, html.Div | html.P)
        and "warning" in (getattr(c, "className", "") or "")
        and isinstance(c.children, str)
    ]


@pytest.fixture(scope="module")
def catalogue(tiny_store):
    return tiny_store.catalogue


def test_layout_builds_with_no_arguments():
    tree = benchmark.layout()
    assert tree.children.children == "How does one local authority compare?"


def test_default_layout_has_every_control_and_chart(catalogue):
    tree = benchmark.layout(catalogue)
    found = by_id(tree)
    for cid in (*ids.BENCH_CONTROLS, ids.BENCH_TOPIC, ids.BENCH_NOTE, ids.BENCH_LA_SOURCE):
        assert cid in found, cid
    for prefix in (ids.BENCH_SERIES, ids.BENCH_NEIGHBOURS, ids.BENCH_SPINE):
        for suffix in ("graph", "caption", "csv", "download", "svg", "table", "title"):
            assert f"{prefix}-{suffix}" in found
    for suffix in ("caption", "table", "csv", "download"):
        assert f"{ids.BENCH_SUMMARY}-{suffix}" in found
    assert found[ids.BENCH_LA].value == "E06000009"
    assert found[ids.BENCH_LA_SOURCE].data == "default"
    assert found[ids.BENCH_INDICATOR].value == "lait_lacstable_2016on"
    latest = catalogue.periods["lait_lacstable_2016on"][-1][0]
    assert found[ids.BENCH_PERIOD].value == str(latest)
    assert found[ids.BENCH_RELEASE].value == "2025"
    assert found[ids.BENCH_STAT].value == "mean"
    assert found[ids.BENCH_GROUP].value == []
    assert found[f"{ids.BENCH}-url-keys"].data == list(ids.BENCH_KEYS)
    assert notices(tree) == []


def test_every_control_is_labelled(catalogue):
    tree = benchmark.layout(catalogue)
    labels = {c.htmlFor for c in walk(tree) if isinstance(c, html.Label)}
    for cid in (ids.BENCH_LA, ids.BENCH_TOPIC, ids.BENCH_INDICATOR, ids.BENCH_PERIOD):
        assert cid in labels
    fieldsets = [c for c in walk(tree) if isinstance(c, html.Fieldset)]
    for cid in (ids.BENCH_RELEASE, ids.BENCH_STAT, ids.BENCH_GROUP, ids.BENCH_SPINE_COLOUR):
        owner = next(f for f in fieldsets if cid in by_id_loose(f))
        assert isinstance(owner.children[0], html.Legend)
    checklist = by_id(tree)[ids.BENCH_GROUP]
    assert isinstance(checklist, dbc.Checklist)  # native checkboxes, not a Dash 4 dropdown
    assert len(checklist.options) == len(catalogue.las)


def by_id_loose(tree):
    return {getattr(c, "id", None) for c in walk(tree)}


def test_layout_takes_its_state_from_the_query(catalogue):
    rate = "cla_at_31_march_rate"
    period = str(catalogue.periods[rate][0][0])
    tree = benchmark.layout(
        catalogue,
        la="E06000001",
        indicator=rate,
        period=period,
        sn="2021",
        stat="median",
        group="E06000002,E06000003",
        colour="significance",
        unknown_key="ignored",
    )
    found = by_id(tree)
    assert found[ids.BENCH_LA].value == "E06000001"
    assert found[ids.BENCH_LA_SOURCE].data == "url"
    assert found[ids.BENCH_INDICATOR].value == rate
    assert found[ids.BENCH_PERIOD].value == period
    assert found[ids.BENCH_RELEASE].value == "2021"
    assert found[ids.BENCH_STAT].value == "median"
    assert found[ids.BENCH_GROUP].value == ["E06000002", "E06000003"]
    assert found[ids.BENCH_SPINE_COLOUR].value == "significance"
    details = next(c for c in walk(tree) if isinstance(c, html.Details) and c.open)
    assert ids.BENCH_GROUP in by_id_loose(details)
    assert notices(tree) == ["'unknown_key' is not an option of this page: ignored."]


def test_unknown_query_values_fall_back_with_a_visible_note(catalogue):
    tree = benchmark.layout(
        catalogue,
        la="E99999999",
        indicator="nope",
        period="1066",
        sn="1999",
        stat="mode",
        group="E06000009,E06000002,bogus",
        colour="rainbow",
    )
    found = by_id(tree)
    assert found[ids.BENCH_LA].value == "E06000009"
    assert found[ids.BENCH_INDICATOR].value == "lait_lacstable_2016on"
    assert found[ids.BENCH_RELEASE].value == "2025"
    assert found[ids.BENCH_STAT].value == "mean"
    assert found[ids.BENCH_GROUP].value == ["E06000002"]  # the LA itself and junk left out
    assert found[ids.BENCH_SPINE_COLOUR].value == "band"
    said = notices(tree)
    assert said[0] == (
        "The link asked for la=E99999999, which is not a local authority in this release: "
        "showing Blackpool instead."
    )
    for start in ("sn=1999", "stat=mode", "indicator=nope", "period=1066", "colour=rainbow"):
        assert any(s.startswith(f"The link asked for {start}, which is not") for s in said)
    assert "In group, E06000009, bogus: not another local authority in this release" in " ".join(
        said
    )
    assert len(said) == 7


def test_release_in_a_link_means_the_neighbour_release_or_the_data_release(catalogue):
    found = by_id(benchmark.layout(catalogue, release="2021"))
    assert found[ids.BENCH_RELEASE].value == "2021"
    tree = benchmark.layout(catalogue, release="20200101T000000-old")
    assert "This link was made with data release" in str(tree.to_plotly_json())


def test_custom_group_from_a_link_is_capped(catalogue):
    codes = ",".join(code for code, _ in catalogue.las[1:40])
    found = by_id(benchmark.layout(catalogue, la=catalogue.las[0][0], group=codes))
    assert len(found[ids.BENCH_GROUP].value) == 20
