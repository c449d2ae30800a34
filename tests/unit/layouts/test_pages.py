"""Every page layout builds with no arguments and with query arguments; ids are unique."""

import pytest

import layouts
from tests.layout_support import walk


@pytest.mark.parametrize("page", layouts.PAGES, ids=lambda p: p.module)
def test_layout_builds_without_and_with_arguments(page, tiny_store):
    assert page.layout() is not None
    tree = page.layout(tiny_store.catalogue)
    ids = [c.id for c in walk(tree) if getattr(c, "id", None)]
    assert len(ids) == len(set(ids)), f"duplicate ids on {page.module}"
    tree = page.layout(
        tiny_store.catalogue,
        indicator="no-such-indicator",
        la="<script>alert(1)</script>",
        period="9999",
        release="old-release",
        unknown_param="x",
    )
    assert tree is not None


def test_variation_query_preselects(tiny_store):
    from layouts.variation import layout

    tree = layout(tiny_store.catalogue, indicator="cla_at_31_march_rate", la="E06000009", n="5")
    values = {c.id: getattr(c, "value", None) for c in walk(tree) if getattr(c, "id", None)}
    assert values["var-indicator"] == "cla_at_31_march_rate"
    assert values["var-la"] == "E06000009"
    assert values["var-n"] == "5"
    text = str(layout(tiny_store.catalogue, indicator="nope"))
    assert "indicator=nope, which is not an indicator in this release" in text
    assert "old-r" in str(layout(tiny_store.catalogue, release="old-r"))
