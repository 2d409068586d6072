"""The read report of a big file, computed in SQL: the same checks and messages as the in-memory reader.

:func:`scan` validates a CSV or Parquet file (or a table) against a schema the way
:func:`cxlib.data.io.validate_file` does, without loading it: one aggregate query
counts, for every schema column, its blanks, blank markers, conversions and each kind
of problem; a second query per problem fetches its first rows and values (spreadsheet
row numbers, header = row 1); a ``GROUP BY`` finds repeated ids. The result is the
same :class:`~cxlib.data.io.ReadReport`.

Some decisions the in-memory reader makes for a whole column from all its values
(a decimal comma, the day/month order of ``03/04/2024``, Persian calendar dates,
score labels, currency signs, an encoding other than UTF-8, rows cut short). When a
file needs one of them, :attr:`Scan.fallback` says why, and the caller reads it with
:func:`cxlib.data.io.read_table` instead: nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cxlib.data._spec import get_spec
from cxlib.data.engine import _clean
from cxlib.data.engine._backend import Backend
from cxlib.data.engine._counts import Query, SourceLike
from cxlib.data.engine._pass import Distinct, run_pass
from cxlib.data.engine._rows import layout
from cxlib.data.engine._scan_plan import _dot_conditions, plan_pass
from cxlib.data.engine._sql import case_sum
from cxlib.data.io._checks import KIND, duplicate_fix
from cxlib.data.io._columns import header_row_hint, kept_as_file, relabel, resolve
from cxlib.data.io._csv import summary_problem
from cxlib.data.io._process import _INF_FIX
from cxlib.data.io._report import ReadReport, py_value
from cxlib.data.io._text import NONASCII_DIGIT_RE, TEXT_NA_SPELLINGS
from cxlib.errors import SHOW, CxError, Problem

_FORMATS = {"csv": "csv", "parquet": "parquet", "duckdb": "table", "spark": "table", "frame": "DataFrame"}


@dataclass
class Scan:
    """What :func:`scan` found.

    Attributes
    ----------
    report : ReadReport
        The read report (``report.problems`` lists every problem).
    mapping : dict
        Schema column -> the source's column.
    values : dict
        Schema column -> the SQL expression of its cleaned value (for the count queries).
    fallback : str or None
        Why the in-memory reader must read this source instead (None: the report is complete).
    query : Query
        The source on its backend (to run the count queries on).
    columns : list of str
        The columns of the table the in-memory reader would return (schema names, then
        the others).
    distinct : Distinct or None
        Each column's distinct values with their counts (and the kept combinations), which
        count tables over those columns are answered from; ``None`` before the scan ran.
    empty_records : int
        Rows the database reads whose every cell is blank: the report drops them, but a count
        table over the source still holds them (in its all-blank group).
    """

    report: ReadReport
    mapping: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    fallback: str | None = None
    query: Any = None
    columns: list = field(default_factory=list)
    distinct: Any = None
    empty_records: int = 0

    def counts_query(self, need: list) -> Any:
        """The query a count table over the columns ``need`` runs on: a kept combination if there is one."""
        import copy

        q = copy.copy(self.query)
        q.empty_records = self.empty_records  # dropped and counted once by the report, not counted again
        if self.distinct is None or not need:
            return q
        cols = tuple(dict.fromkeys(q.column(c, "needed") for c in need))
        for combo in self.distinct.sets:
            if combo in self.distinct.partial or combo == self.distinct.flag_set:
                continue
            if combo and set(combo) == set(cols) and len(combo) == len(cols):
                q.view, q.weight = self.distinct.relation(combo), "__n"
                return q
        return q


def _keep_sets(keep: list, mapping: dict, extras: list) -> list:
    """The file columns of each combination to keep (names as the analyst gives them; unknown ones dropped)."""
    import re

    key = lambda x: re.sub(r"[\s_]+", "", str(x)).lower()
    names = {**{k: v for k, v in mapping.items()}, **{e: e for e in extras}}
    out = []
    for combo in keep:
        cols = []
        for c in combo:
            hits = [f for nm, f in names.items() if nm == c] or [f for nm, f in names.items() if key(nm) == key(c)]
            if len(set(hits)) != 1:
                break
            cols.append(hits[0])
        else:
            out.append(tuple(dict.fromkeys(cols)))
    return out


def _extra_counts(q: Query, extra_spec: list, counts: dict, text_mode: bool) -> None:
    """Extra text columns that may hold numbers: is any value text? (one row is enough to know)."""
    d = q.d
    for c0, cl in extra_spec:
        if not text_mode and not counts.get(f"{c0}|x_cnum"):
            continue
        if counts.get(f"{c0}|x_bad") or len(q.run(f"SELECT 1 AS one FROM {q.view} WHERE {cl.bad} LIMIT 1")):
            counts[f"{c0}|x_bad"] = 1
            continue
        c = d.ident(c0)
        agg = {
            f"{c0}|x_other": case_sum(cl.other),
            f"{c0}|x_num": case_sum(f"{cl.value} IS NOT NULL AND {c} IS NOT NULL"),
            f"{c0}|x_markers": case_sum(_clean.marker(d, c, cl.blank)),
            f"{c0}|x_digits": case_sum(f"NOT {d.is_ascii(c)} AND {d.contains(c, NONASCII_DIGIT_RE)}"),
        }
        dot, amb = _dot_conditions(d, cl.text)
        agg[f"{c0}|x_dot"], agg[f"{c0}|x_amb"] = case_sum(dot), case_sum(amb)
        got = q.run(f"SELECT {', '.join(f'{e} AS {d.ident(k)}' for k, e in agg.items())} FROM {q.view}").iloc[0]
        counts.update({k: int(0 if pd.isna(v) else v) for k, v in got.items()})


def scan(
    source: SourceLike,
    kind: str,
    columns: dict | None = None,
    *,
    require: list | None = None,
    only: list | None = None,
    decimal: str | None = None,
    dayfirst: bool | None = None,
    engine: Backend | str | None = None,
    keep: list | None = None,
) -> Scan:
    """Validate a source against a schema in SQL; return its :class:`Scan`.

    Parameters
    ----------
    source : Source, path or DataFrame
        A CSV or Parquet file, a DuckDB or Spark table (:func:`open_source`), or a DataFrame.
    kind, columns, require, only, decimal, dayfirst
        As in :func:`cxlib.data.io.read_table`.
    engine : {"duckdb", "spark"} or Backend, optional
        Where to run.
    keep : list of tuples of str, optional
        Combinations of columns (e.g. ``[("plan", "ltr")]``) whose distinct rows and counts
        the scan keeps, so that the count tables over them need no second pass.

    Returns
    -------
    Scan
        ``scan.report`` is the read report; when ``scan.fallback`` is set, the source
        holds values the in-memory reader must decide, and the report is incomplete.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> _ = f.write_text("response_id,survey_date,ltr\\nR1,2024-01-05,9\\nR2,2024-01-06,11\\nR2,2024-01-07,\\n")
    >>> s = scan(f, "nps_surveys")
    >>> print(s.report.summary())  # doctest: +ELLIPSIS
    s.csv read as 'nps_surveys'
      file: CSV, encoding UTF-8, delimiter ','
      rows: 3 read, 3 kept
      ...
      result: NOT valid, 2 problems:
      1. column 'response_id': duplicate id in 2 rows (rows 3, 4); values: 'R2', 'R2'.
    ...
      2. column 'ltr': out of range in 1 row (row 3); values: 11.
    ...
    """
    schema = get_spec(kind)
    out, q, problems = _open(source, kind, columns, require, only, decimal, engine)
    if q is None:
        return out
    src, rep, types, mapping, d = q.src, out.report, q.types, out.mapping, q.d
    text_mode = src.kind == "csv" and src.sep != ","
    all_cols = list(src.columns)
    # column-level counts are taken on each column's distinct values, row-level ones as bits of flag
    # columns, the kept count tables' combinations as they are: all in one pass (GROUPING SETS)
    keep_sets = _keep_sets(keep or [], mapping, list(rep.extra_columns))
    plan = plan_pass(d, schema, kind, mapping, types, src.kind == "csv", keep_sets, list(rep.extra_columns), all_cols)
    spec, extra_spec, empty, checks = plan.spec, plan.extra_spec, plan.empty, plan.checks
    out.values = {name: cl.value for name, _f, _t, _m, cl in spec}
    try:
        dist, counts = run_pass(q, plan, text_mode)
    except Exception as exc:
        if isinstance(exc, CxError):
            raise
        out.fallback = f"a file the database could not read as it is ({str(exc).splitlines()[0][:160]})"
        return out
    out.distinct = dist
    n = lambda key: counts.get(key, 0)
    ne = f"NOT ({empty})" if n("__empty") else "TRUE"
    for i, (_, _, k, _, _) in enumerate(checks):
        if k == KIND["not_nullable"] and f"__check{i}" in counts:
            counts[f"__check{i}"] -= n("__empty")
    counts.update(_decimal_counts(q, dist, spec, types, text_mode, n))
    _extra_counts(q, extra_spec, counts, text_mode)
    out.fallback = _fallback_reason(q, spec, extra_spec, n, text_mode)
    if out.fallback is not None:
        return out
    q.aliases = {nm: fc for nm, fc in mapping.items()}
    q.overrides = {fcol: cl for _nm, fcol, _t, _m, cl in spec}
    for c0, cl in extra_spec:  # pandas reads these as numbers
        if not text_mode and not n(f"{c0}|x_cnum"):
            q.overrides[c0] = _clean.Cleaned(cl.value, cl.blank, cl.value, "FALSE", "FALSE")
    out.columns = [nm for nm in schema.columns if nm in mapping] + _kept_extras(q, rep, mapping)
    _count_rows(q, src, rep, n, empty)
    out.empty_records = n("__empty")
    _report_columns(q, rep, spec, types, n, set(counts), dist, text_mode)
    _extras(q, rep, kind, extra_spec, n, text_mode)
    # problems: the mapping's, then each column's in schema order
    found: list[Problem] = list(problems)
    if src.kind == "parquet" and src.path is not None and rep.rows_read:  # its last rows
        import duckdb

        from cxlib.data.io._parquet import parquet_summaries

        own = getattr(q.be, "con", None)  # the engine's DuckDB; on Spark, a DuckDB of its own reads the file
        if own is not None:
            src.summary = parquet_summaries(own, src.path, rep.rows_read)
        else:
            with duckdb.connect() as con:
                src.summary = parquet_summaries(con, src.path, rep.rows_read)
    if src.kind in ("csv", "parquet") and rep.rows_read:  # a total below the data, numbered as the rows are
        found += summary_problem(src.summary, src.first_row() + rep.rows_read - 1)
    found += _check_problems(q, rep, spec, checks, out.values, dist, n, ne, text_mode)
    found += _wide(q, kind, out.values, f"({empty})" if n("__empty") else "FALSE")
    if kind == "churn_table":
        found += _infinite_features(q, rep, types, f"({empty})", text_mode)
    if rep.rows == 0:
        found.append(
            Problem(
                "no data rows (header only)" if not rep.rows_read else "no data rows (every row is empty)",
                fix="The file has a header but no data: export the table again including its rows.",
            )
        )
    order = {nm: i for i, nm in enumerate(list(schema.columns) + out.columns)}
    found.sort(key=lambda p: -1 if p.column is None else order.get(p.column.split(" + ")[0], -1))
    rep.problems = [relabel(p, mapping) for p in found]
    rep.note_unused(decimal, dayfirst)
    return out


def _open(
    source: SourceLike,
    kind: str,
    columns: dict | None,
    require: list | None,
    only: list | None,
    decimal: str | None,
    engine: Backend | str | None,
) -> tuple[Scan, Query | None, list[Problem]]:
    """The scan's start: open the source on its backend and map the schema's columns onto it.

    Returns the scan, its query and the mapping's problems; no query when the scan is
    already complete (the engine cannot read the source, or its header is unusable).
    """
    q = Query.__new__(Query)
    from cxlib.data.engine._counts import as_source

    src = as_source(source)
    rep = ReadReport(source=src.name, kind=kind, format=_FORMATS.get(src.kind, src.kind))
    out = Scan(rep)
    if src.kind == "csv":
        rep.encoding, rep.delimiter, rep.rows_skipped = src.encoding, src.sep, src.skipped
    if src.unsupported:
        out.fallback = src.unsupported
        return out, None, []
    if decimal == ",":
        out.fallback = "the decimal comma (--decimal ,)"
        return out, None, []
    if src.problems:  # duplicate headers: nothing else is read
        mapping, problems = resolve(list(src.columns), kind, columns, require, rep, only)
        out.mapping = mapping
        rep.problems = [relabel(p, mapping) for p in list(src.problems) + problems]
        return out, None, []
    try:
        q.__init__(src, engine)  # type: ignore[misc]
        types = q.types
    except CxError:
        raise
    except Exception as exc:  # the backend could not read it (a row cut short, a stray byte, ...)
        out.fallback = f"a file the database could not read as it is ({str(exc).splitlines()[0][:160]})"
        return out, None, []
    if not src.columns:
        src.columns = list(types)
    mapping, problems = resolve(list(src.columns), kind, columns, require, rep, only)
    if src.head:
        hinted = header_row_hint(problems, src.head[0], src.lead + 1, columns, src.head[1:])
        if hinted is not problems:  # the header is further down: the lines below this one are no data
            problems, src.summary = hinted, []
    out.mapping = mapping
    out.query = q
    return out, q, problems


def _decimal_counts(q: Query, dist: Distinct, spec: list, types: dict, text_mode: bool, n: Any) -> dict[str, int]:
    """The decimal mark, for the number columns pandas would read as text (on their distinct values)."""
    d = q.d
    dots = []
    for name, fcol, ctype, _meta, cl in spec:
        if ctype in ("int", "float", "score") and types[fcol] == "text" and (text_mode or n(f"{name}|cnum")):
            dot, amb = _dot_conditions(d, cl.text)
            w = f"__set = {dist.sets[(fcol,)]}"
            dots += [
                f"SUM(CASE WHEN {w} AND {dot} THEN __n ELSE 0 END) AS {d.ident(name + '|dot')}",
                f"SUM(CASE WHEN {w} AND {amb} THEN __n ELSE 0 END) AS {d.ident(name + '|amb')}",
            ]
    if not dots:
        return {}
    more = q.run(f"SELECT {', '.join(dots)} FROM {dist.table}").iloc[0]
    return {k: int(0 if pd.isna(v) else v) for k, v in more.items()}


def _kept_extras(q: Query, rep: ReadReport, mapping: dict) -> list[str]:
    """The file's other columns as the in-memory reader names them: one named like a schema column that
    was mapped onto another file column is kept as '<name> (file)' (and said in a note)."""
    out = []
    for c in rep.extra_columns:
        if c in mapping:
            q.aliases[kept_as_file(c, mapping[c], rep)] = c
            c = f"{c} (file)"
        out.append(c)
    return out


def _fallback_reason(q: Query, spec: list, extra_spec: list, n: Any, text_mode: bool) -> str | None:
    """Why the in-memory reader must read the source: values only it decides (None: the engine can)."""
    for name, fcol, ctype, _meta, cl in spec:
        if n(f"{name}|other"):  # one value shown: a label such as '10 - Extremely likely', or a mistake
            # the first in the file: DuckDB keeps a file's order (no sort, and it stops at the first)
            got = q.run(f"SELECT {q.d.ident(fcol)} AS v FROM {q.view} WHERE {cl.other} LIMIT 1")["v"]
            such = f" such as {str(got.iloc[0])[:40]!r}" if len(got) else ""
            return (
                f"values in '{fcol}'{such} that the in-memory reader decides (a label, another date or number "
                "form, or a mistake it reports)"
            )
        if text_mode and ctype in ("int", "float", "score") and n(f"{name}|amb") and not n(f"{name}|dot"):
            return f"numbers such as 1.234 in '{fcol}' (a decimal point or a thousands separator)"
    for c0, _ in extra_spec:
        if n(f"{c0}|x_other") or (n(f"{c0}|x_amb") and not n(f"{c0}|x_dot")):
            return f"values in '{c0}' written in a form the in-memory reader decides"
    return None


def _count_rows(q: Query, src: Any, rep: ReadReport, n: Any, empty: str) -> None:
    """Rows read, empty rows dropped (with their first spreadsheet rows) and rows kept, into ``rep``."""
    rows = n("__rows")
    lay = layout(src, rows)
    blank_records = len(lay.blank)
    rep.rows_read = lay.records if src.kind == "csv" else rows
    n_empty = n("__empty") + blank_records
    rep.empty_rows_dropped = n_empty
    if n_empty:
        first = []
        if n("__empty"):
            got_e = q.examples(f"({empty})", "NULL")[0]
            first += list(got_e)
        first += list(lay.blank[:SHOW] + src.first_row())
        rep.empty_rows = tuple(sorted(int(r) for r in first)[:SHOW])
    rep.rows = rep.rows_read - n_empty


def _report_columns(
    q: Query, rep: ReadReport, spec: list, types: dict, n: Any, counted: set, dist: Distinct, text_mode: bool
) -> None:
    """Conversions, blank markers, decimal marks and blanks of each column, as the in-memory reader counts them."""
    for name, fcol, ctype, _meta, cl in spec:
        if types[fcol] != "text":
            continue
        if ctype in ("id", "category"):
            rep._convert(name, "values with spaces trimmed", n(f"{name}|spaces"))
        if ctype == "id" or ctype in ("int", "float", "score", "flag", "date", "datetime"):
            rep._convert(name, "values with Persian/Arabic digits converted", n(f"{name}|digits"))
        if ctype in ("id", "category", "date", "datetime"):
            rep._convert(name, "values with Arabic ي/ك unified to Persian ی/ک", n(f"{name}|letters"))
        if n(f"{name}|markers"):
            rep.blank_kinds[name] = _markers(q, fcol, cl, dist.relation((fcol,)))
        if ctype in ("int", "float", "score") and (text_mode or n(f"{name}|cnum")) and n(f"{name}|dot"):
            rep.decimal_marks[name] = "'.' (from its values)"
        if ctype == "category" and f"{name}|lowered" in counted:
            rep._convert(name, "values lower-cased to match the allowed values", n(f"{name}|lowered"))
        if ctype == "flag":
            _flag_labels(q, rep, name, fcol, cl, dist.relation((fcol,)))
    for name, _fcol, _ctype, _meta, _cl in spec:
        nb = n(f"{name}|null") - n("__empty")
        if nb > 0:
            rep.blanks[name] = nb


def _check_problems(
    q: Query,
    rep: ReadReport,
    spec: list,
    checks: list,
    values: dict,
    dist: Distinct,
    n: Any,
    ne: str,
    text_mode: bool,
) -> list[Problem]:
    """The problem of each check that failed on a non-empty row, with its first rows and values."""
    d = q.d
    ctypes = {fcol: ctype for _name, fcol, ctype, _m, _c in spec}
    types = q.types
    found: list[Problem] = []
    numeric_raw = {
        fcol: q.src.kind == "csv"
        and not text_mode
        and ctype in ("int", "float", "score", "flag")
        and not n(f"{name}|cnum")
        for name, fcol, ctype, _m, _c in spec
    }
    for i, (name, fcol, k, fx, cond) in enumerate(checks):
        if k == "__unique":
            text_col = types.get(fcol) == "text"
            spaces = text_col and n(f"{name}|spaces") > 0
            if (fcol,) in dist.partial:  # only the ids written more than once were kept
                p = _duplicates(
                    q,
                    name,
                    fcol,
                    values[name],
                    dist.relation((fcol,)),
                    ne,
                    spaces,
                    n(f"{fcol}|__nonascii"),
                    checked=tuple(values.values()),
                )
            else:
                p = _duplicates(
                    q, name, fcol, values[name], dist.relation((fcol,)), ne, spaces, checked=tuple(values.values())
                )
            if p:
                found.append(p)
            continue
        cnt = n(f"__check{i}")
        if not cnt:
            continue
        if "{mark}" in fx:
            mark = rep.decimal_marks.get(name, "")
            fx = fx.replace("{mark}", f", with the decimal mark {mark.split(' ', 1)[0]}" if mark else "")
        rows_, vals = q.examples(f"{ne} AND {cond}", d.ident(fcol))
        vals = tuple(_shown(v, numeric_raw.get(fcol, False)) for v in vals)
        if k == KIND["not_nullable"]:  # a CSV's empty cell or blank marker ('N/A', '-') is read as a blank, and
            # so is a typed file's empty cell; other blanks (spaces, a typed file's text 'N/A') are shown as written
            read_na = {""} | (set(TEXT_NA_SPELLINGS) if ctypes.get(fcol) in ("id", "category") else set())
            csv = q.src.kind == "csv"
            vals = tuple(None if not isinstance(v, str) or (csv and v in read_na) else v for v in vals)
        found.append(Problem(k, column=name, rows=rows_, values=vals, count=cnt, fix=fx))
    return found


def _shown(v: Any, numeric: bool) -> Any:
    """A value as the in-memory reader shows it: a number when pandas read the column as numbers."""
    if numeric and isinstance(v, str):
        try:
            f = float(v)
        except ValueError:
            return v
        return py_value(f)
    return py_value(v)


def _markers(q: Query, fcol: str, cl: _clean.Cleaned, rel: str | None = None) -> dict[str, int]:
    """How many cells hold each blank marker, by its spelling (as written, trimmed).

    ``rel`` is the column's distinct values with their counts (``__n``), else the rows are read.
    """
    d = q.d
    c = d.ident(fcol)
    label = _clean.marker_label(d, c)
    n = "SUM(__n)" if rel else "COUNT(*)"
    got = q.run(
        f"SELECT {label} AS k, {n} AS n FROM {rel or q.view} WHERE {_clean.marker(d, c, cl.blank)} GROUP BY {label}"
    )
    pairs = sorted(((str(k), int(v)) for k, v in zip(got["k"], got["n"])), key=lambda kv: (-kv[1], kv[0]))
    return dict(pairs)


def _flag_labels(q: Query, rep: ReadReport, name: str, fcol: str, cl: _clean.Cleaned, rel: str) -> None:
    d = q.d
    low = f"lower({cl.text})"
    conv = (
        f"({cl.text} IS NOT NULL AND {cl.value} IS NOT NULL AND {low} NOT IN ('0', '1', '0.0', '1.0') "
        f"AND NOT {d.full_match(cl.text, _clean.NUMBER_RE)})"
    )
    got = q.run(
        f"SELECT {cl.text} AS k, MIN({cl.value}) AS v, SUM(__n) AS n FROM {rel} WHERE {conv} GROUP BY {cl.text}"
    )
    if len(got):
        rep.labels[name] = {str(k): int(v) for k, v in zip(got["k"], got["v"])}
        rep._convert(name, "yes/no or true/false values converted to 1/0", int(got["n"].sum()))


def _duplicates(
    q: Query,
    name: str,
    fcol: str,
    value: str,
    rel: str,
    ne: str,
    spaces: bool = True,
    nonascii: int | None = None,
    checked: tuple = (),
) -> Problem | None:
    """Every row whose id appears more than once (pandera's uniqueness check), from the distinct ids.

    When every id is written once, in ASCII and without outer spaces (``spaces`` False), the
    cleaning changes no id (or blanks it), so two ids cannot meet: no cleaning is computed.
    ``nonascii`` is given when ``rel`` holds only the ids written more than once (with the
    number of ids that are not ASCII): then the ids are read again from the rows when the
    cleaning could make two different ids equal (outer spaces, non-ASCII ids). ``checked`` holds
    the cleaned values of every schema column, on which the repeats that copy an earlier row
    are counted.
    """
    d = q.d
    partial = nonascii is not None
    if not spaces:
        c = d.ident(fcol)
        if partial:
            once = q.run(f"SELECT MAX(__n) AS m, 0 AS na FROM {rel}").iloc[0]
            once["na"] = nonascii
        else:
            once = q.run(
                f"SELECT MAX(__n) AS m, SUM(CASE WHEN NOT {d.is_ascii(d.text(c))} THEN 1 ELSE 0 END) AS na FROM {rel}"
            ).iloc[0]
        if (pd.isna(once["m"]) or int(once["m"]) <= 1) and (pd.isna(once["na"]) or int(once["na"]) == 0):
            return None
    # each id is cleaned once, in a subquery (the cleaning of a Persian id is dear: a chain of translations)
    if partial and (spaces or nonascii):  # the cleaning may make two ids equal: all ids are needed
        per = (
            f"SELECT k, COUNT(*) AS n FROM (SELECT {value} AS k FROM {q.view}) AS ids WHERE k IS NOT NULL "
            "GROUP BY k HAVING COUNT(*) > 1"
        )
    else:
        per = (
            f"SELECT k, SUM(__n) AS n FROM (SELECT {value} AS k, __n FROM {rel}) AS ids WHERE k IS NOT NULL "
            "GROUP BY k HAVING SUM(__n) > 1"
        )
    got = q.run(f"SELECT SUM(n) AS n FROM ({per}) AS dups")
    first = got["n"].iloc[0]
    cnt = 0 if pd.isna(first) else int(first)
    if not cnt:
        return None
    repeated = f"{value} IN (SELECT k FROM ({per}) AS dups) AND {ne}"
    rows, vals = q.examples(repeated, d.ident(fcol))
    # a copy has the same cleaned value in every checked column (GROUP BY: blanks are equal), as in memory
    every = ", ".join(f"{v} AS {d.ident(f'__c{i}')}" for i, v in enumerate(checked))
    keys = ", ".join(d.ident(f"__c{i}") for i in range(len(checked)))
    got = q.run(
        f"SELECT COUNT(DISTINCT k) AS ids, (SELECT SUM(n - 1) FROM (SELECT COUNT(*) AS n FROM (SELECT {every} "
        f"FROM {q.view} WHERE {repeated}) AS r GROUP BY {keys}) AS g) AS copies FROM ({per}) AS dups"
    ).iloc[0]
    return Problem(
        KIND["field_uniqueness"],
        column=name,
        rows=rows,
        values=tuple(py_value(v) for v in vals),
        count=cnt,
        fix=duplicate_fix(name, cnt, int(got["ids"]), int(got["copies"])),
    )


def _wide(q: Query, kind: str, values: dict, empty: str) -> list[Problem]:
    """The schema's checks across columns: a repeated combination, resolved > complaints."""
    schema = get_spec(kind)
    d = q.d
    found = []
    ucols = list(schema.unique or [])
    if ucols and all(c in values for c in ucols):
        keys = ", ".join(values[c] for c in ucols)
        notnull = " AND ".join(f"{values[c]} IS NOT NULL" for c in ucols)
        tup = " AND ".join(f"{values[c]} IS NOT DISTINCT FROM dup.k{i}" for i, c in enumerate(ucols))
        dup_sel = ", ".join(f"{values[c]} AS k{i}" for i, c in enumerate(ucols))
        dup = f"(SELECT {dup_sel} FROM {q.view} WHERE {notnull} GROUP BY {keys} HAVING COUNT(*) > 1) AS dup"
        cond = f"NOT {empty} AND EXISTS (SELECT 1 FROM {dup} WHERE {tup})"
        cnt = int(q.run(f"SELECT COUNT(*) AS n FROM {q.view} WHERE {cond}")["n"].iloc[0])
        if cnt:
            shown = " || ' ' || ".join(f"coalesce({d.text(_date_text(d, values[c]))}, 'None')" for c in ucols)
            rows, vals = q.examples(cond, shown)
            found.append(
                Problem(
                    "duplicate rows for the same " + " and ".join(ucols),
                    column=" + ".join(ucols),
                    rows=rows,
                    values=tuple(str(v) for v in vals),
                    count=cnt,
                    fix=f"Each combination of {' and '.join(ucols)} must appear once: remove the "
                    "repeated rows or aggregate them first.",
                )
            )
    if kind == "activity" and "complaints" in values and "complaints_resolved" in values:
        r, c = values["complaints_resolved"], values["complaints"]
        cond = f"NOT {empty} AND {r} > {c}"
        cnt = int(q.run(f"SELECT COUNT(*) AS n FROM {q.view} WHERE {cond}")["n"].iloc[0])
        if cnt:
            rows, _ = q.examples(cond, "NULL")
            got = q.run(
                f"SELECT r, c FROM (SELECT __ord, {r} AS r, {c} AS c FROM {q.be.ordered_view(q.src)} WHERE {cond}"
                f" ORDER BY __ord LIMIT {SHOW})"
            )
            vals = tuple(f"{py_value(a)} resolved of {py_value(b)}" for a, b in zip(got["r"], got["c"]))
            found.append(
                Problem(
                    "complaints_resolved greater than complaints",
                    column="complaints_resolved",
                    rows=rows,
                    values=vals,
                    count=cnt,
                    fix="A month cannot resolve more complaints than were made: check that the two columns are not swapped.",
                )
            )
    return found


def _infinite_features(q: Query, rep: ReadReport, types: dict, empty: str, text_mode: bool) -> list[Problem]:
    """A churn table's features holding infinity (no model can use them)."""
    d = q.d
    found = []
    for c0 in rep.extra_columns:
        t = types.get(c0)
        if t == "text":
            v = _clean.number(d, d.ident(c0), "text")
            if v.bad != "FALSE" and int(q.run(f"SELECT {case_sum(v.bad)} AS n FROM {q.view}")["n"].fillna(0).iloc[0]):
                continue  # a text feature: kept as text
            value = v.value
        elif t in ("float", "int"):
            value = f"CAST({d.ident(c0)} AS DOUBLE)"
        else:
            continue
        cond = f"NOT {empty} AND abs({value}) = CAST('inf' AS DOUBLE)"
        cnt = int(q.run(f"SELECT {case_sum(cond)} AS n FROM {q.view}")["n"].fillna(0).iloc[0])
        if cnt:
            rows, vals = q.examples(cond, d.ident(c0))
            numeric = t != "text" or (not text_mode and False)
            found.append(
                Problem(
                    "infinite value",
                    column=c0,
                    rows=rows,
                    values=tuple(_shown(x, numeric) for x in vals),
                    count=cnt,
                    fix=_INF_FIX.format(col=c0),
                )
            )
    return found


def _date_text(d: Any, expr: str) -> str:
    """A value as text, a midnight timestamp as its date (as the in-memory report shows it)."""
    return (
        f"(CASE WHEN TRY_CAST({expr} AS TIMESTAMP) IS NOT NULL AND CAST(TRY_CAST({expr} AS TIMESTAMP) AS DATE) = "
        f"TRY_CAST({expr} AS TIMESTAMP) THEN {d.text(f'CAST(TRY_CAST({expr} AS TIMESTAMP) AS DATE)')} "
        f"ELSE {d.text(expr)} END)"
    )


def _extras(q: Query, rep: ReadReport, kind: str, extra_spec: list, n: Any, text_mode: bool) -> None:
    """Columns the schema does not know: numbers written as text are counted as converted."""
    text_features = []
    for c0, cl in extra_spec:
        if not text_mode and not n(f"{c0}|x_cnum"):
            continue  # pandas reads it as numbers: nothing converted
        if n(f"{c0}|x_bad"):
            text_features.append(c0)
            continue
        rep._convert(c0, "values with Persian/Arabic digits converted", n(f"{c0}|x_digits"))
        if n(f"{c0}|x_dot"):
            rep.decimal_marks[c0] = "'.' (from its values)"
        if n(f"{c0}|x_markers"):
            rep.blank_kinds[c0] = _markers(q, c0, cl)
        rep._convert(
            c0,
            ("feature " if kind == "churn_table" else "") + "values converted from text to numbers",
            n(f"{c0}|x_num"),
        )
    if text_features and kind == "churn_table":
        rep.notes.append("text features (encode them before modelling): " + ", ".join(map(repr, text_features)))


def frame_of(s: Scan) -> pd.DataFrame:  # pragma: no cover - helper for debugging
    """The report as a DataFrame of problems."""
    return pd.DataFrame([p.to_dict() for p in s.report.problems])
