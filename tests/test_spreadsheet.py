import csv
import io

import pytest

from wenming import spreadsheet


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://evil\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_cells_starting_like_a_formula_become_text(value):
    assert spreadsheet.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["陶斌", "a=b", "2023-04-06", 12, None, ""])
def test_other_cells_are_left_alone(value):
    assert spreadsheet.neutralise(value) == value


def test_writer_neutralises_every_cell_of_every_row():
    out = io.StringIO()
    writer = spreadsheet.writer(out)
    writer.writerow(["=1+1", "好"])
    writer.writerows([["@x", 3], ["-1", "+2"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1+1", "好"], ["'@x", "3"], ["'-1", "'+2"]]
