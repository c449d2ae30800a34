import pytest
from werkzeug.datastructures import MultiDict

from api import params
from api.context import ApiContext
from api.errors import ApiError


@pytest.fixture(scope="module")
def ctx(tiny_store):
    return ApiContext(tiny_store)


def fails(func, *args, status, parameter, **kwargs):
    with pytest.raises(ApiError) as info:
        func(*args, **kwargs)
    assert info.value.status == status
    assert info.value.parameter == parameter
    return info.value


def test_unknown_repeated_and_overlong_parameters_are_refused():
    fails(
        params.check_names,
        MultiDict({"indicater": "x"}),
        ["indicator"],
        status=400,
        parameter="indicater",
    )
    fails(
        params.check_names, MultiDict([("n", "1"), ("n", "2")]), ["n"], status=400, parameter="n"
    )
    fails(params.check_names, MultiDict({"n": "9" * 257}), ["n"], status=400, parameter="n")
    params.check_names(MultiDict({"n": "3"}), ["n"])


def test_plain_mappings_work_as_args():
    args = params.as_args({"n": 4, "stat": ["median"]})
    assert params.integer(args, "n", default=10, minimum=1, maximum=50) == 4
    assert params.choice(args, "stat", ("mean", "median"), "mean") == "median"


@pytest.mark.parametrize(
    "value",
    ["0", "51", "-3", "ten", "2.5", "１", "--5", "-", "+5", "5-", "1_0", " 5 5", "٣", "9" * 40],
)
def test_bad_n_is_a_400_naming_n(value):
    args = params.as_args({"n": value})
    fails(params.integer, args, "n", default=10, minimum=1, maximum=50, status=400, parameter="n")


def test_format_and_choices():
    assert params.output_format(params.as_args({})) == "json"
    assert params.output_format(params.as_args({"format": "CSV"})) == "csv"
    fails(params.output_format, params.as_args({"format": "xml"}), status=400, parameter="format")
    assert params.choice(params.as_args({}), "stat", ("mean", "median"), "mean") == "mean"
    fails(
        params.choice,
        params.as_args({"stat": "mode"}),
        "stat",
        ("mean", "median"),
        "mean",
        status=400,
        parameter="stat",
    )


def test_indicator_and_period_checks(ctx):
    fails(params.indicator, ctx, params.as_args({}), status=400, parameter="indicator")
    fails(
        params.indicator,
        ctx,
        params.as_args({"indicator": "nope"}),
        status=404,
        parameter="indicator",
    )
    ind = params.indicator(ctx, params.as_args({"indicator": "cpp_subsequent_pct"}))
    assert params.period(ctx, ind, params.as_args({})) is None
    assert params.period(ctx, ind, params.as_args({"period": "2024"})) == 2024
    for bad in ("20x4", "--24", "-202", "+2024", "2_024", "２０２４", "20244"):
        fails(
            params.period,
            ctx,
            ind,
            params.as_args({"period": bad}),
            status=400,
            parameter="period",
        )
    # A period that exists, but for another indicator (financial-year code).
    error = fails(
        params.period,
        ctx,
        ind,
        params.as_args({"period": "202324"}),
        status=404,
        parameter="period",
    )
    assert "2016" in error.message and "202324" not in error.message
    fails(params.required_period, ctx, ind, params.as_args({}), status=400, parameter="period")


def test_areas_by_gss_code_or_la_number(ctx):
    assert params.area(ctx, params.as_args({"area": "E09000002"})) == "E09000002"
    assert params.area(ctx, params.as_args({"area": "e09000002"})) == "E09000002"
    assert params.area(ctx, params.as_args({"area": "301"})) == "E09000002"
    assert params.area(ctx, params.as_args({"area": "E12000001"})) == "E12000001"
    fails(params.area, ctx, params.as_args({"area": "E99999999"}), status=404, parameter="area")


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("E12000001", "region"),
        ("E92000001", "country"),
        ("E13000001", "london sub-region"),
        ("E09000021 / E09000027", "local authority group"),
    ],
)
def test_single_la_refuses_other_kinds_of_area(ctx, code, kind):
    error = fails(
        params.single_la, ctx, params.as_args({"area": code}), status=400, parameter="area"
    )
    assert kind in error.message


def test_error_body_never_echoes_the_value(ctx):
    error = fails(
        params.indicator,
        ctx,
        params.as_args({"indicator": "<script>"}),
        status=404,
        parameter="indicator",
    )
    assert "<script>" not in str(error.body())
