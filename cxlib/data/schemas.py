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

Each schema is a :class:`pandera.pandas.DataFrameSchema`. Every column carries,
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

from typing import Any

import pandas as pd
import pandera.pandas as pa

from cxlib.data.kinds import KINDS
from cxlib.errors import CxError

__all__ = [
    "KINDS",
    "CX_TYPES",
    "SCHEMAS",
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
EARLIEST_DATE = pd.Timestamp("1900-01-01")


def _whole(s: pd.Series) -> pd.Series:
    return (s % 1) == 0


def _not_future(s: pd.Series) -> pd.Series:
    # one day of slack for time zones; evaluated at validation time, not import time
    return s <= pd.Timestamp.now() + pd.Timedelta(days=1)


_WHOLE = pa.Check(_whole, name="whole_number")


_NOT_FUTURE = pa.Check(_not_future, name="not_in_future")


_NOT_BEFORE_1900 = pa.Check.ge(EARLIEST_DATE, name="not_before_1900")


_FLAG = pa.Check.isin([0, 1], name="flag_0_1")


_DTYPES: dict[str, Any] = {
    "id": str,
    "text": str,
    "category": str,
    "float": float,
    "date": "datetime64[ns]",
    "datetime": "datetime64[ns]",
}


def _col(
    cx_type: str,
    description: str,
    *,
    required: bool = False,
    nullable: bool | None = None,
    unit: str = "",
    min: float | None = None,
    max: float | None = None,
    allowed: tuple | None = None,
    unique: bool = False,
    fix: str = "",
    words: dict | None = None,
) -> pa.Column:
    """A pandera Column with the cx type, unit and fix text in its metadata."""
    checks = []
    if min is not None and max is not None:
        checks.append(pa.Check.in_range(min, max))
    elif min is not None:
        checks.append(pa.Check.ge(min))
    if cx_type in ("int", "score"):
        checks.append(_WHOLE)
    if cx_type == "flag":
        checks.append(_FLAG)
    if allowed:
        checks.append(pa.Check.isin(list(allowed)))
    if cx_type in ("date", "datetime"):
        checks += [_NOT_BEFORE_1900, _NOT_FUTURE]
    if nullable is None:
        nullable = not required
    return pa.Column(
        _DTYPES.get(cx_type),
        checks=checks,
        nullable=nullable,
        unique=unique,
        required=required,
        description=description,
        metadata={
            "cx_type": cx_type,
            "unit": unit,
            "allowed": allowed,
            "min": min,
            "max": max,
            "fix": fix,
            "words": words or {},
        },
    )


#: Extra words a churn flag understands (lower case), on top of yes/no and true/false.
_CHURN_WORDS = {
    "churned": 1.0,
    "churn": 1.0,
    "left": 1.0,
    "cancelled": 1.0,
    "canceled": 1.0,
    "active": 0.0,
    "stayed": 0.0,
    "retained": 0.0,
}


def _churn_target(when: str) -> pa.Column:
    """The churn target column of ``churn_table`` and ``churn_snapshots``: 0/1, churn words, blank = unknown."""
    return _col(
        "flag",
        f"the target: 1 (or yes/true/churned/left) if the customer {when}; blank = "
        "outcome unknown (excluded from the model and counted)",
        unit="0/1",
        required=True,
        nullable=True,
        words=_CHURN_WORDS,
    )


def _resolved_le_complaints(df: pd.DataFrame) -> pd.Series | bool:
    if "complaints" not in df or "complaints_resolved" not in df:
        return True
    return ~(df["complaints_resolved"] > df["complaints"])


_LTR_FIX = (
    "Likelihood to recommend is a whole number from 0 to 10; check the export's "
    "answer coding (some tools code 0-10 as 1-11)."
)


_FIVE_FIX = "Ratings are whole numbers from 1 to 5; check the export's answer coding."


def _rating(description: str, **kw: Any) -> pa.Column:
    return _col("score", description, unit="1-5", min=1, max=5, fix=_FIVE_FIX, **kw)


_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "customers": pa.DataFrameSchema(
        {
            "customer_id": _col("id", "unique customer id", required=True, unique=True),
            "signup_date": _col("date", "first day as a customer", required=True),
            "age": _col("int", "age at the start of the window", unit="years", min=0, max=120),
            "city": _col("category", "home city"),
            "acquisition_channel": _col("category", "how the customer was won (store, online, ...)"),
            "acquisition_cost": _col("float", "what winning this customer cost", unit="USD", min=0),
            "plan": _col("category", "plan at the start (Basic, Plus, Premium)"),
            "monthly_fee": _col("float", "list price of the plan at signup", unit="USD / month", min=0),
            "status": _col("category", "status at the end of the window", allowed=("active", "churned")),
            "churn_date": _col("date", "the day the customer cancelled (blank if active)"),
        },
        name="customers",
        description="one row per customer",
        strict=False,
    ),
    "activity": pa.DataFrameSchema(
        {
            "customer_id": _col("id", "customer id", required=True),
            "month": _col("date", "the month (first day of the month)", required=True),
            "usage_gb": _col("float", "mobile data used", unit="GB", min=0),
            "spend": _col("float", "billed amount (fee plus extras)", unit="USD", min=0),
            "products_held": _col("int", "lines and add-ons held", unit="count", min=0),
            "care_contacts": _col("int", "contacts with customer care", unit="count", min=0),
            "complaints": _col("int", "contacts logged as complaints", unit="count", min=0),
            "complaints_resolved": _col(
                "int", "complaints resolved in the month (at most complaints)", unit="count", min=0
            ),
            "positive_feedback": _col("int", "compliments and thank-you messages", unit="count", min=0),
            "payment_issue": _col("flag", "bill unpaid at due date, sent to collections", unit="0/1"),
            "help_video_views": _col("int", "help videos watched", unit="count", min=0),
            "help_article_views": _col("int", "help pages read", unit="count", min=0),
            "churned": _col("flag", "1 in the month the customer cancelled", unit="0/1", words=_CHURN_WORDS),
        },
        checks=[pa.Check(_resolved_le_complaints, name="resolved_le_complaints")],
        unique=["customer_id", "month"],
        name="activity",
        description="one row per customer and month",
        strict=False,
    ),
    "interactions": pa.DataFrameSchema(
        {
            "interaction_id": _col("id", "unique contact id", required=True, unique=True),
            "customer_id": _col("id", "customer id"),
            "agent_id": _col("id", "agent who handled the contact"),
            "team": _col("category", "the agent's team"),
            "channel": _col("category", "phone, chat, email, store, ..."),
            "timestamp": _col("datetime", "when the contact started", required=True),
            "issue_type": _col("category", "billing, network, device, plan_change, complaint, ..."),
            "proactive": _col("flag", "the company reached out first", unit="0/1"),
            "wait_minutes": _col("float", "time to answer", unit="minutes", min=0),
            "handle_minutes": _col("float", "time spent on the contact", unit="minutes", min=0),
            "resolved_first_contact": _col("flag", "first-contact resolution (FCR)", unit="0/1"),
            "agent_reply": _col("text", "the agent's closing message"),
        },
        name="interactions",
        description="one row per support contact",
        strict=False,
    ),
    "agent_feedback": pa.DataFrameSchema(
        {
            "response_id": _col("id", "unique survey response id", required=True, unique=True),
            "interaction_id": _col("id", "the contact the survey is about"),
            "customer_id": _col("id", "customer id"),
            "agent_id": _col("id", "agent who handled the contact", required=True),
            "team": _col("category", "the agent's team"),
            "channel": _col("category", "phone, chat, email, store, ..."),
            "date": _col("date", "date of the answer"),
            "csat": _rating("satisfaction 1-5 (4-5 = satisfied); blank = skipped", required=True, nullable=True),
            "effort": _rating("customer effort 1-5 (1 = very low effort); blank = skipped"),
            "comment": _col("text", "free-text comment (may be blank)"),
        },
        name="agent_feedback",
        description="one row per answered post-interaction survey",
        strict=False,
    ),
    "nps_surveys": pa.DataFrameSchema(
        {
            "response_id": _col("id", "unique survey response id", required=True, unique=True),
            "customer_id": _col("id", "customer id (blank for anonymous answers)"),
            "survey_date": _col("date", "date of the answer", required=True),
            "ltr": _col(
                "score",
                "likelihood to recommend 0-10; blank = skipped",
                unit="0-10",
                min=0,
                max=10,
                required=True,
                nullable=True,
                fix=_LTR_FIX,
            ),
            "friendly_polite": _rating("'Was everyone friendly and polite?'"),
            "value_for_money": _rating("attribute rating: value for money"),
            "network_quality": _rating("attribute rating: network quality"),
            "ease_of_support": _rating("attribute rating: ease of getting support"),
            "shop_around": _col(
                "category", "how often they compare other operators", allowed=("never", "rarely", "sometimes", "often")
            ),
            "switch_discount_pct": _col(
                "int", "discount a competitor would need to win them", unit="%", min=0, max=100
            ),
            "comment": _col("text", "'What is the main reason for your score?'"),
            "plan": _col("category", "the customer's plan (denormalised)"),
            "city": _col("category", "the customer's city (denormalised)"),
            "tenure_months": _col("int", "months as a customer at the survey", unit="months", min=0),
        },
        name="nps_surveys",
        description="one row per answered relationship (NPS) survey",
        strict=False,
    ),
    "churn_table": pa.DataFrameSchema(
        {
            "customer_id": _col("id", "unique customer id", required=True, unique=True),
            "churned": _churn_target("left"),
        },
        name="churn_table",
        description="one row per customer: an id, a 0/1 target and any feature columns "
        "(features are kept; text-looking numbers in them are cleaned)",
        strict=False,
    ),
    "churn_snapshots": pa.DataFrameSchema(
        {
            "customer_id": _col("id", "customer id (once per snapshot date)", required=True),
            "cutoff": _col("date", "the snapshot date: features before it, the outcome after it", required=True),
            "churned": _churn_target("left after the cutoff"),
        },
        unique=["customer_id", "cutoff"],
        name="churn_snapshots",
        description="stacked churn tables: one row per customer and snapshot date, with the target and any "
        "feature columns (for time-based validation)",
        strict=False,
    ),
    "orders": pa.DataFrameSchema(
        {
            "customer_id": _col("id", "customer id", required=True),
            "order_date": _col("date", "day of the order (a time of day is ignored)", required=True),
            "order_value": _col(
                "float",
                "value of the order (revenue, or margin if you have it)",
                unit="currency",
                min=0,
                fix="Order values are amounts >= 0: net refunds out of their order, and remove cancelled orders.",
            ),
        },
        name="orders",
        description="one row per order (or order line): who bought, when and for how much",
        strict=False,
    ),
}


if tuple(_SCHEMAS) != KINDS:  # one list of kinds (cxlib.data.kinds) for the schemas and the command line
    raise RuntimeError(f"cxlib.data.kinds.KINDS {KINDS} does not list the schemas {tuple(_SCHEMAS)}")


#: kind -> pandera DataFrameSchema (treat as read-only; use :func:`get_schema`).
SCHEMAS = _SCHEMAS


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
    try:
        return _SCHEMAS[kind]
    except (KeyError, TypeError):
        import difflib

        close = difflib.get_close_matches(str(kind), KINDS, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise CxError(f"Unknown table kind {kind!r}.{hint} Known kinds: {', '.join(KINDS)}.") from None


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
    col = get_schema(kind).columns[column]
    return {
        **col.metadata,
        "required": col.required,
        "nullable": col.nullable,
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
    return [n for n, c in get_schema(kind).columns.items() if c.required]


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
    return [n for n, c in get_schema(kind).columns.items() if not c.required]


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
    for name, col in get_schema(kind).columns.items():
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
