"""The tables an analyst brings, described plainly: each kind's columns and rules (no pandera, no pandas).

The one description of the data contract. :mod:`cxlib.data.schemas` builds its pandera
schemas from it (the in-memory reader validates with those), and the SQL engine
(:mod:`cxlib.data.engine`) reads it directly, so the command line's engine path starts
without importing pandera or pandas' validation machinery. A column's rules are its *cx
type*, whether it is required, may be blank or must be unique, its range (``min``,
``max``), its allowed values and its unit; a table adds checks across columns (by name)
and combinations that must be unique.

Examples
--------
>>> from cxlib.data._spec import get_spec
>>> s = get_spec("nps_surveys")
>>> s.columns["ltr"].metadata["unit"], s.columns["response_id"].unique
('0-10', True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cxlib.data.kinds import KINDS
from cxlib.errors import CxError

__all__ = ["ColumnSpec", "TableSpec", "SPECS", "get_spec", "EARLIEST_DATE_TEXT"]

#: Dates before this are rejected as implausible (often a Persian-calendar year or a
#: small Excel serial number that is not a date); ``cxlib.data.schemas.EARLIEST_DATE``.
EARLIEST_DATE_TEXT = "1900-01-01"


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table kind: its cx type, meaning and rules.

    ``nullable`` defaults to ``not required`` (required columns may not be blank).
    ``metadata`` holds what :mod:`cxlib.data.schemas` puts in the pandera column's
    metadata (cx type, unit, allowed, min, max, fix, words).
    """

    cx_type: str
    description: str
    required: bool = False
    nullable: bool | None = None
    unit: str = ""
    min: float | None = None
    max: float | None = None
    allowed: tuple | None = None
    unique: bool = False
    fix: str = ""
    words: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.nullable is None:
            object.__setattr__(self, "nullable", not self.required)
        object.__setattr__(self, "words", dict(self.words or {}))

    @property
    def metadata(self) -> dict[str, Any]:
        """The column's metadata, as the pandera column carries it."""
        return {
            "cx_type": self.cx_type,
            "unit": self.unit,
            "allowed": self.allowed,
            "min": self.min,
            "max": self.max,
            "fix": self.fix,
            "words": self.words,
        }


@dataclass(frozen=True)
class TableSpec:
    """One table kind: its columns in order, its checks across columns and its unique combinations."""

    columns: dict[str, ColumnSpec]
    name: str
    description: str
    checks: tuple[str, ...] = ()
    unique: list[str] | None = None
    strict: bool = False


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


def _churn_target(when: str) -> ColumnSpec:
    """The churn target column of ``churn_table`` and ``churn_snapshots``: 0/1, churn words, blank = unknown."""
    return ColumnSpec(
        "flag",
        f"the target: 1 (or yes/true/churned/left) if the customer {when}; blank = "
        "outcome unknown (excluded from the model and counted)",
        unit="0/1",
        required=True,
        nullable=True,
        words=_CHURN_WORDS,
    )


_LTR_FIX = (
    "Likelihood to recommend is a whole number from 0 to 10; check the export's "
    "answer coding (some tools code 0-10 as 1-11)."
)


_FIVE_FIX = "Ratings are whole numbers from 1 to 5; check the export's answer coding."


def _rating(description: str, **kw: Any) -> ColumnSpec:
    return ColumnSpec("score", description, unit="1-5", min=1, max=5, fix=_FIVE_FIX, **kw)


SPECS: dict[str, TableSpec] = {
    "customers": TableSpec(
        {
            "customer_id": ColumnSpec("id", "unique customer id", required=True, unique=True),
            "signup_date": ColumnSpec("date", "first day as a customer", required=True),
            "age": ColumnSpec("int", "age at the start of the window", unit="years", min=0, max=120),
            "city": ColumnSpec("category", "home city"),
            "acquisition_channel": ColumnSpec("category", "how the customer was won (store, online, ...)"),
            "acquisition_cost": ColumnSpec("float", "what winning this customer cost", unit="USD", min=0),
            "plan": ColumnSpec("category", "plan at the start (Basic, Plus, Premium)"),
            "monthly_fee": ColumnSpec("float", "list price of the plan at signup", unit="USD / month", min=0),
            "status": ColumnSpec("category", "status at the end of the window", allowed=("active", "churned")),
            "churn_date": ColumnSpec("date", "the day the customer cancelled (blank if active)"),
        },
        name="customers",
        description="one row per customer",
        strict=False,
    ),
    "activity": TableSpec(
        {
            "customer_id": ColumnSpec("id", "customer id", required=True),
            "month": ColumnSpec("date", "the month (first day of the month)", required=True),
            "usage_gb": ColumnSpec("float", "mobile data used", unit="GB", min=0),
            "spend": ColumnSpec("float", "billed amount (fee plus extras)", unit="USD", min=0),
            "products_held": ColumnSpec("int", "lines and add-ons held", unit="count", min=0),
            "care_contacts": ColumnSpec("int", "contacts with customer care", unit="count", min=0),
            "complaints": ColumnSpec("int", "contacts logged as complaints", unit="count", min=0),
            "complaints_resolved": ColumnSpec(
                "int", "complaints resolved in the month (at most complaints)", unit="count", min=0
            ),
            "positive_feedback": ColumnSpec("int", "compliments and thank-you messages", unit="count", min=0),
            "payment_issue": ColumnSpec("flag", "bill unpaid at due date, sent to collections", unit="0/1"),
            "help_video_views": ColumnSpec("int", "help videos watched", unit="count", min=0),
            "help_article_views": ColumnSpec("int", "help pages read", unit="count", min=0),
            "churned": ColumnSpec("flag", "1 in the month the customer cancelled", unit="0/1", words=_CHURN_WORDS),
        },
        checks=("resolved_le_complaints",),
        unique=["customer_id", "month"],
        name="activity",
        description="one row per customer and month",
        strict=False,
    ),
    "interactions": TableSpec(
        {
            "interaction_id": ColumnSpec("id", "unique contact id", required=True, unique=True),
            "customer_id": ColumnSpec("id", "customer id"),
            "agent_id": ColumnSpec("id", "agent who handled the contact"),
            "team": ColumnSpec("category", "the agent's team"),
            "channel": ColumnSpec("category", "phone, chat, email, store, ..."),
            "timestamp": ColumnSpec("datetime", "when the contact started", required=True),
            "issue_type": ColumnSpec("category", "billing, network, device, plan_change, complaint, ..."),
            "proactive": ColumnSpec("flag", "the company reached out first", unit="0/1"),
            "wait_minutes": ColumnSpec("float", "time to answer", unit="minutes", min=0),
            "handle_minutes": ColumnSpec("float", "time spent on the contact", unit="minutes", min=0),
            "resolved_first_contact": ColumnSpec("flag", "first-contact resolution (FCR)", unit="0/1"),
            "agent_reply": ColumnSpec("text", "the agent's closing message"),
        },
        name="interactions",
        description="one row per support contact",
        strict=False,
    ),
    "agent_feedback": TableSpec(
        {
            "response_id": ColumnSpec("id", "unique survey response id", required=True, unique=True),
            "interaction_id": ColumnSpec("id", "the contact the survey is about"),
            "customer_id": ColumnSpec("id", "customer id"),
            "agent_id": ColumnSpec("id", "agent who handled the contact", required=True),
            "team": ColumnSpec("category", "the agent's team"),
            "channel": ColumnSpec("category", "phone, chat, email, store, ..."),
            "date": ColumnSpec("date", "date of the answer"),
            "csat": _rating("satisfaction 1-5 (4-5 = satisfied); blank = skipped", required=True, nullable=True),
            "effort": _rating("customer effort 1-5 (1 = very low effort); blank = skipped"),
            "comment": ColumnSpec("text", "free-text comment (may be blank)"),
        },
        name="agent_feedback",
        description="one row per answered post-interaction survey",
        strict=False,
    ),
    "nps_surveys": TableSpec(
        {
            "response_id": ColumnSpec("id", "unique survey response id", required=True, unique=True),
            "customer_id": ColumnSpec("id", "customer id (blank for anonymous answers)"),
            "survey_date": ColumnSpec("date", "date of the answer", required=True),
            "ltr": ColumnSpec(
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
            "shop_around": ColumnSpec(
                "category", "how often they compare other operators", allowed=("never", "rarely", "sometimes", "often")
            ),
            "switch_discount_pct": ColumnSpec(
                "int", "discount a competitor would need to win them", unit="%", min=0, max=100
            ),
            "comment": ColumnSpec("text", "'What is the main reason for your score?'"),
            "plan": ColumnSpec("category", "the customer's plan (denormalised)"),
            "city": ColumnSpec("category", "the customer's city (denormalised)"),
            "tenure_months": ColumnSpec("int", "months as a customer at the survey", unit="months", min=0),
        },
        name="nps_surveys",
        description="one row per answered relationship (NPS) survey",
        strict=False,
    ),
    "churn_table": TableSpec(
        {
            "customer_id": ColumnSpec("id", "unique customer id", required=True, unique=True),
            "churned": _churn_target("left"),
        },
        name="churn_table",
        description="one row per customer: an id, a 0/1 target and any feature columns "
        "(features are kept; text-looking numbers in them are cleaned)",
        strict=False,
    ),
    "churn_snapshots": TableSpec(
        {
            "customer_id": ColumnSpec("id", "customer id (once per snapshot date)", required=True),
            "cutoff": ColumnSpec("date", "the snapshot date: features before it, the outcome after it", required=True),
            "churned": _churn_target("left after the cutoff"),
        },
        unique=["customer_id", "cutoff"],
        name="churn_snapshots",
        description="stacked churn tables: one row per customer and snapshot date, with the target and any "
        "feature columns (for time-based validation)",
        strict=False,
    ),
    "orders": TableSpec(
        {
            "customer_id": ColumnSpec("id", "customer id", required=True),
            "order_date": ColumnSpec("date", "day of the order (a time of day is ignored)", required=True),
            "order_value": ColumnSpec(
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


if tuple(SPECS) != KINDS:  # one list of kinds (cxlib.data.kinds) for the descriptions and the command line
    raise RuntimeError(f"cxlib.data.kinds.KINDS {KINDS} does not list the table kinds {tuple(SPECS)}")


def get_spec(kind: str) -> TableSpec:
    """The description of a kind.

    Parameters
    ----------
    kind : str
        One of :data:`cxlib.data.kinds.KINDS`.

    Returns
    -------
    TableSpec

    Raises
    ------
    CxError
        If ``kind`` is not a known kind (the message lists the known ones).

    Examples
    --------
    >>> get_spec("agent_feedback").columns["csat"].cx_type
    'score'
    """
    try:
        return SPECS[kind]
    except (KeyError, TypeError):
        import difflib

        close = difflib.get_close_matches(str(kind), KINDS, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise CxError(f"Unknown table kind {kind!r}.{hint} Known kinds: {', '.join(KINDS)}.") from None
