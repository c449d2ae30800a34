from callbacks.data_page import indicator_csv, metadata_card, topic_catalogue
from layouts.data_page import safe_link


def test_metadata_card_lists_the_definition(tiny_store):
    text = str(metadata_card(tiny_store, "lait_lacstable_2016on"))
    for words in ("Lower is better", "Placement 1", "Definition", "Periods"):
        assert words in text


def test_links_are_only_http(tiny_store):
    assert safe_link("javascript:alert(1)", "x") == "javascript:alert(1)"
    assert safe_link("data:text/html,<b>", "x") == "data:text/html,<b>"
    link = safe_link("https://www.gov.uk/x", "x")
    assert link.href == "https://www.gov.uk/x"


def test_topic_catalogue_and_csv(tiny_store):
    table = topic_catalogue(tiny_store, "cla_at_31_march_rate")
    assert "cla_at_31_march_rate" in str(table)
    csv = indicator_csv(tiny_store, "cla_at_31_march_rate")
    lines = csv["content"].splitlines()
    assert lines[0].startswith("Indicator,Period")
    assert len(lines) - 1 == len(tiny_store.indicator_values("cla_at_31_march_rate"))
    assert csv["filename"].endswith(".csv")
