"""The course's bundled data sets (Simorgh Mobile), loaded from any working directory.

The files live in the ``data/`` folder of the repository, installed as the package
``cxlib.data`` and read through :mod:`importlib.resources`, so a notebook or script
works wherever it runs. See ``data/README.md`` for the data cards.

Examples
--------
>>> from cxlib.data import datasets
>>> customers = datasets.load_customers()
>>> customers["customer_id"].is_unique
True
>>> truth = datasets.load_truth()
>>> round(truth.summary["emotional_connection"]["causal_rr_recommend"], 1) > 1
True
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pandas as pd

from cxlib.data.truth import Truth

#: The package that holds the bundled data files (``data/`` in a clone).
BUNDLED = "cxlib.data.bundled"

__all__ = ['load_customers', 'load_activity', 'load_agents', 'load_interactions', 'load_agent_feedback', 'load_nps_surveys', 'load_churn_snapshot', 'load_truth', 'load', 'data_path', 'TABLES']


#: Table name -> date columns parsed on load.
TABLES = {
    "customers": ["signup_date", "churn_date"],
    "activity": ["month"],
    "agents": ["hire_date"],
    "interactions": ["timestamp"],
    "agent_feedback": ["date"],
    "nps_surveys": ["survey_date"],
    "churn_snapshot": [],
}


_TRUTH = {"customers": [], "agents": [], "monthly": ["month"], "churn_probability": []}


# text columns that may be empty: keep "" rather than NaN so text code sees strings
_TEXT = {"interactions": ["agent_reply"], "agent_feedback": ["comment"], "nps_surveys": ["comment"]}


def data_path(name: str = "") -> Path:
    """Path of a bundled file (``data_path("customers.csv")``) or of the data folder."""
    root = resources.files(BUNDLED)
    return Path(str(root.joinpath(name))) if name else Path(str(root))


def _read(relpath: str, dates: list[str], text: list[str] = ()) -> pd.DataFrame:
    with resources.files(BUNDLED).joinpath(relpath).open("rb") as fh:
        df = pd.read_csv(fh, parse_dates=dates, keep_default_na=True)
    for col in text:
        df[col] = df[col].fillna("")
    return df


def load(name: str) -> pd.DataFrame:
    """Load a bundled table by name (one of :data:`TABLES`)."""
    if name not in TABLES:
        from cxlib.errors import CxError

        raise CxError(f"unknown data set {name!r}; choose one of {', '.join(TABLES)}.")
    df = _read(f"{name}.csv", TABLES[name], _TEXT.get(name, ()))
    if name == "churn_snapshot":
        for col in ("last_ltr", "last_csat"):
            if col in df:
                df[col] = df[col].astype("Int64")
    return df


def load_customers() -> pd.DataFrame:
    """Customers of Simorgh Mobile (one row per customer ever active in the window)."""
    return load("customers")


def load_activity() -> pd.DataFrame:
    """Monthly activity and loyalty signals (one row per customer and month while active)."""
    return load("activity")


def load_agents() -> pd.DataFrame:
    """Support agents (id, team, channel, hire date)."""
    return load("agents")


def load_interactions() -> pd.DataFrame:
    """Support contacts with channel, issue, agent, wait, resolution and the agent's reply."""
    return load("interactions")


def load_agent_feedback() -> pd.DataFrame:
    """Answered post-interaction surveys (CSAT 1-5, effort 1-5, comment)."""
    return load("agent_feedback")


def load_nps_surveys() -> pd.DataFrame:
    """Answered relationship surveys (0-10 likelihood to recommend, attributes, comment)."""
    return load("nps_surveys")


def load_churn_snapshot() -> pd.DataFrame:
    """Point-in-time churn features at the cutoff with the 3-month label ``churned``."""
    return load("churn_snapshot")


def load_truth() -> Truth:
    """The simulator's ground truth for the bundled data (see :class:`cxlib.data.truth.Truth`)."""
    parts = {k: _read(f"truth/{k}.csv", d) for k, d in _TRUTH.items()}
    summary = json.loads(resources.files(BUNDLED).joinpath("truth/summary.json").read_text("utf-8"))
    return Truth(summary=summary, **parts)
