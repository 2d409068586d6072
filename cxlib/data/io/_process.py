"""Clean, type and validate a raw frame (index = spreadsheet row numbers) against a schema."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from cxlib.data._spec import get_spec
from cxlib.data.io._checks import FIX, TEXT_TYPES, fast_schema, number_fix, translate_failures
from cxlib.data.io._columns import kept_as_file, relabel
from cxlib.data.io._csv import ReadOptions
from cxlib.data.io._dates import date_problem_fix, parse_date
from cxlib.data.io._numbers import NumberContext, Parsed, mark_of, parse_flag, parse_number
from cxlib.data.io._report import ReadReport, py_value
from cxlib.data.io._text import TEXT_NA_SPELLINGS, Uniq, clean_strings
from cxlib.errors import SHOW, Problem

_INF_FIX = "'{col}' holds infinity ('inf'), which no analysis can use: replace it by a number or leave the cell blank."


@dataclass
class _State:
    """What the column passes collect."""

    out: pd.DataFrame
    skip: dict = field(default_factory=dict)
    failed: list = field(default_factory=list)  # (column, Problem template, mask)
    problems: list = field(default_factory=list)  # column-level problems, final
    nblank: dict = field(default_factory=dict)

    def fail(self, column: str, kind: str, fix: str, mask: pd.Series) -> None:
        if mask.any():
            self.failed.append((column, Problem(kind, column=column, fix=fix), mask))
            self.skip[column] = self.skip.get(column, False) | mask


def _file_marks(raw: pd.DataFrame, columns: list[str], opts: ReadOptions) -> Callable[[str], str | None]:
    """The decimal mark the file's *other* number columns show, computed only when asked."""
    cache: dict[str, str | None] = {}

    def mark(exclude: str) -> str | None:
        marks = set()
        for c in columns:
            if c == exclude:
                continue
            if c not in cache:
                s = raw[c]
                cache[c] = None
                if s.dtype == object and s.notna().any():
                    U = Uniq(s)
                    cache[c] = mark_of(clean_strings(U, c, ReadReport("", ""), digits=True))
            if cache[c]:
                marks.add(cache[c])
        return marks.pop() if len(marks) == 1 else None

    return mark


def _text_column(s: pd.Series, name: str, ctype: str, meta: dict, rep: ReadReport) -> tuple[pd.Series, int]:
    U = Uniq(s, distinct=ctype != "id")
    t = clean_strings(U, name, rep, count_spaces=True, digits=ctype == "id", letters=True)
    if rep.format != "csv":  # the CSV parser already read these blank markers as missing
        t = t.mask(t.isin(TEXT_NA_SPELLINGS))
    if meta.get("allowed"):
        low = t.str.lower()
        rep._convert(name, "values lower-cased to match the allowed values", U.count(low.ne(t) & t.notna()))
        t = low
    return U.expand(t.to_numpy(dtype=object), np.nan), U.n_blank + U.count(t.isna().to_numpy())


def _number_column(
    st: _State, s: pd.Series, name: str, ctype: str, meta: dict, rep: ReadReport, ctx: NumberContext
) -> pd.Series:
    p: Parsed = parse_number(s, name, rep, ctx, labels=ctype == "score")
    unit = meta["unit"]
    mark = rep.decimal_marks.get(name, "")
    st.fail(name, "text in a number column", number_fix(name, unit, ctype, mark), p.bad)
    st.fail(name, "infinite value", _INF_FIX.format(col=name), p.infinite)
    st.problems += p.problems
    if p.skip.any():
        st.skip[name] = st.skip.get(name, False) | p.skip
    return p.values.where(~p.infinite)


def _date_column(st: _State, s: pd.Series, name: str, rep: ReadReport, opts: ReadOptions) -> pd.Series:
    p = parse_date(s, name, rep, opts.dayfirst)
    st.fail(name, "date in the future", FIX["not_in_future"], p.far)
    st.fail(name, "date not understood", date_problem_fix(name), p.bad)
    st.problems += p.problems
    if p.skip.any():
        st.skip[name] = st.skip.get(name, False) | p.skip
    return p.values


def _marks_of(marks: Callable[[str], str | None], column: str) -> Callable[[str], str | None]:
    """The file's decimal mark leaving out ``column`` (the argument the number reader passes is ignored)."""

    def file_mark(_ignored: str) -> str | None:
        return marks(column)

    return file_mark


def _schema_columns(
    st: _State,
    raw: pd.DataFrame,
    mapping: dict,
    kind: str,
    rep: ReadReport,
    opts: ReadOptions,
    marks: Callable[[str], str | None],
) -> None:
    for name, col in get_spec(kind).columns.items():
        if name not in mapping:
            continue
        s, ctype, meta = raw[mapping[name]], col.metadata["cx_type"], col.metadata
        n_blank = None
        if ctype == "text":  # free text is kept as written (only made object dtype)
            v = s.astype(object)
        elif ctype in TEXT_TYPES:
            v, n_blank = _text_column(s, name, ctype, meta, rep)
        elif ctype in ("int", "float", "score"):
            ctx = NumberContext(opts.decimal, rep.delimiter, _marks_of(marks, mapping[name]))
            v = _number_column(st, s, name, ctype, meta, rep, ctx)
        elif ctype == "flag":
            v, bad = parse_flag(s, name, rep, meta.get("words"))
            fix = FIX["flag_0_1"].format(col=name)
            if meta.get("words"):
                fix += (
                    " These values are not understood: write them as 1/0, yes/no, true/false or "
                    + "/".join(
                        sorted(k for k, v in meta["words"].items() if v == 1)[:1]
                        + sorted(k for k, v in meta["words"].items() if v == 0)[:1]
                    )
                    + "."
                )
            st.fail(name, "not a 0/1 flag", fix, bad)
        else:
            v = _date_column(st, s, name, rep, opts)
        st.out[name] = v
        n_blank = int(v.isna().sum()) if n_blank is None else n_blank
        if name in st.skip:
            n_blank -= int(pd.Series(st.skip[name]).reindex(v.index, fill_value=False).sum())
        st.nblank[name] = n_blank


def _extra_number(
    st: _State, s: pd.Series, c: str, kind: str, rep: ReadReport, ctx: NumberContext
) -> tuple[pd.Series, str | None]:
    """An extra text column: numbers when every value is one; else kept (and why)."""
    sub = ReadReport(source=rep.source, kind=kind)
    p = parse_number(s, c, sub, ctx)
    nonblank = int(s.notna().sum()) - int(sum(sub.blank_kinds.get(c, {}).values()))
    numeric = int((p.values.notna() | p.skip).sum())
    if not p.bad.any() and not p.problems:
        rep.conversions += sub.conversions
        rep.decimal_marks.update(sub.decimal_marks)
        rep.blank_kinds.update(sub.blank_kinds)
        rep._convert(
            c,
            ("feature " if kind == "churn_table" else "") + "values converted from text to numbers",
            int((p.values.notna() & s.notna()).sum()),
        )
        if kind != "churn_table":
            return p.values, None
        st.fail(c, "infinite value", _INF_FIX.format(col=c), p.infinite)
        return p.values.where(~p.infinite), None
    if p.problems and numeric >= 0.5 * max(nonblank, 1):
        if kind == "churn_table":
            st.problems += p.problems
            return s, None
        return s, (f"column '{c}' looks like numbers but was kept as text: " + p.problems[0].fix.split(". ", 1)[-1])
    return s, "text"


def _extras(
    st: _State,
    raw: pd.DataFrame,
    mapping: dict,
    kind: str,
    rep: ReadReport,
    opts: ReadOptions,
    marks: Callable[[str], str | None],
) -> None:
    text_features: list[str] = []
    for c in rep.extra_columns:
        s = raw[c]
        if s.dtype == object and s.notna().any():
            ctx = NumberContext(opts.decimal, rep.delimiter, _marks_of(marks, c))
            s, why = _extra_number(st, s, c, kind, rep, ctx)
            if why == "text" and kind == "churn_table":
                text_features.append(c)
            elif why and why != "text":
                rep.notes.append(why)
        elif kind == "churn_table" and ptypes.is_float_dtype(s.dtype):
            inf = pd.Series(np.isinf(s.to_numpy()), index=s.index)
            st.fail(c, "infinite value", _INF_FIX.format(col=c), inf)
            s = s.where(~inf)
        # a file column named like a schema column that was mapped elsewhere keeps its name with "(file)"
        st.out[kept_as_file(c, str(mapping.get(c)), rep) if c in st.out.columns else c] = s
    if text_features:
        rep.notes.append("text features (encode them before modelling): " + ", ".join(map(repr, text_features)))


def _all_blank(frame: pd.DataFrame) -> pd.Series:
    """Rows whose every cell is NaN: cheap typed columns first, text only on candidates."""
    cand = np.ones(len(frame), dtype=bool)
    for c in sorted(range(frame.shape[1]), key=lambda i: pd.api.types.is_object_dtype(frame.dtypes.iloc[i])):
        idx = np.flatnonzero(cand)
        if not len(idx):
            break
        cand[idx] = pd.isna(frame.iloc[:, c].to_numpy()[idx])
    return pd.Series(cand, index=frame.index)


def _drop_empty(st: _State, raw: pd.DataFrame, rep: ReadReport) -> None:
    """Empty rows (every cell blank; cells holding only spaces count as blank): dropped, counted."""
    if not len(st.out):
        return
    empty = _all_blank(st.out)
    if empty.any():  # confirm on the file's own cells: a value that failed to parse is not blank
        cand = raw.loc[empty.to_numpy()]
        ws = cand.apply(lambda col: col.map(lambda x: isinstance(x, str) and not x.strip()))
        empty.loc[cand.index] = (cand.isna() | ws).all(axis=1).to_numpy()
    rep.empty_rows_dropped = int(empty.sum())
    rep.empty_rows = tuple(int(i) for i in st.out.index[empty][:SHOW])
    if empty.any():
        st.out = st.out[~empty]
        st.skip = {k: pd.Series(m).reindex(empty.index, fill_value=False)[~empty] for k, m in st.skip.items()}


def _whole_numbers(out: pd.DataFrame, kind: str) -> None:
    """Whole-number columns -> int64 when complete."""
    for name, col in get_spec(kind).columns.items():
        if name in out.columns and col.metadata["cx_type"] in ("int", "score", "flag"):
            v = out[name]
            if v.dtype == "float64" and v.notna().all() and ((v % 1) == 0).all():
                out[name] = v.astype("int64")


def _cell_problems(st: _State, raw: pd.DataFrame, mapping: dict) -> list[Problem]:
    """The parse failures, on the rows kept, showing the file's own values."""
    problems = []
    for name, prob, mask in st.failed:
        mask = mask.reindex(st.out.index, fill_value=False)
        hit = st.out.index[mask.to_numpy()]
        if not len(hit):
            continue
        src = raw.loc[hit[:SHOW], mapping.get(name, name)]
        problems.append(
            Problem(
                prob.kind,
                column=name,
                rows=tuple(int(i) for i in hit[:SHOW]),
                values=tuple(py_value(x) for x in src),
                count=len(hit),
                fix=prob.fix,
            )
        )
    return problems


def process(
    raw: pd.DataFrame | None, mapping: dict, problems: list[Problem], kind: str, rep: ReadReport, opts: ReadOptions
) -> pd.DataFrame | None:
    """Clean, type and validate a raw frame whose index holds spreadsheet row numbers."""
    schema = get_spec(kind)
    if raw is None:
        rep.problems = [relabel(p, mapping) for p in problems]
        return None
    rep.rows_read = len(raw)
    st = _State(pd.DataFrame(index=raw.index))
    numeric = [
        mapping[n]
        for n, c in schema.columns.items()
        if n in mapping and c.metadata["cx_type"] in ("int", "float", "score")
    ] + rep.extra_columns
    marks = _file_marks(raw, numeric, opts)
    _schema_columns(st, raw, mapping, kind, rep, opts, marks)
    _extras(st, raw, mapping, kind, rep, opts, marks)
    _drop_empty(st, raw, rep)
    _whole_numbers(st.out, kind)
    if not len(st.out):
        problems.append(
            Problem(
                "no data rows (header only)" if not rep.rows_read else "no data rows (every row is empty)",
                fix="The file has a header but no data: export the table again including its rows.",
            )
        )
    problems += st.problems + _cell_problems(st, raw, mapping)
    for name, n in st.nblank.items():
        n -= rep.empty_rows_dropped  # an empty row is blank in every column
        if n:
            rep.blanks[name] = n
    if len(st.out):
        import pandera.pandas as pa  # imported when a frame is validated, not by the engine's commands

        try:
            fast_schema(kind, frozenset(st.out.columns)).validate(st.out, lazy=True)
        except pa.errors.SchemaErrors as exc:
            problems += translate_failures(exc.failure_cases, st.out, kind, st.skip, raw, mapping)
    order = {n: i for i, n in enumerate(list(schema.columns) + list(st.out.columns))}
    problems.sort(key=lambda p: -1 if p.column is None else order.get(p.column.split(" + ")[0], -1))
    rep.rows = len(st.out)
    rep.problems = [relabel(p, mapping) for p in problems]
    return st.out
