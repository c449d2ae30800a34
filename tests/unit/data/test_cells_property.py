"""Property test: value cells drawn from {number, symbol, blank, junk}.

Whatever the mix, either the file loads and its manifest balances (every number a value or,
when it cannot be a count (negative, fractional), a recorded rejection naming its row; every
symbol a status; rows read = loaded + rejected), or the ingest stops and its one message names
every junk or blank cell, by row.
"""

import io

import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.errors import DataFormatError
from data.ingest import build_tables
from data.schema import STATUS_SYMBOLS

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,category,Anypoint_episodes,Anypoint_child,"
    "Started_episodes,Started_child,Ended_episodes,Ended_child,At31_episodes,awaiting_assessment"
)
ROW = (
    "{year},Reporting year,Local authority,E92000001,England,E12000002,North West,890,E06000009,"
    "Blackpool,Children in Need,{cell},1,1,1,1,1,1,1"
)
JUNK = ["DNS", "NA", "N/A", "*", "NULL", "none", "12p", "£5", "(3)", "n.a.", "?", "TBC"]

numbers = st.one_of(
    st.integers(min_value=-10_000, max_value=10_000).map(str),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda f: f"{f:.3f}"),
)
cells = st.one_of(
    numbers.map(lambda s: ("number", s)),
    st.sampled_from(sorted(STATUS_SYMBOLS)).map(lambda s: ("symbol", s)),
    st.just(("blank", "")),
    st.sampled_from(JUNK).map(lambda s: ("junk", s)),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(cells, min_size=1, max_size=20))
def test_manifest_balances_or_every_bad_cell_is_reported(tmp_path_factory, drawn):
    folder = tmp_path_factory.mktemp("grammar")
    rows = [ROW.format(year=2000 + i, cell=cell) for i, (_, cell) in enumerate(drawn)]
    (folder / "b1.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    bad = [(i + 2, cell) for i, (kind, cell) in enumerate(drawn) if kind in ("junk", "blank")]
    if bad:
        try:
            build_tables(folder, progress=False, require=False)
        except DataFormatError as exc:
            reported = {(exc.row, exc.token)} | {(r, t) for r, _, t in exc.also}
            assert set(bad) == reported
            message = str(exc)
            for row, _ in bad:
                assert f"row {row}" in message
            return
        raise AssertionError("junk was loaded")
    tables, manifest, extras = build_tables(folder, progress=False, require=False)
    source = manifest["sources"][0]
    assert source["rows_read"] == len(drawn) == source["rows_loaded"] + source["rows_rejected"]
    values = tables["values"]
    column = values[values["indicator_id"] == "cin_anypoint_episodes"].sort_values("time_period")
    kinds = [kind for kind, _ in drawn]
    numbers = [(i + 2, float(cell)) for i, (kind, cell) in enumerate(drawn) if kind == "number"]
    impossible = {row for row, x in numbers if x < 0 or x != int(x)}  # not a count of children
    assert int(column["value"].notna().sum()) == len(numbers) - len(impossible)
    rejected = pq.read_table(io.BytesIO(extras["rejections.parquet"])).to_pandas()
    rejected = rejected[rejected["column"] == "Anypoint_episodes"]
    assert set(rejected["row"]) == impossible
    assert set(rejected["rule"].astype(str)) <= {"BI-39", "BI-40"}
    assert int(column["value_status"].notna().sum()) == kinds.count("symbol")
    symbols = [cell for kind, cell in drawn if kind == "symbol"]
    assert sorted(column["value_status"].dropna().astype(str)) == sorted(symbols)
