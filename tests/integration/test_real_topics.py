"""On the real data: one spelling per topic, and LAIT/EES copies of a measure found as one."""

from __future__ import annotations

import pytest

from data.topics import topic_key

pytestmark = pytest.mark.real_data


def test_no_two_topics_are_one_under_casefold(real_store):
    topics = {t for _, _, t in real_store.catalogue.indicators}
    assert len({t.casefold() for t in topics}) == len(topics)
    assert len({topic_key(t) for t in topics}) == len(topics)
    merged = {m for record in real_store.manifest["topics_merged"] for m in record["merged"]}
    assert merged.isdisjoint(topics)


def test_the_looked_after_rate_of_lait_and_ees_is_one_measure(real_store):
    pairs = {
        tuple(m["indicator_id"] for m in c["measures"]): c
        for c in real_store.checks
        if c.get("kind") == "same_measure"
    }
    for ids in [
        ("lait_lac", "cla_at_31_march_rate"),
        ("lait_lac_start_rate", "cla_starting_rate"),
        ("lait_lac_cease_rate", "cla_ceasing_rate"),
    ]:
        pair = pairs[ids]
        assert pair["compared"] == pair["agreeing"] >= 30
        lait, ees = pair["measures"]
        assert (lait["source"], ees["source"]) == ("LAIT", "EES")
        assert lait["first_year"] < ees["first_year"] and ees["counts"]
    assert any(p.measures[0][0] == "lait_lac" for p in real_store.catalogue.same_measures)
