"""Headless Chromium: a link with values the page does not know still draws the page with its
fallbacks, and the notice at the top says what was not recognised (as text, never markup)."""

from app import create_app


def test_a_bad_link_draws_the_fallback_and_says_what_was_not_recognised(dash_page, tiny_store):
    dash_page.start(create_app(store=tiny_store))
    dash_page.open("/benchmark?la=E0600000X&stat=mode&colour=%3Cb%3Ered%3C/b%3E&shade=1")
    dash_page.wait_for_contains_text(".link-notices", "la=E0600000X")
    notices = dash_page.page.locator(".link-notices p.notice").all_inner_texts()
    assert notices == [
        "The link asked for la=E0600000X, which is not a local authority in this release: "
        "showing Blackpool instead.",
        "The link asked for stat=mode, which is not a neighbour average (mean or median): "
        "showing Mean (as DfE LAIT) instead.",
        "The link asked for colour=<b>red</b>, which is not a spine chart colouring (band or "
        "significance): showing Quartile band (A to D, as LAIT) instead.",
        "'shade' is not an option of this page: ignored.",
    ]
    assert dash_page.page.locator(".link-notices b").count() == 0  # text, never markup
    assert dash_page.page.locator(".link-notices").get_attribute("aria-live") == "polite"
    assert dash_page.value("#bench-la") == "E06000009"  # the page drew with the fallback
    dash_page.wait_for_element("#bench-series-graph .main-svg", timeout=20)
    dash_page.open("/benchmark?la=E06000009&stat=median")
    dash_page.wait_for_element("#bench-series-graph .main-svg", timeout=20)
    assert dash_page.page.locator(".link-notices p").count() == 0
