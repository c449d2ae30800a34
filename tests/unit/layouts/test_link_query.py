"""read_link: every kind of page parameter, and what the notices say (as text, never markup)."""

import pytest
from dash import html

import layouts
from layouts.link_params import la_param, link_notices, page_link, period_param
from layouts.link_query import MAX_SHOWN, Param, read_link, shown
from tests.layout_support import walk

BLACKPOOL = "E06000009"
N = Param("n", "a number of LAs offered", [("5", "5"), ("10", "10")], default="10")
STAT = Param("stat", "a neighbour average (mean or median)", [("mean", "Mean"), ("median", "Med")])


def test_recognised_values_are_used_with_no_notice():
    link = read_link([N, STAT], {"n": "5", "stat": "median"})
    assert (link["n"], link["stat"], link.notices) == ("5", "median", ())
    assert link.from_link == {"n", "stat"}


def test_absent_values_take_the_default_silently():
    link = read_link([N, STAT], {})
    assert (link["n"], link["stat"], link.notices, link.from_link) == ("10", "mean", (), set())


def test_a_bad_choice_names_parameter_value_and_fallback():
    link = read_link([N, STAT], {"n": "7", "stat": "mode"})
    assert (link["n"], link["stat"]) == ("10", "mean")
    assert link.notices == (
        "The link asked for n=7, which is not a number of LAs offered: showing 10 instead.",
        "The link asked for stat=mode, which is not a neighbour average (mean or median): "
        "showing Mean instead.",
    )
    assert link.from_link == frozenset()


def test_la_falls_back_to_blackpool_or_to_none_highlighted(tiny_store):
    catalogue = tiny_store.catalogue
    link = read_link([la_param(catalogue)], {"la": "E0600000X"})
    assert link["la"] == BLACKPOOL
    assert link.notices == (
        "The link asked for la=E0600000X, which is not a local authority in this release: "
        "showing Blackpool instead.",
    )
    link = read_link([la_param(catalogue, optional=True)], {"la": "E0600000X"})
    assert link["la"] == ""
    assert link.notices[0].endswith("showing no highlighted local authority instead.")
    assert read_link([la_param(catalogue)], {"la": BLACKPOOL}).notices == ()


def test_indicator_then_its_period(tiny_store):
    catalogue = tiny_store.catalogue
    params = layouts.variation.params(catalogue)[:2]
    link = read_link(params, {"indicator": "foo", "period": "1999"})
    assert link["indicator"] == "lait_lacstable_2016on"
    assert link["period"] == str(catalogue.periods["lait_lacstable_2016on"][-1][0])
    first, second = link.notices
    assert first.startswith("The link asked for indicator=foo, which is not an indicator in ")
    assert "showing Placement" in first
    assert second == (
        "The link asked for period=1999, which is not a period of this indicator: showing the "
        f"latest, {catalogue.periods['lait_lacstable_2016on'][-1][1]} instead."
    )
    # A period of the chosen indicator is read against that indicator's periods.
    good = str(catalogue.periods["lait_lacstable_2016on"][0][0])
    assert read_link(params, {"period": good})["period"] == good


def test_period_with_no_indicator_has_nothing_to_show(tiny_store):
    link = read_link([period_param(tiny_store.catalogue, indicator="none")], {"period": "2020"})
    assert link["period"] is None
    assert link.notices[0].endswith("showing nothing (none is available).")


def test_sn_release_and_legacy_release(tiny_store):
    tree = layouts.benchmark.layout(tiny_store.catalogue, release="2021")
    assert next(c for c in walk(tree) if getattr(c, "id", None) == "bench-release").value == "2021"
    link = read_link(layouts.benchmark.neighbour_params(tiny_store.catalogue), {"sn": "2019"})
    assert link["sn"] == "2025"
    assert link.notices[0].startswith("The link asked for sn=2019, which is not a statistical")


def test_unknown_names_are_named_and_ignored():
    link = read_link([N], {"colour": "red", "n": "5"})
    assert link["n"] == "5"
    assert link.notices == ("'colour' is not an option of this page: ignored.",)


def test_empty_values():
    link = read_link([N, STAT], {"n": "", "stat": ""})
    assert (link["n"], link["stat"]) == ("10", "mean")
    assert link.notices == (
        "The link gives no value for n: showing 10.",
        "The link gives no value for stat: showing Mean.",
    )


def test_repeated_values_read_the_first_once():
    link = read_link([N], {"n": ["5", "10"]})
    assert link["n"] == "5"
    assert link.notices == ("The link gives n 2 times: only the first, 5, is read.",)
    link = read_link([N], {"n": ["7", "5"]})
    assert link["n"] == "10" and len(link.notices) == 2


def test_markup_and_long_values_are_shown_as_short_text():
    script = "<script>alert(1)</script>"
    link = read_link([N], {"n": script, "<b>x</b>": "1", "q": "y" * 500 + "\n"})
    assert f"n={script}," in link.notices[0]
    assert "'<b>x</b>' is not an option" in link.notices[1]
    assert len(shown("y" * 500)) == MAX_SHOWN and shown("a\nb") == "a?b"
    region = link_notices(link)
    paragraphs = region.children
    assert all(isinstance(p, html.P) and isinstance(p.children, str) for p in paragraphs)
    assert not any(isinstance(c, html.Script) for c in walk(region))
    assert region.role == "status" and getattr(region, "aria-live") == "polite"


def test_a_list_of_codes(tiny_store):
    params = layouts.benchmark.neighbour_params(tiny_store.catalogue)
    link = read_link(params, {"la": BLACKPOOL, "group": "E06000002,E06000002,bogus," + BLACKPOOL})
    assert link["group"] == "E06000002"
    assert link.notices == (
        f"In group, bogus, {BLACKPOOL}: not another local authority in this release, left out.",
        "In group, repeated values are read once.",
    )
    codes = ",".join(code for code, _ in tiny_store.catalogue.las[1:25])
    link = read_link(params, {"la": BLACKPOOL, "group": codes})
    assert len(link["group"].split(",")) == 20
    assert link.notices[-1].endswith("only the first 20 are used.")


def test_release_is_any_text_and_shared_by_every_page(tiny_store):
    link = page_link([], {"release": "2020-01"})
    assert link["release"] == "2020-01" and link.notices == ()


PAGES = [p for p in layouts.PAGES if p.module != "accessibility"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.module)
def test_every_page_says_what_a_bad_link_asked_for(page, tiny_store):
    def said(**query):
        tree = page.layout(tiny_store.catalogue, **query)
        region = next(c for c in walk(tree) if getattr(c, "className", "") == "link-notices")
        return [p.children for p in region.children]

    assert said() == []
    assert said(colourz="1") == ["'colourz' is not an option of this page: ignored."]
    bad = {"profile": {"la": "E0"}, "value": {"spend": "E0"}}.get(page.module, {"la": "E0"})
    if page.module == "data":
        bad = {"indicator": "E0"}
    ((name, value),) = bad.items()
    assert said(**bad)[0].startswith(f"The link asked for {name}={value}, which is not ")
