"""The public API: documented, keyword-only options, layer rules and JSON-friendly results."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import indicators

PACKAGE = Path(indicators.__file__).resolve().parent
PUBLIC_FUNCTIONS = [
    name for name in indicators.__all__ if inspect.isfunction(getattr(indicators, name))
]
# Positional parameters are the data (frames or the numbers being computed on); every
# option after them is keyword-only.
POSITIONAL = {
    "describe_rank": 2,
    "benchmark_label": 3,
    "wilson_interval": 2,
    "rate_interval": 2,
    "round_half_up": 2,
    "spend_per_child": 2,
    "spend_vs_outcome": 2,
    "derive_indicators": 2,
    "eligible_values": 2,
    "england_value": 2,
    "region_value": 2,
    "provision_series": 2,
    "compare_to_neighbours": 2,
    "neighbour_averages": 2,
    "group_performance": 2,
    "spread_within_groups": 2,
    "variance_within_groups": 2,
    "expected_given_need": 2,
    "correlate_indicators": 2,
    "variation_trend": 2,
    "direction_label": 1,
    "standardised_difference": 2,
    "difference_from_neighbours": 2,
}


def test_all_names_exist() -> None:
    for name in indicators.__all__:
        assert hasattr(indicators, name), name
    assert len(PUBLIC_FUNCTIONS) >= 25


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_docstring_states_units_polarity_ties_missing_and_an_example(name: str) -> None:
    doc = inspect.getdoc(getattr(indicators, name)) or ""
    for word in (
        "Units",
        "Polarity",
        "Ties",
        "Missing",
        "Examples:",
        ">>>",
        "Raises:",
        "Returns:",
    ):
        assert word in doc, f"{name}: docstring lacks {word!r}"


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_options_are_keyword_only(name: str) -> None:
    params = list(inspect.signature(getattr(indicators, name)).parameters.values())
    n = POSITIONAL.get(name, 1)
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in params[:n]), name
    assert all(p.kind is p.KEYWORD_ONLY for p in params[n:]), name


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_every_public_function_is_fully_typed(name: str) -> None:
    sig = inspect.signature(getattr(indicators, name))
    assert sig.return_annotation is not inspect.Signature.empty, name
    for p in sig.parameters.values():
        assert p.annotation is not inspect.Parameter.empty, f"{name}.{p.name}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_layer_rule_pandas_numpy_scipy_stdlib_and_data_schema_only(path: Path) -> None:
    allowed_roots = {"pandas", "numpy", "scipy", "indicators", "__future__"}
    for module in _imports(path):
        root = module.split(".")[0]
        if root == "data":
            assert module == "data.schema", f"{path.name} imports {module}"
        else:
            assert root in allowed_roots or root in sys.stdlib_module_names, (
                f"{path.name}: {module}"
            )
    source = path.read_text()
    for banned in ("open(", "read_csv", "read_parquet", "to_csv", "logging", "print(", "global "):
        assert banned not in source, f"{path.name} uses {banned!r}"


def _plain(value: object) -> object:
    if isinstance(value, pd.DataFrame):
        return json.loads(value.to_json(orient="records"))
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def test_dataclass_results_serialise_to_json() -> None:
    from data.schema import Polarity, ValueType
    from tests.unit.indicators.builders import make_neighbours, make_values

    values = make_values({"A": 1.0, "B": 2.0, "C": None, "D": 4.0}, {"C": "c"})
    sn = make_neighbours({"A": ["B", "C", "D"], "B": ["A", "C", "D"], "D": ["A", "B", "C"]})
    panel = pd.DataFrame(
        {
            "area_code": list("ABCD") * 4,
            "year_end": sorted([2021, 2022, 2023, 2024] * 4),
            "value": range(16),
        }
    ).assign(value=lambda f: f["value"] ** 1.1)
    results = [
        indicators.best_worst(values, polarity=Polarity.HIGH_IS_BETTER, n=2),
        indicators.quartile_bands(values, polarity=Polarity.LOW_IS_BETTER),
        indicators.compare_to_neighbours(values, sn, area_code="A", sn_release="2025"),
        indicators.group_performance(
            values, sn, area_code="A", polarity=Polarity.NONE, sn_release="2025"
        ),
        indicators.spread(values),
        indicators.variance_within_groups(values, sn, sn_release="2025"),
        indicators.level_vs_improvement(panel, polarity=Polarity.HIGH_IS_BETTER, n_draws=20),
        indicators.wilson_interval(3, 10),
        indicators.spend_vs_outcome(values, values, outcome_polarity=Polarity.HIGH_IS_BETTER),
    ]
    areas = pd.DataFrame(
        {
            "area_code": list("ABCD"),
            "area_name": list("ABCD"),
            "area_type": "Local authority",
            "region_code": "E12000001",
            "valid_from": None,
            "valid_to": None,
        }
    )
    results.append(indicators.england_value(values, areas, value_type=ValueType.MEAN))
    counts = values.assign(numerator=[1.0, 2.0, None, 3.0], denominator=[10.0, 10.0, 10.0, 0.0])
    need = pd.DataFrame({"area_code": list("ABCD"), "need": [1.0, 3.0, 2.0, 5.0]})
    results.append(indicators.expected_given_need(counts, need, min_las=5))
    eight = make_values({c: float(i % 7) for i, c in enumerate("ABCDEFGH")})
    need8 = pd.DataFrame({"area_code": list("ABCDEFGH"), "need": range(8)})
    results.append(indicators.expected_given_need(eight, need8, min_las=5, n_draws=20))
    results.append(indicators.correlate_indicators(values, values))
    results.append(
        indicators.rank_intervals(
            counts,
            polarity=Polarity.LOW_IS_BETTER,
            value_type=ValueType.PROPORTION,
            multiplier=100,
        )
    )
    yearly = panel.assign(time_period=panel["year_end"])
    results.append(
        indicators.variation_trend(yearly, sn, value_type=ValueType.RATE, sn_release="2025")
    )
    for result in results:
        json.dumps(_plain(result))


def test_empty_inputs_give_empty_results_not_errors() -> None:
    from data.schema import Polarity, ValueType
    from tests.unit.indicators.builders import make_neighbours, make_values

    empty = make_values({})
    panel = pd.DataFrame({"area_code": [], "year_end": [], "value": []})
    sn = make_neighbours({"A": ["B"]})
    assert indicators.rank_areas(empty, polarity=Polarity.HIGH_IS_BETTER).empty
    assert indicators.best_worst(empty, polarity=Polarity.LOW_IS_BETTER).n_ranked == 0
    assert indicators.quartile_bands(empty, polarity=Polarity.HIGH_IS_BETTER).breaks is None
    assert indicators.spread(empty).n == 0
    assert indicators.change_per_year(panel, polarity=Polarity.NONE).empty
    assert indicators.level_vs_improvement(panel, polarity=Polarity.NONE).finding == (
        "not enough data"
    )
    averages = indicators.neighbour_averages(empty, sn, sn_release="2025")
    assert averages["neighbour_value"].isna().all()
    assert indicators.variance_within_groups(empty, sn, sn_release="2025").within_share is None
    assert len(indicators.standardised_difference([], np.empty((0, 10))).z) == 0
    assert len(indicators.difference_from_neighbours([], []).difference) == 0
    assert len(indicators.direction_from_z([], polarity=Polarity.NONE)) == 0
    no_rows = pd.DataFrame({"indicator_id": [], "z": [], "direction": []})
    assert indicators.most_unusual(no_rows).empty
    no_gaps = pd.DataFrame({"indicator_id": [], "area_code": [], "year_end": [], "gap": []})
    assert indicators.gap_trend(no_gaps, tolerance=0.0).empty
    assert not indicators.expected_given_need(
        empty, pd.DataFrame({"area_code": [], "x": []})
    ).fitted
    assert indicators.correlate_indicators(empty, empty).n == 0
    intervals = indicators.rank_intervals(
        empty, polarity=Polarity.HIGH_IS_BETTER, value_type=ValueType.RATE, multiplier=1e4
    )
    assert intervals.ranks.empty and intervals.n_ranked == 0
    trend = indicators.variation_trend(
        panel.assign(time_period=panel["year_end"]), value_type=ValueType.RATE
    )
    assert trend.years.empty and "Not enough years" in trend.statement
