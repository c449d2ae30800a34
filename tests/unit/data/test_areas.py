import pandas as pd
import pytest

from data.areas import AreaLookupError, AreaResolver, check_lifetimes, resolve_area_column
from data.errors import DataFormatError
from data.reference import build_register, normalise_name


@pytest.fixture(scope="module")
def resolver():
    return AreaResolver()


def test_register_has_every_current_authority_once():
    las = [r for r in build_register() if r.area_type == "Local authority" and r.valid_to is None]
    assert len(las) == 153
    assert len({r.area_code for r in las}) == 153
    assert len({r.old_la_code for r in las}) == 153


def test_code_changes_keep_one_code_per_authority(resolver):
    for number, old, current in [
        ("815", "E10000023", "E06000065"),
        ("933", "E10000027", "E06000066"),
        ("825", "E10000002", "E06000060"),
        ("370", "E08000016", "E08000038"),
        ("373", "E08000019", "E08000039"),
    ]:
        assert resolver.resolve_la(number, old, "") == current
        assert resolver.resolve_la(number, current, "") == current
        assert old in resolver.record(current).former_codes


def test_abolished_and_new_authorities_stay_distinct(resolver):
    assert resolver.resolve_la("835", "E10000009", "Dorset (Pre LG)") == "E10000009"
    assert resolver.resolve_la("838", "E06000059", "Dorset") == "E06000059"
    dorset = resolver.record("E10000009")
    assert dorset.successor_codes == ("E06000059", "E06000058")
    assert resolver.record("E06000058").predecessor_codes == (
        "E10000009",
        "E06000029",
        "E06000028",
    )
    assert resolver.record("E10000006").valid_to == pd.Timestamp("2023-03-31").date()


def test_joint_rows_are_their_own_areas(resolver):
    code = resolver.resolve_la(
        "940 / 941", "E06000061 / E06000062", "North Northamptonshire / West Northamptonshire"
    )
    assert code == "E06000061 / E06000062"
    assert resolver.record(code).member_codes == ("E06000061", "E06000062")
    assert resolver.record(code).area_type == "Local authority group"


@pytest.mark.parametrize(
    ("triple", "column"),
    [
        (("999", "E06000009", "Blackpool"), "old_la_code"),
        (("890", "E06000010", "Blackpool"), "new_la_code"),
        (("890", "E06000009", "Blackburn"), "la_name"),
        (("", "E06999999", "Nowhere"), "new_la_code"),
    ],
)
def test_mismatched_triples_are_refused_naming_the_field(resolver, triple, column):
    with pytest.raises(AreaLookupError) as err:
        resolver.resolve_la(*triple)
    assert err.value.column == column


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kingston Upon Hull, City of", "Kingston upon Hull"),
        ("Bournemouth, Christchurch & Poole", "Bournemouth, Christchurch and Poole"),
        ("St. Helens", "St Helens"),
        ("Herefordshire, County of", "Herefordshire"),
        ("Bristol, City of", "City of Bristol"),
        ("Dorset (Pre LG)", "Dorset"),
    ],
)
def test_name_variants_match(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_resolve_area_column_names_the_row(resolver):
    frame = pd.DataFrame(
        {
            "geographic_level": ["National", "Regional", "Local authority", "Local authority"],
            "region_code": ["", "E12000002", "E12000002", "E12000002"],
            "region_name": ["", "North West", "North West", "North West"],
            "old_la_code": ["", "", "890", "890"],
            "new_la_code": ["", "", "E06000009", "E06000010"],
            "la_name": ["", "", "Blackpool", "Blackpool"],
        }
    )
    with pytest.raises(DataFormatError) as err:
        resolve_area_column(resolver, frame, file="x.csv", first_row=2)
    assert (err.value.row, err.value.column) == (5, "new_la_code")
    codes = resolve_area_column(resolver, frame.iloc[:3], file="x.csv", first_row=2)
    assert codes.tolist() == ["E92000001", "E12000002", "E06000009"]


def test_values_outside_a_lifetime(resolver):
    values = pd.DataFrame(
        {
            "area_code": ["E10000009", "E10000009", "E06000061"],
            "time_identifier": ["Reporting year"] * 3,
            "year_end": [2019, 2021, 2021],
            "value": [5.0, float("nan"), 7.0],
        }
    )
    # Dorset county in 2019, abolished-with-z in 2021, and North Northamptonshire at 31 March
    # 2021 (one day before it began, as DfE publishes) are all fine.
    check_lifetimes(
        resolver, values, file="f.csv", row_numbers=pd.Series([2, 3, 4]).to_numpy(), column="v"
    )
    bad = values.assign(value=[5.0, 6.0, 7.0])
    with pytest.raises(DataFormatError) as err:
        check_lifetimes(
            resolver, bad, file="f.csv", row_numbers=pd.Series([2, 3, 4]).to_numpy(), column="v"
        )
    assert err.value.row == 3 and "outside its lifetime" in err.value.message
