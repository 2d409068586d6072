"""Security: `cx run` executes nothing it was not meant to, resources are bounded, terminals stay safe.

Issue 15, items 1-4 and 19 (a closed pipe), 21 (no partial reports).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxlib.cli import main
from cxlib.data.io import read_table
from cxlib.errors import CxError
from cxlib.teaching.lessons import find_lesson, lesson_parameters, run_lesson
from cxlib.teaching.parameters import ParameterType, parameters_source, read_parameters_cell

PAYLOAD = '(\'"[:0]+"Q" if __import__("os").system("touch {marker}")==0 else "Q" #\',)'


def _lesson(folder: Path, body: str, params: str = 'COLUMN: str = "plan"  # a column\n') -> Path:
    """A tiny lesson notebook in ``folder`` (a parameters cell and one code cell)."""
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# 98 · Test lesson"), p, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "98_test.ipynb"
    nbformat.write(nb, path)
    return path


def _outputs(notebook: Path) -> str:
    nb = nbformat.read(notebook, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


# --------------------------------------------------------------------- 1. parameters as literals
def test_issue_payload_is_refused_before_anything_runs(tmp_path, capsys):
    marker = tmp_path / "pwned"
    code = main(["run", "05", "-p", "FREQ=" + PAYLOAD.format(marker=marker), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "FREQ" in err and "'M'" in err and "'Q'" in err  # the valid forms are listed
    assert not marker.exists() and not (tmp_path / "o" / "05_nps_pitfalls.ipynb").exists()


def test_payload_in_a_text_parameter_arrives_as_text_and_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    payload = PAYLOAD.format(marker=marker)
    _lesson(tmp_path, "print(repr(COLUMN))")
    out = run_lesson("98", parameters={"COLUMN": payload}, out=tmp_path / "out", folder=tmp_path, timeout=60)
    assert not marker.exists()
    assert _outputs(out["notebook"]).strip() == repr(payload)


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("K", "4", 4),
        ("K", "None", None),
        ("FEATURES", "a, b", ["a", "b"]),
        ("FEATURES", "['a', 'b,c']", ["a", "b,c"]),
        ("ID_COLUMN", "Customer No.", "Customer No."),
        ("ID_COLUMN", '"quoted"', "quoted"),
    ],
)
def test_command_line_text_becomes_the_declared_type(name, text, expected):
    assert lesson_parameters(find_lesson("02"), {name: text}) == {name: expected}


@pytest.mark.parametrize(
    "name, text",
    [
        ("K", "4.5"),
        ("K", "__import__('os')"),
        ("K", "True"),
        ("FEATURES", "[1, 2]"),
        ("FEATURES", "(__import__('os'),)"),
        ("FEATURES", ","),
    ],
)
def test_values_of_the_wrong_type_are_refused_with_the_valid_forms(name, text):
    with pytest.raises(CxError, match=f"parameter {name}:.*(whole number|column names)"):
        lesson_parameters(find_lesson("02"), {name: text})


def test_every_lesson_declares_a_supported_type_for_every_parameter():
    from cxlib.teaching.lessons import list_lessons

    for lesson in list_lessons():
        for p in lesson.parameters.values():
            assert p.type.accepts(p.default), (lesson.name, p.name)


def test_parameters_cell_must_be_annotated_literals():
    with pytest.raises(CxError, match="NAME: type = literal"):
        read_parameters_cell("X = 1\n")
    with pytest.raises(CxError, match="literal"):
        read_parameters_cell("X: int = len('ab')\n")
    with pytest.raises(CxError, match="unsupported parameter type"):
        read_parameters_cell("X: dict = {}\n")


_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    st.one_of(
        _TEXT,
        st.lists(_TEXT, max_size=4),
        st.integers(),
        st.booleans(),
        st.none(),
        st.floats(allow_nan=False, allow_infinity=False),
    )
)
def test_written_literals_read_back_exactly_and_contain_no_code(value):
    source = parameters_source({"X": value})
    tree = ast.parse(source)
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign)
    assert ast.literal_eval(tree.body[0].value) == value


@settings(max_examples=300, derandomize=True, deadline=None)
@given(_TEXT)
def test_any_typed_text_is_a_literal_string_for_a_text_parameter(text):
    value = ParameterType("str").parse(text, "X")
    assert isinstance(value, str)
    assert ast.literal_eval(parameters_source({"X": value}).split(" = ", 1)[1]) == value


# --------------------------------------------------------------------- 2. a clean working folder
def test_kernel_does_not_import_modules_from_the_output_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    marker = tmp_path / "imported"
    for name in ("cxlib.py", "evil.py"):
        (out / name).write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    _lesson(
        tmp_path,
        "import os\ntry:\n    import evil\nexcept ImportError:\n    print('clean')\n"
        "import cxlib\nprint(os.listdir('.'))",
    )
    res = run_lesson("98", out=out, folder=tmp_path, timeout=60)
    assert not marker.exists()
    assert _outputs(res["notebook"]).split() == ["clean", "[]"]  # an empty working folder


# --------------------------------------------------------------------- 21. no partial reports
def test_a_failed_run_leaves_the_previous_report_intact(tmp_path, capsys):
    out = tmp_path / "out"
    _lesson(tmp_path, "print('first report')")
    run_lesson("98", out=out, folder=tmp_path, timeout=60)
    before = (out / "98_test.html").read_bytes()
    _lesson(tmp_path, "raise RuntimeError('boom')")
    with pytest.raises(CxError, match="(?s)boom.*unchanged"):
        run_lesson("98", out=out, folder=tmp_path, timeout=60)
    assert (out / "98_test.html").read_bytes() == before
    assert "first report" in _outputs(out / "98_test.ipynb")
    assert (out / "98_test.failed.ipynb").exists()
    assert sorted(p.name for p in out.iterdir()) == ["98_test.failed.ipynb", "98_test.html", "98_test.ipynb"]


def test_a_folder_another_run_is_writing_to_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cx-run.lock").write_text(str(os.getpid()))  # a live process holds it
    _lesson(tmp_path, "print(1)")
    with pytest.raises(CxError, match="another `cx run` is writing"):
        run_lesson("98", out=out, folder=tmp_path, timeout=60)
    (out / ".cx-run.lock").write_text("999999999")  # stale: no such process
    run_lesson("98", out=out, folder=tmp_path, timeout=60)
    assert not (out / ".cx-run.lock").exists()


# --------------------------------------------------------------------- 3. bounded resources
def _quick(fn, seconds: float = 5.0):
    t0 = time.perf_counter()
    with pytest.raises(CxError) as info:
        fn()
    assert time.perf_counter() - t0 < seconds
    return str(info.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_csv_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    msg = _quick(lambda: read_table(fifo, "churn_table"))
    assert "not a regular file" in msg


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_behind_a_csv_name_is_refused(tmp_path):
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    assert "not a regular file" in _quick(lambda: read_table(link, "churn_table"))


def test_a_csv_with_100000_columns_is_refused_quickly(tmp_path):
    f = tmp_path / "wide.csv"
    f.write_text(",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join(["1"] * 100_000) + "\n")
    msg = _quick(lambda: read_table(f, "churn_table"))
    assert "100,000 columns" in msg and "wide.csv" in msg


def test_a_csv_of_one_endless_line_is_refused_with_a_clear_message(tmp_path, capsys):
    """A file without line breaks once ended in 'internal error: field larger than field limit'."""
    f = tmp_path / "oneline.csv"
    f.write_text("a" * 3_000_000)
    msg = _quick(lambda: read_table(f, "nps_surveys"))
    assert "oneline.csv" in msg and "header line" in msg and "131,072 characters" in msg
    assert main(["nps", str(f), "--score", "ltr"]) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err and "oneline.csv" in err


def _xlsx(path: Path, dimension: str | None = None, far_cell: str | None = None) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["customer_id", "churned"], ["C1", 1], ["C2", 0]):
        ws.append(row)
    if far_cell:
        ws[far_cell] = "x"
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if dimension and info.filename.startswith("xl/worksheets/sheet"):
                import re

                data = re.sub(rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{dimension}"/>'.encode(), data)
            zout.writestr(info, data)
    tmp.unlink()
    return path


def test_xlsx_whose_used_range_reaches_xfd1048576_reads_its_real_cells_quickly(tmp_path):
    f = _xlsx(tmp_path / "tiny.xlsx", dimension="A1:XFD1048576")
    assert f.stat().st_size < 10_000
    t0 = time.perf_counter()
    df = read_table(f, "churn_table")
    assert time.perf_counter() - t0 < 5 and len(df) == 2


def test_xlsx_with_a_cell_in_column_xfd_is_refused(tmp_path):
    f = _xlsx(tmp_path / "far.xlsx", far_cell="XFD2")
    assert "16,384 cells wide" in _quick(lambda: read_table(f, "churn_table"))


def test_absurd_simulation_sizes_are_refused_at_once(capsys):
    t0 = time.perf_counter()
    assert main(["simulate", "--customers", "10000000000", "--out", "/nonexistent"]) == 2
    assert time.perf_counter() - t0 < 5
    err = capsys.readouterr().err
    assert "10,000,000,000" in err and "--allow-large" in err
    assert main(["simulate", "--seed", "-1", "--out", "/nonexistent"]) == 2
    assert main(["simulate", "--start", "2024-13-01", "--out", "/nonexistent"]) == 2


# --------------------------------------------------------------------- 4. terminal safety
ESC_NAME = "A1\x1b]0;pwned\x07\x1b[31mRED\x1b[0m\x9b2J"


def test_escape_sequences_in_data_never_reach_the_terminal(tmp_path, capsys):
    f = tmp_path / "fb.csv"
    rows = [f"R{i},{ESC_NAME if i % 2 else 'B2'},{5 if i % 3 else 2}" for i in range(40)]
    f.write_text("response_id,agent_id,csat\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["agents", str(f)]) == 0
    out = capsys.readouterr().out
    assert "A1]0;pwned[31mRED[0m2J" in out  # the name, without its control characters
    assert not any(ch in out for ch in "\x1b\x07\x9b")


def test_escape_sequences_in_headers_and_error_messages_are_stripped(tmp_path, capsys):
    f = tmp_path / "bad.csv"
    f.write_text("customer_id,churned,\x1b[2Jnote\nC1,maybe,x\n", encoding="utf-8")
    assert main(["validate", "churn_table", str(f)]) == 2
    captured = capsys.readouterr()
    assert "maybe" in captured.err + captured.out
    assert "\x1b" not in captured.err + captured.out


def test_a_huge_label_is_cut_in_the_printed_table_and_kept_whole_in_json(tmp_path, capsys):
    f = tmp_path / "s.csv"
    huge = "Y" * 1_000_000  # a corrupt export: one segment label of a million characters
    rows = [f"{i % 11},{huge if i == 3 else 'P' + str(i % 2)}" for i in range(60)]
    f.write_text("ltr,plan\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["nps", str(f), "--score", "ltr", "--by", "plan"]) == 0
    out = capsys.readouterr().out
    assert len(out) < 3000 and "Y" * 57 + "..." in out
    assert "1 label longer than 60 characters is cut in this table; --json or --csv FILE give it whole" in out
    assert main(["nps", str(f), "--score", "ltr", "--by", "plan", "--json"]) == 0
    assert huge in capsys.readouterr().out


# --------------------------------------------------------------------- 19. a closed pipe
def test_output_into_a_closed_pipe_ends_quietly(tmp_path):
    f = tmp_path / "s.csv"
    f.write_text("ltr,plan\n" + "\n".join(f"{i % 11},P{i % 300}" for i in range(3000)) + "\n")
    cmd = f"{sys.executable} -m cxlib nps {f} --score ltr --by plan | head -n 1"
    res = subprocess.run(["bash", "-c", "set -o pipefail; " + cmd], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "internal error" not in res.stderr and "Traceback" not in res.stderr and "BrokenPipe" not in res.stderr


# --------------------------------------------------------------------- 22. widgets and timeouts
def test_widget_output_lands_in_the_report_and_the_client_sends_nothing(tmp_path):
    """`cx run` mimics no Output-widget front end (the cause of the nbclient hang), so what an
    interact draws is in the cell's own outputs."""
    _lesson(tmp_path, "import ipywidgets as w\n@w.interact(n=(1, 9))\ndef show(n=4):\n    print('n is', n)")
    res = run_lesson("98", out=tmp_path / "out", folder=tmp_path, timeout=60)
    assert "n is 4" in _outputs(res["notebook"])


def test_a_cell_that_runs_too_long_stops_with_a_clear_message(tmp_path, capsys):
    _lesson(tmp_path, "import time\ntime.sleep(30)")
    t0 = time.perf_counter()
    with pytest.raises(CxError, match="longer than 2 s"):
        run_lesson("98", out=tmp_path / "out", folder=tmp_path, timeout=2)
    assert time.perf_counter() - t0 < 25


def test_cx_run_allows_120_seconds_per_cell_by_default(capsys):
    from cxlib.cli import build_parser

    args = build_parser().parse_args(["run", "05"])
    assert args.timeout == 120
