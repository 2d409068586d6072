"""Schemas of the tables an analyst brings: what each column must contain.

A *kind* names one table shape of the data contract (``data/README.md``):

==================  ==========================================================
kind                one row per
==================  ==========================================================
``customers``       customer (id, signup date, plan, fee, status, ...)
``activity``        customer and month (usage, spend, complaints, ...)
``interactions``    support contact (agent, channel, waits, FCR, ...)
``agent_feedback``  answered post-interaction survey (CSAT 1-5, effort 1-5)
``nps_surveys``     answered relationship survey (likelihood to recommend 0-10)
``churn_table``     customer: an id, a 0/1 (or yes/no) target, any features
``churn_snapshots`` customer and snapshot date: stacked churn tables
``orders``          order (customer, date, value): transactions for CLV
==================  ==========================================================

Each schema is a :class:`pandera.pandas.DataFrameSchema`, built from the one plain
description of the tables (:mod:`cxlib.data._spec`, which the SQL engine reads). Every column carries,
in ``Column.metadata``, its *cx type* (``id``, ``text``, ``category``, ``int``,
``float``, ``score``, ``flag``, ``date``, ``datetime``) and its unit, which
:func:`cxlib.data.io.read_table` uses to clean a messy export before validating it.

Rules
-----
* **Required** columns must be present (map your own names with
  ``columns={"ltr": "Q1 Likelihood"}``); **optional** columns are validated
  when present. A lesson can make an optional column required for one read
  (``read_table(..., require=["agent_id"])``).
* Required columns may not be blank, except survey *answers* (``ltr``,
  ``csat``) where a blank means "question skipped", and the churn target
  (``churned`` of ``churn_table``) where it means "outcome unknown": blanks are
  allowed there and counted in the read report. Optional columns may be blank.
* Flags are 1/0, yes/no or true/false (also in Persian); a churn flag also takes
  churned/left/cancelled (1) and active/stayed/retained (0), and only a churn
  flag does, so "active" is never read as 0 in another column.
* Scores: ``ltr`` whole numbers 0-10; ``csat``, ``effort`` and the attribute
  ratings whole numbers 1-5. Counts and money are never negative;
  ``complaints_resolved`` is at most ``complaints``; flags are 0 or 1.
* Ids (``customer_id`` in ``customers`` and ``churn_table``, ``response_id``,
  ``interaction_id``) are unique; in ``activity`` each (customer, month) pair is,
  and in ``churn_snapshots`` each (customer, cutoff) pair.
* Dates are real dates from 1900 on, and not in the future.
* Columns that the schema does not know are kept as they are and reported as
  "kept, not validated" (in ``churn_table`` they are the model's features).

Integer columns are ``int64`` when complete and ``float64`` (blank = NaN) when
an optional column has blanks, exactly as :func:`pandas.read_csv` gives them,
so NumPy and SciPy functions work on them; text columns are ``object``; dates
are ``datetime64[ns]``.

Examples
--------
>>> from cxlib.data import schemas
>>> schemas.KINDS
('customers', 'activity', 'interactions', 'agent_feedback', 'nps_surveys', 'churn_table', 'churn_snapshots', 'orders')
>>> schemas.required_columns("nps_surveys")
['response_id', 'survey_date', 'ltr']
>>> schemas.describe("churn_table")[["column", "type", "required"]]
        column      type  required
0  customer_id   text id      True
1      churned  0/1 flag      True
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from cxlib.data._spec import EARLIEST_DATE_TEXT, SPECS, ColumnSpec, TableSpec, get_spec
from cxlib.data.kinds import KINDS
from cxlib.errors import CxError

if TYPE_CHECKING:
    import pandera.pandas as pa

__all__ = [
    "KINDS",
    "CX_TYPES",
    "SCHEMAS",  # noqa: F822 (a lazy module attribute: see __getattr__)
    "get_schema",
    "describe",
    "required_columns",
    "optional_columns",
    "column_info",
    "EARLIEST_DATE",
]


#: Readable name of each cx type (the ``type`` column of :func:`describe`).
CX_TYPES = {
    "id": "text id",
    "text": "free text",
    "category": "text (category)",
    "int": "whole number",
    "float": "number",
    "score": "whole-number score",
    "flag": "0/1 flag",
    "date": "date",
    "datetime": "date and time",
}


#: Dates before this are rejected as implausible (often a Persian-calendar year or a
#: small Excel serial number that is not a date).
EARLIEST_DATE = pd.Timestamp(EARLIEST_DATE_TEXT)


def _whole(s: pd.Series) -> pd.Series:
    return (s % 1) == 0


def _not_future(s: pd.Series) -> pd.Series:
    # one day of slack for time zones; evaluated at validation time, not import time
    return s <= pd.Timestamp.now() + pd.Timedelta(days=1)


_DTYPES: dict[str, Any] = {
    "id": str,
    "text": str,
    "category": str,
    "float": float,
    "date": "datetime64[ns]",
    "datetime": "datetime64[ns]",
}


def _column(spec: ColumnSpec) -> pa.Column:
    """The pandera Column of one described column, with the cx type, unit and fix text in its metadata."""
    import pandera.pandas as pa

    checks = []
    lo, hi = spec.min, spec.max
    if lo is not None and hi is not None:
        checks.append(pa.Check.in_range(lo, hi))
    elif lo is not None:
        checks.append(pa.Check.ge(lo))
    if spec.cx_type in ("int", "score"):
        checks.append(pa.Check(_whole, name="whole_number"))
    if spec.cx_type == "flag":
        checks.append(pa.Check.isin([0, 1], name="flag_0_1"))
    if spec.allowed:
        checks.append(pa.Check.isin(list(spec.allowed)))
    if spec.cx_type in ("date", "datetime"):
        checks += [pa.Check.ge(EARLIEST_DATE, name="not_before_1900"), pa.Check(_not_future, name="not_in_future")]
    return pa.Column(
        _DTYPES.get(spec.cx_type),
        checks=checks,
        nullable=bool(spec.nullable),
        unique=spec.unique,
        required=spec.required,
        description=spec.description,
        metadata=spec.metadata,
    )


def _resolved_le_complaints(df: pd.DataFrame) -> pd.Series | bool:
    if "complaints" not in df or "complaints_resolved" not in df:
        return True
    return ~(df["complaints_resolved"] > df["complaints"])


def _schema(spec: TableSpec) -> pa.DataFrameSchema:
    """The pandera schema of one described table kind."""
    import pandera.pandas as pa

    table_checks = {"resolved_le_complaints": pa.Check(_resolved_le_complaints, name="resolved_le_complaints")}
    return pa.DataFrameSchema(
        {name: _column(col) for name, col in spec.columns.items()},
        checks=[table_checks[c] for c in spec.checks] or None,
        unique=spec.unique,
        name=spec.name,
        description=spec.description,
        strict=spec.strict,
    )


@cache
def _schemas() -> dict[str, pa.DataFrameSchema]:
    """kind -> pandera DataFrameSchema, built from the one description on first use.

    pandera takes about a second to import, and only validating a frame in memory needs
    it: describing a kind (:func:`describe`, :func:`column_info`, ...) reads the
    description itself (:data:`cxlib.data._spec.SPECS`).
    """
    return {kind: _schema(spec) for kind, spec in SPECS.items()}


if tuple(SPECS) != KINDS:  # one list of kinds (cxlib.data.kinds) for the schemas and the command line
    raise RuntimeError(f"cxlib.data.kinds.KINDS {KINDS} does not list the schemas {tuple(SPECS)}")


def __getattr__(name: str) -> Any:
    """``SCHEMAS``: kind -> pandera DataFrameSchema (treat as read-only; use :func:`get_schema`)."""
    if name == "SCHEMAS":
        return _schemas()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_schema(kind: str) -> pa.DataFrameSchema:
    """The pandera schema of a kind.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.

    Returns
    -------
    pandera.pandas.DataFrameSchema

    Raises
    ------
    CxError
        If ``kind`` is not a known kind (the message lists the known ones).

    Examples
    --------
    >>> get_schema("nps_surveys").columns["ltr"].metadata["unit"]
    '0-10'
    """
    return _schemas()[get_spec(kind).name]


def _columns(kind: str) -> dict[str, ColumnSpec]:
    """The described columns of a kind, in schema order (unknown kinds raise CxError)."""
    return dict(get_spec(kind).columns)


def column_info(kind: str, column: str) -> dict:
    """The metadata of one schema column (cx_type, unit, allowed, min, max, fix, ...).

    Parameters
    ----------
    kind : str
        A schema kind (``cx schemas`` lists them).
    column : str
        One of its columns.

    Returns
    -------
    dict
        The column's metadata (a copy); unknown kinds or columns raise :class:`~cxlib.errors.CxError`.

    Examples
    --------
    >>> column_info("agent_feedback", "csat")["cx_type"]
    'score'
    """
    col = _columns(kind).get(column)
    if col is None:
        raise CxError(f"the {kind!r} schema has no column {column!r}; its columns: {', '.join(_columns(kind))}.")
    return {
        **col.metadata,
        "required": col.required,
        "nullable": bool(col.nullable),
        "unique": col.unique,
        "description": col.description,
    }


def required_columns(kind: str) -> list[str]:
    """Names of the columns a file of this kind must have.

    Parameters
    ----------
    kind : str
        A schema kind (``cx schemas`` lists them).

    Returns
    -------
    list of str
        Required columns, in schema order.

    Examples
    --------
    >>> required_columns("customers")
    ['customer_id', 'signup_date']
    """
    return [n for n, c in _columns(kind).items() if c.required]


def optional_columns(kind: str) -> list[str]:
    """Names of the columns that are validated when present.

    Parameters
    ----------
    kind : str
        A schema kind (``cx schemas`` lists them).

    Returns
    -------
    list of str
        Optional columns, in schema order.

    Examples
    --------
    >>> optional_columns("churn_table")
    []
    """
    return [n for n, c in _columns(kind).items() if not c.required]


def _rule(meta: dict) -> str:
    parts = []
    lo, hi = meta.get("min"), meta.get("max")
    if lo is not None and hi is not None:
        parts.append(f"{lo:g} to {hi:g}")
    elif lo is not None:
        parts.append(f">= {lo:g}")
    if meta.get("allowed"):
        parts.append("one of " + ", ".join(meta["allowed"]))
    if meta["cx_type"] == "flag":
        parts.append("0/1 (yes/no, true/false accepted)")
    if meta["cx_type"] in ("date", "datetime"):
        parts.append("not in the future")
    return "; ".join(parts)


def describe(kind: str) -> pd.DataFrame:
    """A table of the columns a kind expects: name, type, unit, required, rule, meaning.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.

    Returns
    -------
    pandas.DataFrame
        Columns ``column``, ``type``, ``unit``, ``required``, ``blanks_allowed``,
        ``unique``, ``rule``, ``description``; one row per schema column.

    Examples
    --------
    >>> d = describe("nps_surveys")
    >>> d.loc[d.column == "ltr", ["type", "unit", "rule"]].iloc[0].tolist()
    ['whole-number score', '0-10', '0 to 10']
    """
    rows = []
    for name, col in _columns(kind).items():
        meta = col.metadata
        rows.append(
            {
                "column": name,
                "type": CX_TYPES[meta["cx_type"]],
                "unit": meta["unit"],
                "required": bool(col.required),
                "blanks_allowed": bool(col.nullable),
                "unique": bool(col.unique),
                "rule": _rule(meta),
                "description": col.description,
            }
        )
    return pd.DataFrame(rows)
