"""Values as text: the indicator's decimals, or the value's own when none are published."""

from dataclasses import replace

from data.schema import IndicatorMeta, Polarity, ValueType
from figures.style import format_value

META = IndicatorMeta(
    "x",
    "t",
    "t",
    "topic",
    "",
    None,
    Polarity.NONE,
    "Reporting year",
    "s",
    "x",
    None,
    None,
    False,
    ValueType.COUNT,
    None,
)


def test_a_whole_number_without_published_decimals_has_no_point_zero():
    # issue 10.10: values published as whole numbers showed as 184.0
    assert format_value(184.0, META) == "184"
    assert format_value(1753.0, META) == "1,753"
    assert format_value(183.5, META) == "183.5"
    assert format_value(12.345, META) == "12.35"  # at most two decimals


def test_published_decimals_and_an_explicit_choice_win():
    assert format_value(184.0, replace(META, decimals=1)) == "184.0"
    assert format_value(184.04, META, decimals=0) == "184"
    assert format_value(None, META) == "not published"
