"""The count tables: sufficient statistics of NPS, CSAT, proportions, control charts and churn.

Each function builds one ``GROUP BY`` query (:mod:`cxlib.data.engine._sql`) and runs it
on the source's backend. The result is a small pandas DataFrame, one row per group,
whose columns an estimator takes directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import Any, TypeAlias

import pandas as pd

from cxlib.data.engine import _clean
from cxlib.data.engine._backend import Backend, backend_for
from cxlib.data.engine._source import Source, frame_source, open_source
from cxlib.data.engine._sql import Dialect, case_sum
from cxlib.errors import SHOW, CxError, Problem, ValidationError

#: The columns of each count table (after the group columns).
NPS_COLUMNS = ("promoters", "passives", "detractors", "missing")
#: With a weight column: weighted sums over the valid answers (x = +1 promoter, 0 passive, -1 detractor).
NPS_WEIGHT_COLUMNS = ("w_promoters", "w_passives", "w_detractors", "w2_promoters", "w2_passives", "w2_detractors")
AGENT_COLUMNS = ("satisfied", "answered", "missing")
PROPORTION_COLUMNS = ("successes", "n", "missing")
CONTROL_COLUMNS = ("defects", "n", "missing")
CHURN_COLUMNS = ("churned", "customers", "unknown")
FREQS = ("day", "week", "month", "quarter", "year")

SourceLike: TypeAlias = "Source | str | PathLike[str] | pd.DataFrame"


def as_source(source: SourceLike) -> Source:
    """A :class:`Source` from a Source, a file path or a DataFrame."""
    if hasattr(source, "query") and hasattr(source, "report"):  # a Scan
        return source.query.src
    if isinstance(source, Source):
        return source
    if isinstance(source, pd.DataFrame):
        return frame_source(source)
    return open_source(source)


def query_of(source: Any, engine: Backend | str | None = None, need: Sequence[str | None] = ()) -> Query:
    """The :class:`Query` of a source (a scan's own, with the reader's cleaning of each column).

    A scan that kept the distinct combinations of the columns ``need`` (with their row
    counts) answers from them, without reading the source again.
    """
    if hasattr(source, "query") and hasattr(source, "report"):  # a Scan
        if source.query is None:
            raise CxError(f"{source.report.source}: the scan did not read the data ({source.fallback}).")
        return source.counts_query([c for c in need if c is not None])
    return Query(source, engine)


class Query:
    """A source on a backend, with each column's type and cleaning expression."""

    def __init__(self, source: SourceLike, engine: Backend | str | None = None):
        self.src = as_source(source)
        if self.src.unsupported:
            raise CxError(
                f"{self.src.name}: the engine cannot read {self.src.unsupported}; read it with "
                "cxlib.data.io.read_table, or save it as UTF-8 CSV or Parquet."
            )
        if self.src.problems:
            raise ValidationError(list(self.src.problems), source=self.src.name)
        self.be = backend_for(self.src, engine)
        self.d: Dialect = self.be.dialect
        self.view = self.be.view(self.src)
        self._types: dict[str, str] | None = None
        #: schema column -> the source's column (set by a scan)
        self.aliases: dict[str, str] = {}
        #: the source's column -> its cleaning (set by a scan: the reader's cleaning of each column)
        self.overrides: dict[str, _clean.Cleaned] = {}
        #: a column of row counts when ``view`` holds distinct rows with their counts (a scan's)
        self.weight: str | None = None
        #: rows whose every cell is blank (a scan's count): the count tables leave them out
        self.empty_records = 0

    def sum_if(self, condition: str, value: str = "1") -> str:
        """The SQL sum of ``value`` over the rows where ``condition`` holds (weighted by the row counts)."""
        if self.weight:
            return case_sum(condition, f"({value}) * {self.weight}")
        return case_sum(condition, value)

    def total(self, value: str) -> str:
        """The SQL sum of ``value`` over all rows."""
        return f"SUM(({value}) * {self.weight})" if self.weight else f"SUM({value})"

    @property
    def types(self) -> dict[str, str]:
        if self._types is None:
            self._types = self.be.types(self.src)
        return self._types

    def column(self, name: str | None, role: str) -> str:
        """The source's column called ``name`` (exact, else ignoring case and spaces)."""
        if name is None:
            raise CxError(f"name the {role} column.")
        cols = list(self.types)
        if name in self.aliases:
            return self.aliases[name]
        if name in cols:
            return name
        key = lambda c: "".join(str(c).split()).replace("_", "").lower()
        hits = [c for c in cols if key(c) == key(name)]
        if len(hits) == 1:
            return hits[0]
        raise ValidationError(
            [
                Problem(
                    "missing column",
                    column=str(name),
                    fix=f"The {role} column {name!r} is not in {self.src.name} (columns: "
                    f"{', '.join(map(repr, cols[:15]))}). Pass the name it has there.",
                )
            ],
            source=self.src.name,
        )

    def number(self, name: str) -> _clean.Cleaned:
        return self.overrides.get(name) or _clean.number(self.d, self.d.ident(name), self.types[name])

    def flag(self, name: str, words: dict | None = None) -> _clean.Cleaned:
        return self.overrides.get(name) or _clean.flag(self.d, self.d.ident(name), self.types[name], words)

    def key(self, name: str) -> _clean.Cleaned:
        return self.overrides.get(name) or _clean.raw(self.d, self.d.ident(name), self.types[name])

    def date(self, name: str) -> _clean.Cleaned:
        return self.overrides.get(name) or _clean.date(self.d, self.d.ident(name), self.types[name])

    def run(self, sql: str) -> pd.DataFrame:
        return self.be.query(sql)

    def examples(self, condition: str, shown: str, limit: int = SHOW) -> tuple[tuple, tuple]:
        """(spreadsheet rows, values) of the first rows where ``condition`` holds."""
        from cxlib.data.engine._rows import csv_layout, row_numbers

        if self.src.kind == "csv" and getattr(self.src, "_layout", None) is None:
            self.src._layout = csv_layout(self.src)  # type: ignore[attr-defined]
        sql = (
            f"SELECT __ord, {shown} AS v FROM {self.be.ordered_view(self.src)} "
            f"WHERE {condition} ORDER BY __ord LIMIT {int(limit)}"
        )
        got = self.run(sql)
        rows = row_numbers(self.src, got["__ord"].to_numpy())
        return tuple(int(r) for r in rows), tuple(_py(v) for v in got["v"])


def _py(v: Any) -> Any:
    if v is None:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _groups(q: Query, by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    names = [by] if isinstance(by, str) else list(by)
    return [q.column(b, "segment") for b in names]


def _named(q: Query, groups: list[str]) -> list[str]:
    """The names of the group columns in a count table: a scan's schema name for a column it mapped
    (``plan`` for a file's ``Plan``, as :attr:`Scan.columns` and the in-memory reader name it; a file
    column that only shares its name with a mapped one is not told apart here)."""
    schema_name = {fc: nm for nm, fc in q.aliases.items()}
    return [schema_name.get(g, g) for g in groups]


def _select(q: Query, groups: list[str], aggregates: dict[str, str], where: str | None = None) -> pd.DataFrame:
    d = q.d
    keys = [f"{q.key(g).value} AS {d.ident(g)}" for g in groups]
    names = [d.ident(g) for g in groups]
    cols = keys + [f"{expr} AS {d.ident(name)}" for name, expr in aggregates.items()]
    sql = f"SELECT {', '.join(cols)} FROM {q.view}"
    if where:
        sql += f" WHERE {where}"
    if keys:
        sql += f" GROUP BY {', '.join(names)} ORDER BY {', '.join(names)} NULLS LAST"
    out = q.run(sql)
    for name in aggregates:
        out[name] = pd.to_numeric(out[name]).fillna(0)
    return out


def _raise_bad(q: Query, problems: list[tuple[str, str, str, str]], counts: pd.Series) -> None:
    """ValidationError for the checks whose count is not zero: (name, column, condition, kind/fix)."""
    found = []
    for name, column, condition, what in problems:
        n = int(counts.get(name, 0))
        if n:
            kind, fix = what.split("|", 1)
            rows, values = q.examples(condition, q.d.ident(column))
            found.append(Problem(kind, column=column, rows=rows, values=values, count=n, fix=fix))
    if found:
        raise ValidationError(found, source=q.src.name)


def nps_counts(
    source: SourceLike,
    score: str,
    by: str | Sequence[str] | None = None,
    weight: str | None = None,
    *,
    engine: Backend | str | None = None,
) -> pd.DataFrame:
    """Promoters, passives, detractors and missing answers per segment, counted where the data are.

    Parameters
    ----------
    source : Source, path or DataFrame
        The answers: a CSV or Parquet file, a :class:`Source` (a DuckDB or Spark
        table), or a DataFrame.
    score : str
        The 0-10 likelihood-to-recommend column.
    by : str or list of str, optional
        Segment column(s); a blank segment is its own group (never dropped).
    weight : str, optional
        A survey-weight column: adds the weighted sums :data:`NPS_WEIGHT_COLUMNS`.
    engine : {"duckdb", "spark"} or Backend, optional
        Where to count (default: DuckDB; Spark for a Spark table).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``promoters`` (9-10), ``passives`` (7-8),
        ``detractors`` (0-6) and ``missing`` (blank answers); with ``weight`` also
        ``w_promoters``, ``w_passives``, ``w_detractors`` (sums of the weights) and
        ``w2_promoters``, ``w2_passives``, ``w2_detractors`` (sums of the squared
        weights), all over the valid answers: the columns of
        :func:`cxlib.analytics.nps.weighted_nps_by_from_counts`. One row per
        segment, sorted, blank segment last.

    Raises
    ------
    ValidationError
        If a score is text, not a whole number or outside 0-10, or a weight is
        missing, negative or not a number (every problem with its rows and values).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"plan": ["A", "A", "B", "B", None], "ltr": [10, 6, 8, None, 9]})
    >>> nps_counts(df, "ltr", by="plan")
       plan  promoters  passives  detractors  missing
    0     A          1         0           1        0
    1     B          0         1           0        1
    2  None          1         0           0        0
    """
    q = query_of(source, engine, [score, *([by] if isinstance(by, str) else list(by or [])), weight])  # all it reads
    s = q.number(q.column(score, "score"))
    groups = _groups(q, by)
    v = s.value
    agg = {
        "promoters": q.sum_if(f"{v} >= 9 AND {v} <= 10 AND {v} = FLOOR({v})"),
        "passives": q.sum_if(f"{v} >= 7 AND {v} < 9 AND {v} = FLOOR({v})"),
        "detractors": q.sum_if(f"{v} >= 0 AND {v} < 7 AND {v} = FLOOR({v})"),
        "missing": q.sum_if(s.blank),
    }
    col = q.column(score, "score")
    text = f"({s.bad} OR {s.other})"
    out_of_range = f"(NOT {s.blank} AND {v} IS NOT NULL AND NOT ({v} >= 0 AND {v} <= 10 AND {v} = FLOOR({v})))"
    checks = [
        ("__text", col, text, "text in a number column|NPS answers must be whole numbers from 0 to 10."),
        (
            "__range",
            col,
            out_of_range,
            "out of range|NPS answers must be whole numbers from 0 to 10; check the export's answer coding.",
        ),
    ]
    if weight is not None:
        wcol = q.column(weight, "weight")
        w = q.number(wcol)
        wv = f"(CASE WHEN {v} >= 0 AND {v} <= 10 THEN {w.value} ELSE 0 END)"
        agg.update(
            {
                "w_promoters": q.sum_if(f"{v} >= 9", wv),
                "w_passives": q.sum_if(f"{v} >= 7 AND {v} < 9", wv),
                "w_detractors": q.sum_if(f"{v} < 7", wv),
                "w2_promoters": q.sum_if(f"{v} >= 9", f"{wv} * {wv}"),
                "w2_passives": q.sum_if(f"{v} >= 7 AND {v} < 9", f"{wv} * {wv}"),
                "w2_detractors": q.sum_if(f"{v} < 7", f"{wv} * {wv}"),
            }
        )
        bad_w = f"({w.value} IS NULL OR {w.value} < 0 OR {w.value} = CAST('inf' AS DOUBLE))"
        checks.append(
            (
                "__weight",
                wcol,
                bad_w,
                "missing, negative or non-numeric weight|Weights must be numbers of 0 or more on every row.",
            )
        )
    for name, _, cond, _ in checks:
        agg[name] = q.sum_if(cond)
    out = _select(q, groups, agg)
    _raise_bad(q, checks, out[[c[0] for c in checks]].sum())
    out = out.drop(columns=[c[0] for c in checks])
    return _finish(out, _named(q, groups), ["promoters", "passives", "detractors", "missing"], q, "missing")


def _finish(out: pd.DataFrame, groups: list[str], counts: list[str], q: Query, blank: str) -> pd.DataFrame:
    """The count table with whole-number counts, named groups, and without a scan's empty records.

    A row whose every cell is blank is dropped (and counted once) by the read report, as the
    in-memory reader drops it; here it sits in the group whose keys are all blank, counted in
    ``blank`` (its answer is blank too). It is taken out there, and that group is dropped when
    nothing is left in it.
    """
    for c in counts:
        out[c] = out[c].astype("int64")
    out.columns = [*groups, *out.columns[len(groups) :]]
    out = out.reset_index(drop=True)
    if not q.empty_records or out.empty:
        return out
    rows = out[groups].isna().all(axis=1) if groups else pd.Series(True, index=out.index)
    if rows.any():
        i = out.index[rows][0]
        out.loc[i, blank] = max(0, int(out.loc[i, blank]) - q.empty_records)
        numbers = [c for c in out.columns if c not in groups and pd.api.types.is_numeric_dtype(out[c])]
        if groups and (out.loc[i, numbers] == 0).all():
            out = out.drop(index=i).reset_index(drop=True)
    return out


def _period(q: Query, name: str | None, freq: str) -> tuple[str | None, list[tuple]]:
    if name is None:
        return None, []
    if freq not in FREQS:
        raise CxError(f"freq must be one of {', '.join(FREQS)}; got {freq!r}.")
    col = q.column(name, "date")
    c = q.date(col)
    check = (
        "__date",
        col,
        f"(NOT {c.blank} AND {c.value} IS NULL)",
        f"date not understood|Write '{col}' as YYYY-MM-DD (for example 2024-03-20).",
    )
    return q.d.month_start(c.value, freq), [check]


def agent_counts(
    source: SourceLike,
    agent: str = "agent_id",
    score: str = "csat",
    *,
    period: str | None = None,
    freq: str = "month",
    satisfied_min: int = 4,
    scale: tuple[int, int] = (1, 5),
    engine: Backend | str | None = None,
) -> pd.DataFrame:
    """Satisfied and answered surveys per agent (and per period), counted where the data are.

    Parameters
    ----------
    source : Source, path or DataFrame
        One row per answered post-interaction survey.
    agent, score : str
        The agent column and the CSAT column (whole numbers on ``scale``).
    period : str, optional
        A date column: count per agent and ``freq`` (``"week"``, ``"month"``, ...),
        for control charts.
    freq : {"day", "week", "month", "quarter", "year"}, default "month"
        Length of the periods (only with ``period``).
    satisfied_min : int
        Lowest CSAT counted as satisfied (4: top-2-box).
    scale : tuple of int, default (1, 5)
        Lowest and highest valid CSAT answer; a score outside it is an error.
    engine : {"duckdb", "spark"} or Backend, optional
        Where to count.

    Returns
    -------
    pandas.DataFrame
        ``agent`` (and ``period``, the first day of each period), ``satisfied``,
        ``answered`` (surveys with an agent and a score) and ``missing`` (rows left out
        because the agent or the score is blank; rows without an agent are one row
        whose ``agent`` is missing). Sorted by agent.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"agent_id": ["A", "A", "B", "B", None], "csat": [5, 2, 4, None, 5]})
    >>> agent_counts(df)
      agent  satisfied  answered  missing
    0     A          1         2        0
    1     B          1         1        1
    2  None          0         0        1
    """
    q = query_of(source, engine, [agent, score, period])
    a = q.column(agent, "agent")
    s = q.number(q.column(score, "score"))
    col = q.column(score, "score")
    v = s.value
    lo, hi = scale
    a_clean = q.overrides.get(a) or _clean.text(q.d, q.d.ident(a), q.types[a])
    a_blank = a_clean.blank
    valid = f"(NOT {a_blank} AND {v} IS NOT NULL)"
    per, checks = _period(q, period, freq)
    agg = {
        "satisfied": q.sum_if(f"{valid} AND {v} >= {satisfied_min}"),
        "answered": q.sum_if(valid),
        "missing": q.sum_if(f"NOT {valid}"),
    }
    checks = [
        (
            "__text",
            col,
            f"({s.bad} OR {s.other})",
            f"text in a number column|CSAT must be a whole number from {lo} to {hi}.",
        ),
        (
            "__range",
            col,
            f"({v} IS NOT NULL AND NOT ({v} >= {lo} AND {v} <= {hi} AND {v} = FLOOR({v})))",
            f"out of range|CSAT must be a whole number from {lo} to {hi}; check the scale (is it 0-10 or 1-7?) and the column.",
        ),
        *checks,
    ]
    for name, _, cond, _ in checks:
        agg[name] = q.sum_if(cond)
    d = q.d
    key = f"(CASE WHEN {a_blank} THEN NULL ELSE {a_clean.value} END)"
    keys = {"agent": key} | ({"period": per} if per else {})
    sel = ", ".join(f"{e} AS {d.ident(k)}" for k, e in keys.items())
    aggs = ", ".join(f"{e} AS {d.ident(k)}" for k, e in agg.items())
    names = ", ".join(d.ident(k) for k in keys)
    out = q.run(f"SELECT {sel}, {aggs} FROM {q.view} GROUP BY {names} ORDER BY {names} NULLS LAST")
    for c in agg:
        out[c] = pd.to_numeric(out[c]).fillna(0)
    _raise_bad(q, checks, out[[c[0] for c in checks]].sum())
    out = out.drop(columns=[c[0] for c in checks])
    if per:
        out["period"] = pd.to_datetime(out["period"])
    return _finish(out, list(keys), list(AGENT_COLUMNS), q, "missing")


def proportion_counts(
    source: SourceLike,
    column: str,
    by: str | Sequence[str] | None = None,
    *,
    engine: Backend | str | None = None,
) -> pd.DataFrame:
    """Successes (1s) and trials of a 0/1 column per group: the counts behind a proportion's interval.

    The column may hold 1/0, yes/no, true/false (also in Persian) or booleans.

    Parameters
    ----------
    source : Source, path or DataFrame
        One row per observation: a CSV or Parquet file, a :class:`Source` (a DuckDB or Spark
        table), or a DataFrame.
    column : str
        The 0/1 column (1 = success).
    by : str or list of str, optional
        Group column(s); a blank group is its own row (never dropped).
    engine : {"duckdb", "spark"} or Backend, optional
        Where to count (default: DuckDB; Spark for a Spark table).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``successes``, ``n`` (non-blank values) and ``missing``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"fcr": ["yes", "no", "yes", None]})
    >>> proportion_counts(df, "fcr")
       successes  n  missing
    0          2  3        1
    """
    q = query_of(source, engine)
    col = q.column(column, "0/1")
    f = q.flag(col)
    v = f.value
    checks = [
        (
            "__flag",
            col,
            f"({f.bad} OR {f.other} OR ({v} IS NOT NULL AND {v} NOT IN (0, 1)))",
            f"not a 0/1 flag|'{col}' is a 0/1 flag: use 1 or 0 (yes/no and true/false are also accepted).",
        )
    ]
    agg = {"successes": q.sum_if(f"{v} = 1"), "n": q.sum_if(f"{v} IN (0, 1)"), "missing": q.sum_if(f.blank)}
    agg["__flag"] = q.sum_if(checks[0][2])
    groups = _groups(q, by)
    out = _select(q, groups, agg)
    _raise_bad(q, checks, out[["__flag"]].sum())
    return _finish(out.drop(columns=["__flag"]), _named(q, groups), list(PROPORTION_COLUMNS), q, "missing")


def control_chart_counts(
    source: SourceLike,
    column: str,
    period: str,
    *,
    freq: str = "week",
    defect_max: float | None = None,
    engine: Backend | str | None = None,
) -> pd.DataFrame:
    """Defects and sample size per period: the counts a p-chart or an EWMA chart takes.

    Parameters
    ----------
    source : Source, path or DataFrame
        One row per observation: a CSV or Parquet file, a :class:`Source` (a DuckDB or Spark
        table), or a DataFrame.
    column : str
        A 0/1 column (1 = defect), or a score with ``defect_max``.
    period : str
        The date column; rows are counted per ``freq`` (its first day).
    freq : {"day", "week", "month", "quarter", "year"}, default "week"
        Length of the periods.
    defect_max : float, optional
        Read ``column`` as a score: a score at or below it is a defect (e.g.
        ``defect_max=3`` for CSAT 1-3). Without it ``column`` is a 0/1 flag.
    engine : {"duckdb", "spark"} or Backend, optional
        Where to count (default: DuckDB; Spark for a Spark table).

    Returns
    -------
    pandas.DataFrame
        ``period``, ``defects``, ``n`` and ``missing`` (blank values), one row per period.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"date": ["2024-01-01", "2024-01-02", "2024-01-09"], "csat": [2, 5, 3]})
    >>> control_chart_counts(df, "csat", "date", defect_max=3)
          period  defects  n  missing
    0 2024-01-01        1  2        0
    1 2024-01-08        1  1        0
    """
    q = query_of(source, engine)
    col = q.column(column, "defect")
    c = q.flag(col) if defect_max is None else q.number(col)
    v = c.value
    is_defect = f"{v} = 1" if defect_max is None else f"{v} <= {float(defect_max)}"
    per, checks = _period(q, period, freq)
    assert per is not None
    text = f"({c.bad} OR {c.other}" + (f" OR ({v} IS NOT NULL AND {v} NOT IN (0, 1)))" if defect_max is None else ")")
    checks.append(("__value", col, text, f"not understood|'{col}' must hold numbers (1/0 for a flag)."))
    valid = f"({v} IS NOT NULL AND NOT {text})"
    agg = {"defects": q.sum_if(f"{valid} AND {is_defect}"), "n": q.sum_if(valid), "missing": q.sum_if(c.blank)}
    for name, _, cond, _ in checks:
        agg[name] = q.sum_if(cond)
    d = q.d
    names = d.ident("period")
    aggs = ", ".join(f"{e} AS {d.ident(k)}" for k, e in agg.items())
    out = q.run(f"SELECT {per} AS {names}, {aggs} FROM {q.view} GROUP BY {names} ORDER BY {names} NULLS LAST")
    for k in agg:
        out[k] = pd.to_numeric(out[k]).fillna(0)
    _raise_bad(q, checks, out[[k[0] for k in checks]].sum())
    out = out.drop(columns=[k[0] for k in checks])
    out["period"] = pd.to_datetime(out["period"])
    return _finish(out, ["period"], list(CONTROL_COLUMNS), q, "missing")


def churn_counts(
    source: SourceLike,
    churned: str = "churned",
    by: str | Sequence[str] | None = None,
    *,
    engine: Backend | str | None = None,
) -> pd.DataFrame:
    """Churned and all customers per group: the counts behind churn rates with intervals.

    ``churned`` is a 0/1 flag (yes/no, churned/active, ... as in ``churn_table``); a
    blank outcome is counted in ``unknown``, never as staying.

    Parameters
    ----------
    source : Source, path or DataFrame
        One row per customer: a CSV or Parquet file, a :class:`Source` (a DuckDB or Spark
        table), or a DataFrame.
    churned : str, default "churned"
        The churn outcome column (1 = churned).
    by : str or list of str, optional
        Group column(s); a blank group is its own row (never dropped).
    engine : {"duckdb", "spark"} or Backend, optional
        Where to count (default: DuckDB; Spark for a Spark table).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``churned``, ``customers`` (known outcomes) and ``unknown``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"plan": ["A", "A", "B"], "churned": ["yes", "active", None]})
    >>> churn_counts(df, by="plan")
      plan  churned  customers  unknown
    0    A        1          2        0
    1    B        0          0        1
    """
    from cxlib.data._spec import get_spec

    q = query_of(source, engine)
    col = q.column(churned, "churn flag")
    f = q.flag(col, get_spec("churn_table").columns["churned"].words)
    v = f.value
    bad = f"({f.bad} OR {f.other} OR ({v} IS NOT NULL AND {v} NOT IN (0, 1)))"
    checks = [
        (
            "__flag",
            col,
            bad,
            f"not a 0/1 flag|'{col}' is a 0/1 flag: use 1 or 0 (yes/no and churned/active are also accepted).",
        )
    ]
    agg = {
        "churned": q.sum_if(f"{v} = 1"),
        "customers": q.sum_if(f"{v} IN (0, 1)"),
        "unknown": q.sum_if(f.blank),
        "__flag": q.sum_if(bad),
    }
    groups = _groups(q, by)
    out = _select(q, groups, agg)
    _raise_bad(q, checks, out[["__flag"]].sum())
    return _finish(out.drop(columns=["__flag"]), _named(q, groups), list(CHURN_COLUMNS), q, "unknown")
