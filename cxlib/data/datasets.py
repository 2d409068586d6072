"""The course's bundled data sets, loaded from any working directory.

Two kinds: the simulated company Simorgh Mobile (``load_customers()`` ...; its truth is
known, so methods can be checked), and small real public data sets in ``data/real/``
(``load_cdnow()``, ``load_rated_texts()``, ``load_mlc_churn()``), each with a data card
(``data/real/<set>/README.md``: source, licence, what is real, what is known to be wrong,
checksums) and rebuilt from the package it came from by ``tools/real_data.py``.

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
>>> datasets.load_cdnow(sample=True)["customer_id"].nunique()
2357
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pandas as pd

from cxlib.data.cache import cached_table
from cxlib.data.truth import Truth

#: The package that holds the bundled data files (``data/`` in a clone).
BUNDLED = "cxlib.data.bundled"

__all__ = [
    "load_customers",
    "load_activity",
    "load_agents",
    "load_interactions",
    "load_agent_feedback",
    "load_nps_surveys",
    "load_churn_snapshot",
    "load_truth",
    "load",
    "data_path",
    "TABLES",
    "load_cdnow",
    "load_rated_texts",
    "load_mlc_churn",
    "REAL_SETS",
    "RATED_TEXT_KINDS",
]

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
    """Path of a bundled file (``data_path("customers.csv")``) or of the data folder.

    Parameters
    ----------
    name : str
        A file name inside the data folder; empty for the folder itself.

    Returns
    -------
    pathlib.Path
        Where the bundled file (or folder) is on this machine.
    """
    root = resources.files(BUNDLED)
    return Path(str(root.joinpath(name))) if name else Path(str(root))


def _read(relpath: str, dates: list[str], text: Sequence[str] = ()) -> pd.DataFrame:
    source = resources.files(BUNDLED).joinpath(relpath).read_bytes()

    def parse() -> pd.DataFrame:
        df = pd.read_csv(io.BytesIO(source), parse_dates=dates, keep_default_na=True)
        for col in text:
            df[col] = df[col].fillna("")
        return df

    return cached_table(source, {"name": relpath, "dates": dates, "text": list(text)}, parse)


def load(name: str) -> pd.DataFrame:
    """Load a bundled table by name (one of :data:`TABLES`).

    Parameters
    ----------
    name : str
        A key of :data:`TABLES`, e.g. ``"customers"``.

    Returns
    -------
    pandas.DataFrame
        The table, with its date columns parsed; a :class:`~cxlib.errors.CxError` names the
        tables there are when ``name`` is none of them.
    """
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
    """Customers of Simorgh Mobile (one row per customer ever active in the window).

    Returns
    -------
    pandas.DataFrame
        One row per customer: id, signup and churn dates, plan, demographics and the simulated traits.
        The columns and row count are those of the data card (``data/README.md``).
    """
    return load("customers")


def load_activity() -> pd.DataFrame:
    """Monthly activity and loyalty signals (one row per customer and month while active).

    Returns
    -------
    pandas.DataFrame
        One row per customer and month while active (``month`` parsed as a date).
        The columns and row count are those of the data card (``data/README.md``).
    """
    return load("activity")


def load_agents() -> pd.DataFrame:
    """Support agents (id, team, channel, hire date).

    Returns
    -------
    pandas.DataFrame
        One row per support agent (``hire_date`` parsed as a date).
        The columns and row count are those of the data card (``data/README.md``).
    """
    return load("agents")


def load_interactions() -> pd.DataFrame:
    """Support contacts with channel, issue, agent, wait, resolution and the agent's reply.

    Returns
    -------
    pandas.DataFrame
        One row per support contact (``timestamp`` parsed; an empty ``agent_reply`` is ``""``).
        The columns and row count are those of the data card (``data/README.md``).
    """
    return load("interactions")


def load_agent_feedback() -> pd.DataFrame:
    """Answered post-interaction surveys (CSAT 1-5, effort 1-5, comment).

    Returns
    -------
    pandas.DataFrame
        One row per answered post-interaction survey (``date`` parsed; an empty ``comment`` is ``""``).
        The columns and row count are those of the data card (``data/README.md``).
    """
    return load("agent_feedback")


def load_nps_surveys() -> pd.DataFrame:
    """Answered relationship surveys (0-10 likelihood to recommend, attributes, comment).

    Returns
    -------
    pandas.DataFrame
        One row per answered relationship survey (``survey_date`` parsed; an empty ``comment`` is ``""``).
        The columns and row count are those of the data card (``data/README.md``).
    """
    return load("nps_surveys")


def load_churn_snapshot() -> pd.DataFrame:
    """Point-in-time churn features at the cutoff with the 3-month label ``churned``.

    Returns
    -------
    pandas.DataFrame
        One row per customer active at the cutoff, with the features and ``churned`` (0/1).
        The columns and row count are those of the data card (``data/README.md``).
    """
    return load("churn_snapshot")


def load_truth() -> Truth:
    """The simulator's ground truth for the bundled data (see :class:`cxlib.data.truth.Truth`).

    Returns
    -------
    cxlib.data.truth.Truth
        The true per-customer and per-agent values, monthly rates and the planted effects.
    """
    parts = {k: _read(f"truth/{k}.csv", d) for k, d in _TRUTH.items()}
    summary = json.loads(resources.files(BUNDLED).joinpath("truth/summary.json").read_text("utf-8"))
    return Truth(summary=summary, **parts)


# --------------------------------------------------------------------------- real public data
#: Real data set -> its bundled files (in ``data/real/<set>/``, each listed with its
#: checksum in the set's data card ``README.md``).
REAL_SETS = {
    "cdnow": ("cdnow_master.csv.xz", "cdnow_sample.csv.xz"),
    "rated_texts": ("tweets.csv.xz", "movie_reviews.csv.xz", "nyt_editorials.csv.xz"),
    "mlc_churn": ("mlc_churn.csv.xz",),
}
#: The kinds of human-rated text in :func:`load_rated_texts` (product reviews are left out on purpose).
RATED_TEXT_KINDS = ("tweets", "movie_reviews", "nyt_editorials")


def _read_real(folder: str, name: str, **kwargs) -> pd.DataFrame:
    source = resources.files(BUNDLED).joinpath(f"real/{folder}/{name}").read_bytes()
    how = {"name": f"real/{folder}/{name}", **kwargs}
    return cached_table(source, how, lambda: pd.read_csv(io.BytesIO(source), compression="xz", **kwargs))


def load_cdnow(sample: bool = False) -> pd.DataFrame:
    """Real CD purchases at CDNOW, January 1997 to June 1998 (one row per transaction).

    The 23,570 customers who first bought in the first quarter of 1997 and every purchase
    they made until 1998-06-30 (69,659 rows), or, with ``sample=True``, the 1/10 sample of
    2,357 customers (6,919 rows) used by Fader, Hardie & Lee (2005) for the BG/NBD model.
    Read its data card, ``data/real/cdnow/README.md``, for what is known to be wrong with
    it (same-day and duplicate rows, $0 transactions, one cohort only).

    Parameters
    ----------
    sample : bool, default False
        The 2,357-customer sample instead of the full master file.

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (int), ``date`` (datetime64), ``cds`` (int, CDs bought) and
        ``dollar_value`` (float, USD); the sample also has ``master_id`` (the customer's id
        in the master file) after ``customer_id``.

    Examples
    --------
    >>> from cxlib.data.datasets import load_cdnow
    >>> master = load_cdnow()
    >>> master["customer_id"].nunique(), str(master["date"].min().date()), str(master["date"].max().date())
    (23570, '1997-01-01', '1998-06-30')
    >>> load_cdnow(sample=True).columns.tolist()
    ['customer_id', 'master_id', 'date', 'cds', 'dollar_value']
    """
    name = "cdnow_sample.csv.xz" if sample else "cdnow_master.csv.xz"
    return _read_real("cdnow", name, parse_dates=["date"], date_format="%Y-%m-%d")


def load_rated_texts(kind: str | None = None) -> pd.DataFrame:
    """Real texts with their mean human sentiment rating (-4 to 4), from the VADER study.

    Tweets (4,200), movie-review snippets (10,605) and New York Times editorial snippets
    (5,190), each rated by 15 or more screened human raters (Hutto & Gilbert, 2014). The
    study's product-review snippets are left out on purpose, so that the course's text
    scoring can be checked on text it was never shaped on. See the data card,
    ``data/real/rated_texts/README.md`` (196 tweets' published means differ from their raw
    ratings; 200 tweets are contrived; HTML entities are not decoded).

    Parameters
    ----------
    kind : {"tweets", "movie_reviews", "nyt_editorials"}, optional
        One kind only (default: all three, one after the other).

    Returns
    -------
    pandas.DataFrame
        ``kind``, ``id`` (text, unique within a kind), ``mean_rating`` (the published mean),
        ``raw_mean``, ``raw_sd`` and ``n_raters`` (from the individual ratings) and ``text``
        (exactly as shipped).

    Raises
    ------
    CxError
        If ``kind`` is not one of :data:`RATED_TEXT_KINDS`.

    Examples
    --------
    >>> from cxlib.data.datasets import load_rated_texts
    >>> texts = load_rated_texts()
    >>> texts.groupby("kind", sort=False).size().to_dict()
    {'tweets': 4200, 'movie_reviews': 10605, 'nyt_editorials': 5190}
    >>> bool(texts["mean_rating"].between(-4, 4).all())
    True
    """
    if kind is not None and kind not in RATED_TEXT_KINDS:
        from cxlib.errors import CxError

        extra = (
            " The product-review snippets are left out of the course on purpose (see the data card)."
            if "amazon" in str(kind).lower() or "product" in str(kind).lower()
            else ""
        )
        raise CxError(f"unknown kind of rated text {kind!r}; choose one of {', '.join(RATED_TEXT_KINDS)}.{extra}")
    frames = []
    for k in (kind,) if kind else RATED_TEXT_KINDS:
        df = _read_real("rated_texts", f"{k}.csv.xz", dtype={"id": str, "text": str}, keep_default_na=False)
        df.insert(0, "kind", k)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def load_mlc_churn() -> pd.DataFrame:
    """MLC++ churn: 5,000 telephone customers, service calls and churn (a benchmark).

    A widely used benchmark, as distributed in R's modeldata package (``mlc_churn``),
    whose documentation describes it as "artificial based on claims similar to real
    world": practise methods on it, never treat it as evidence about real customers. See
    ``data/real/mlc_churn/README.md`` (charges are exact multiples of minutes; area codes do
    not match states).

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (1-5,000) and modeldata's 20 columns, among them
        ``number_customer_service_calls`` and ``churn`` (``"yes"``/``"no"``).

    Examples
    --------
    >>> from cxlib.data.datasets import load_mlc_churn
    >>> churn = load_mlc_churn()
    >>> churn.shape, int((churn["churn"] == "yes").sum())
    ((5000, 21), 707)
    """
    return _read_real("mlc_churn", "mlc_churn.csv.xz")
