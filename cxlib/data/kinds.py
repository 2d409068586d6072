"""The kinds of table the course reads (one pandera schema each in :mod:`cxlib.data.schemas`).

Kept apart from the schemas so that the command line can list them without importing
pandera (``cx validate --help`` starts in a fraction of a second).
"""

__all__ = ["KINDS"]

#: The kinds of table a file can be validated as, in the order ``cx schemas`` lists them.
KINDS: tuple[str, ...] = (
    "customers",
    "activity",
    "interactions",
    "agent_feedback",
    "nps_surveys",
    "churn_table",
    "churn_snapshots",
    "orders",
)
