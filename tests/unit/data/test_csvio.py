import pytest

from data.csvio import read_csv_strict, read_header
from data.errors import DataFormatError


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_bom_and_no_bom_read_identically(tmp_path):
    body = b'a,la_name,v\n1,"Bristol, City of",NA\n'
    plain = read_csv_strict(write(tmp_path, "a.csv", body))
    bom = read_csv_strict(write(tmp_path, "b.csv", b"\xef\xbb\xbf" + body))
    assert plain.frame.equals(bom.frame)
    assert bom.had_bom and not plain.had_bom
    assert bom.header == ("a", "la_name", "v")
    assert plain.frame["v"].tolist() == ["NA"]  # text, never NaN
    assert plain.frame["la_name"].tolist() == ["Bristol, City of"]


def test_windows_1252_names_file_row_and_column(tmp_path):
    path = write(tmp_path, "cp.csv", b"a,b,c\n1,2,3\n4,\xa3 5,6\n")
    with pytest.raises(DataFormatError) as err:
        read_csv_strict(path)
    assert err.value.file == str(path)
    assert (err.value.row, err.value.column) == (3, "b")
    assert "not UTF-8" in err.value.message


@pytest.mark.parametrize(
    ("body", "row", "column"),
    [
        (b"a,b,c\n1,2,3\n4,5\n", 3, "c"),
        (b"a,b,c\n1,2,3\n4,5,6,7\n", 3, "#4 (beyond the header)"),
        (b"a,b,c\n1,2,3\n4,5", 3, "c"),
    ],
)
def test_ragged_and_truncated_rows(tmp_path, body, row, column):
    with pytest.raises(DataFormatError) as err:
        read_csv_strict(write(tmp_path, "r.csv", body))
    assert (err.value.row, err.value.column) == (row, column)


def test_empty_header_only_and_missing_columns(tmp_path):
    with pytest.raises(DataFormatError, match="empty"):
        read_csv_strict(write(tmp_path, "e.csv", b""))
    with pytest.raises(DataFormatError, match="no data rows") as err:
        read_csv_strict(write(tmp_path, "h.csv", b"a,b\n"))
    assert err.value.row == 2
    with pytest.raises(DataFormatError) as err:
        read_csv_strict(write(tmp_path, "s.csv", b"a;b\n1;2\n"), required=("a", "b"))
    assert err.value.row == 1 and err.value.column == "a"
    assert "expected ['a', 'b']" in err.value.message


def test_duplicate_and_blank_headers(tmp_path):
    with pytest.raises(DataFormatError, match="duplicate header"):
        read_csv_strict(write(tmp_path, "d.csv", b"a,a\n1,2\n"))
    with pytest.raises(DataFormatError, match="blank"):
        read_csv_strict(write(tmp_path, "b.csv", b"a,,c\n1,2,3\n"))
    raw = read_csv_strict(
        write(tmp_path, "ok.csv", b"a,SNP,SNP,\n1,2,3,\n"), allow_duplicate_headers=True
    )
    assert list(raw.frame.columns) == ["a", "SNP", "SNP.1", ""]


def test_quoted_newline_counts_as_one_row(tmp_path):
    path = write(tmp_path, "q.csv", b'a,b\n"x\ny",1\n2\n')
    with pytest.raises(DataFormatError) as err:
        read_csv_strict(path)
    assert err.value.row == 3  # the record after the two-line quoted cell


def test_read_header_only_reads_the_first_line(tmp_path):
    assert read_header(write(tmp_path, "h.csv", b"\xef\xbb\xbfx,y\n1,2\n")) == ("x", "y")
