"""The /data page lists the cross-source checks the release's manifest records."""

from data.store import Store
from layouts.data_page import checks_table, layout
from tests.layout_support import walk

CHECK = {
    "name": "s251 line-level v LAIT finance",
    "compared": 4104,
    "agreeing": 4103,
    "differences": [{"area_code": "E06000039", "values": {"a": 1.0, "b": 2.0}}],
}


def text_of(component) -> str:
    parts = []
    for c in walk(component):
        children = getattr(c, "children", None)
        items = children if isinstance(children, list | tuple) else [children]
        parts += [item for item in items if isinstance(item, str)]
    return " ".join(parts)


def test_catalogue_and_store_expose_the_checks(demo_tables):
    store = Store.from_tables(
        demo_tables, {"release": "r", "synthetic": False, "cross_source_checks": [CHECK]}
    )
    assert store.catalogue.checks == (("s251 line-level v LAIT finance", 4104, 4103, 1),)
    assert store.checks[0]["differences"][0]["area_code"] == "E06000039"
    text = text_of(checks_table(store.catalogue))
    assert "s251 line-level v LAIT finance" in text and "4,104" in text and "4,103" in text
    assert "Cross-source checks" in text_of(layout(store.catalogue))


def test_a_release_without_checks_says_so(demo_tables):
    store = Store.from_tables(demo_tables, {"release": "r", "synthetic": True})
    assert store.catalogue.checks == () and store.checks == []
    assert "No cross-source check" in text_of(checks_table(store.catalogue))
