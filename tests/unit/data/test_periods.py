import pytest

from data.periods import (
    Period,
    PeriodError,
    financial_year_label,
    label_for,
    parse_ees_period,
    parse_lait_year,
)


@pytest.mark.parametrize(
    ("label", "year_type", "expected"),
    [
        ("2016", "Academic Year", Period(201516, "Academic year", 2016)),
        ("2016", "Financial Year", Period(201516, "Financial year", 2016)),
        ("2016", "Calendar Year", Period(2016, "Calendar year", 2016)),
        ("2016", "Annual (end of Sept)", Period(2016, "Reporting year", 2016)),
        ("2016-17 (OT)", "Financial Year", Period(201617, "Financial year", 2017)),
        ("2016-17", "Academic Year", Period(201617, "Academic year", 2017)),
        ("2018 (Rev)", "Academic Year", Period(201718, "Academic year", 2018)),
        ("2020 (Final)", "Academic Year", Period(201920, "Academic year", 2020)),
        ("2025 (prov)", "Academic Year", Period(202425, "Academic year", 2025)),
        ("2015/16", "Academic Year", Period(201516, "Academic year", 2016)),
        ("2014-16", "Calendar Year", Period(201416, "Calendar years (span)", 2016)),
        ("2013/14-15/16", "Financial Year", Period(201316, "Financial years (span)", 2016)),
        ("2099-00", "Financial Year", Period(209900, "Financial year", 2100)),
    ],
)
def test_every_lait_label_form(label, year_type, expected):
    assert parse_lait_year(label, year_type) == expected


@pytest.mark.parametrize("label", ["0", "", "2016-15", "16", "1850", "2019/20x", "FY2020"])
def test_unreadable_lait_labels(label):
    with pytest.raises(PeriodError):
        parse_lait_year(label, "Academic Year")


def test_ees_periods_and_their_rules():
    assert parse_ees_period("202425", "Academic year") == Period(202425, "Academic year", 2025)
    assert parse_ees_period("2025", "Reporting year").year_end == 2025
    for bad, ident in [
        ("2019/20", "Academic year"),
        ("201921", "Academic year"),
        ("19", "Reporting year"),
        ("202425", "Reporting year"),
        ("2024", "Financial year"),
    ]:
        with pytest.raises(PeriodError):
            parse_ees_period(bad, ident)


def test_financial_year_and_labels():
    p = financial_year_label("2024-25")
    assert p == Period(202425, "Financial year", 2025)
    assert label_for(p) == "2024-25"
    assert label_for(Period(202324, "Academic year", 2024)) == "2023/24"
    with pytest.raises(PeriodError):
        financial_year_label("2024-26")
