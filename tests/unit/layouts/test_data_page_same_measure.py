"""The /data page says which indicators two sources publish as the same measure, and why."""

from data.store import Store
from layouts.data_page import layout, same_measure_notes
from tests.unit.layouts.test_data_page_checks import text_of

PAIR = {
    "name": "Same measure: lait_x (LAIT) and ees_x (EES)",
    "kind": "same_measure",
    "compared": 815,
    "agreeing": 815,
    "differences": [],
    "measures": [
        {"indicator_id": "lait_x", "title": "Rate X", "source": "LAIT"}
        | {"first_year": 2016, "last_year": 2025},
        {"indicator_id": "ees_x", "title": "Rate X on 31 March", "source": "EES"}
        | {"first_year": 2021, "last_year": 2025},
    ],
    "kept_because": [
        "LAIT's series is longer",
        "EES publishes the counts behind the figure",
    ],
}


def test_one_sentence_per_pair_from_the_manifest(demo_tables):
    store = Store.from_tables(
        demo_tables, {"release": "r", "synthetic": False, "cross_source_checks": [PAIR]}
    )
    [pair] = store.catalogue.same_measures
    assert pair.measures[1] == ("ees_x", "Rate X on 31 March", "EES", 2021, 2025)
    assert store.catalogue.checks[0][0] == PAIR["name"]  # listed with the other checks too
    text = text_of(same_measure_notes(store.catalogue))
    assert (
        "Rate X (LAIT, 2016 to 2025) and Rate X on 31 March (EES, 2021 to 2025) are the same "
        "measure (815 of 815 LA values agree): both are kept because LAIT's series is longer "
        "and EES publishes the counts behind the figure."
    ) in text
    assert "The same measure from two sources" in text_of(layout(store.catalogue))


def test_no_pairs_no_section(demo_tables):
    store = Store.from_tables(demo_tables, {"release": "r", "synthetic": True})
    assert store.catalogue.same_measures == ()
    assert same_measure_notes(store.catalogue) is None
    assert "The same measure from two sources" not in text_of(layout(store.catalogue))
