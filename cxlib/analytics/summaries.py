"""From a file or a table to a result: what ``cx nps`` and ``cx agents`` compute, as library calls.

:func:`nps_summary` and :func:`agents_summary` read a file (CSV, Excel, Parquet) or a
table (a DuckDB database, Spark), validate it, and compute NPS by segment or fair
per-agent CSAT. A small CSV or an Excel workbook is read into memory
(:func:`cxlib.data.io.read_table`); a large CSV, a Parquet file or a table is counted
where it is (:mod:`cxlib.data.engine`: DuckDB, or Spark) and only the count table
reaches Python. Both paths give the same report, the same problems and the same numbers.

Examples
--------
>>> import tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
>>> _ = f.write_text("response_id,survey_date,ltr,plan\\nR1,2024-01-05,10,A\\nR2,2024-01-06,3,A\\nR3,2024-01-06,9,B\\n")
>>> res = nps_summary(f, "ltr", by="plan", engine="duckdb")
>>> res.table()[["segment", "n", "nps"]]
   segment  n    nps
0        A  2    0.0
1        B  1  100.0
2  overall  3   33.3...
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cxlib.errors import CxError, ValidationError

if (
    TYPE_CHECKING
):  # imported where used: `cx nps` on the engine needs neither the row-level reader nor the agents' model
    from cxlib.analytics import nps as N
    from cxlib.analytics.feedback import AgentFeedback
    from cxlib.data.io import ReadReport

__all__ = ["NPSSummary", "nps_summary", "AgentsSummary", "agents_summary", "find_column"]


def _key(name: str) -> str:
    return re.sub(r"[\s_]+", "", str(name)).lower()


def find_column(columns: list, name: str, option: str = "--by") -> str:
    """The column called ``name``, ignoring case, spaces and underscores (else a clear error).

    Parameters
    ----------
    columns : list
        The file's column names.
    name : str
        The column asked for (e.g. the value of ``--by``).
    option : str, default "--by"
        The command-line option named in the error message.

    Returns
    -------
    str
        The column as the file spells it: ``name`` itself, or its one match.

    Raises
    ------
    CxError
        No column, or more than one, matches ``name``; the message lists the columns.

    Examples
    --------
    >>> find_column(["Customer ID", "Plan Type"], "plan_type")
    'Plan Type'
    """
    if name in columns:
        return name
    matches = [c for c in columns if _key(c) == _key(name)]
    if len(matches) == 1:
        return matches[0]
    raise CxError(
        f"the segment column {name!r} is not in the file; its columns are: "
        f"{', '.join(map(repr, columns))}. Pass one of them with {option}."
    )


#: The options of ``cx nps`` and ``cx agents`` that name schema columns (their advice names them, not --column).
_NPS_OPTIONS = {"ltr": "--score"}
_AGENT_OPTIONS = {"agent_id": "--agent", "csat": "--score"}


def _report_error(rep: ReadReport, options: Mapping[str, str]) -> ValidationError:
    """A report's problems as an error (keeping the report), its advice naming the command's own options."""
    from cxlib.data.io import with_options

    return with_options(rep.error(), options)


def _nps_row(r: Any) -> dict:
    return {
        "n": int(r.n),
        "promoters": int(r.promoters),
        "passives": int(r.passives),
        "detractors": int(r.detractors),
        "nps": float(r.nps),
        "ci_low": float(r.ci_low),
        "ci_high": float(r.ci_high),
    }


@dataclass
class NPSSummary:
    """NPS of a file or a table, overall and by segment (what ``cx nps`` prints).

    Attributes
    ----------
    source : str
        The file or table as given.
    score : str
        The score column as given.
    read : ReadReport
        How it was read.
    overall : NPSResult
    by : str or None
        The segment column (as named in the data).
    segments : pandas.DataFrame or None
        One row per segment: the segment column, then the columns of
        :attr:`cxlib.analytics.nps.SegmentNPS.summary`.
    engine : str
        ``"memory"``, ``"duckdb"`` or ``"spark"``: what read and counted it.
    """

    source: str
    score: str
    read: ReadReport
    overall: N.NPSResult
    by: str | None = None
    segments: pd.DataFrame | None = None
    engine: str = "memory"

    def to_dict(self) -> dict:
        """The JSON of ``cx nps --json``."""
        out: dict[str, Any] = {"read": self.read.brief_dict(), "overall": _nps_row(self.overall)}
        if self.segments is not None:
            out["by"] = [
                {"segment": (None if pd.isna(seg) else _whole(seg)), **_nps_row(r)}
                for seg, r in zip(self.segments[self.by], self.segments.itertuples(index=False))
            ]
        out["notes"] = self.notes()  # what the table's reader is told (skipped answers, a 1-5 scale, ...)
        return out

    def table(self) -> pd.DataFrame:
        """The printed table: one row per segment, then ``overall``."""
        cols = ["n", "promoters", "passives", "detractors", "nps", "ci_low", "ci_high"]
        overall_row = pd.DataFrame([{"segment": "overall", **_nps_row(self.overall)}])
        if self.segments is None:
            return overall_row
        table = self.segments.rename(columns={self.by: "segment"})[["segment", *cols]]
        table["segment"] = [BLANK_SEGMENT if pd.isna(v) else str(_whole(v)) for v in table["segment"]]
        return pd.concat([table, overall_row], ignore_index=True)

    def title(self) -> str:
        o = self.overall
        shown = Path(self.source).name if Path(self.source).is_file() else self.source  # a file: its name, not the path
        return f"NPS of {shown} (score column {self.score!r}; {o.method} {o.level:.0%} intervals, points)"

    def notes(self) -> list[str]:
        """What to know about the answers (skipped answers, a small sample)."""
        o = self.overall
        out = []
        if o.n_missing:
            out.append(skipped_answers(o.n_missing, self.read.blank_kinds.get("ltr"), "detractors"))
        if o.n and o.n < 100:
            out.append(f"note: only {o.n} answers; the interval is wide (n < 100).")
        if o.n >= 20 and o.promoters + o.passives == 0:
            out.append(
                f"note: no answer is 7 or more: check that {self.score!r} is the 0-10 'how likely are you to "
                "recommend' question (on a 1-5 scale every answer counts as a detractor)."
            )
        elif o.n >= 20 and o.promoters == 0:
            out.append(
                f"note: no answer is 9 or 10: check that {self.score!r} is the 0-10 'how likely are you to "
                "recommend' question (on a 1-7 scale no answer can be a promoter, and the NPS means nothing)."
            )
        if self.segments is not None:
            out += [f"note: {line}" for line in case_variants(self.segments[self.by], "segment")]
        return out + repeats_unchecked(self.read)


def skipped_answers(n: int, kinds: Mapping[str, int] | None, not_as: str) -> str:
    """The note on blank answers: how many were skipped, and how they were written.

    Examples
    --------
    >>> skipped_answers(3, {"N/A": 2}, "detractors")
    "3 blank answer(s) skipped (not counted as detractors), 2 of them written as 'N/A'."
    >>> skipped_answers(5, {"N/A": 3, "-": 1}, "dissatisfied")[-41:]
    "written as 'N/A' (3 times), '-' (1 time)."
    """
    kinds = dict(kinds or {})
    if len(kinds) == 1:  # "1 of them written as 'N/A'"
        written = repr(next(iter(kinds)))
    else:  # "5 of them written as 'N/A' (3 times), 'n/a' (2 times)"
        written = ", ".join(f"{k!r} ({v:,} time{'s' if v != 1 else ''})" for k, v in kinds.items())
    return f"{n:,} blank answer(s) skipped (not counted as {not_as})" + (
        f", {sum(kinds.values()):,} of them written as {written}." if kinds else "."
    )


def repeats_unchecked(read: ReadReport) -> list[str]:
    """A note when no response id was read while a column looks like one: repeated answers went unchecked.

    Without the id, an answer exported twice counts twice (and narrows every interval);
    with it, repeated ids stop the command (``cx nps`` and ``cx agents`` map it with ``--column``).

    Parameters
    ----------
    read : ReadReport
        How the file was read.

    Returns
    -------
    list of str
        The note, or nothing.

    Examples
    --------
    >>> from cxlib.data.io import ReadReport
    >>> rep = ReadReport("s.csv", "nps_surveys", missing_optional=["response_id"], extra_columns=["Survey ID"])
    >>> repeats_unchecked(rep)[0][:62]
    'note: no response_id column was read, so an answer exported tw'
    """
    from cxlib.data.io import id_like

    if "response_id" not in read.missing_optional:
        return []
    hits = id_like(read.extra_columns)
    if not hits:
        return []
    return [
        f"note: no response_id column was read, so an answer exported twice would be counted twice. "
        f"{hits[0]!r} looks like an id: if it holds one id per answer, map it with --column "
        f'response_id="{hits[0]}", and repeated ids will stop the count.'
    ]


#: How a table shows the rows whose segment is blank.
BLANK_SEGMENT = "(blank)"


def _whole(v: Any) -> Any:
    """A segment label as written: 3, not 3.0 (a column of whole numbers with blanks is read as floats).

    Examples
    --------
    >>> _whole(3.0), _whole(2.5), _whole("North")
    (3, 2.5, 'North')
    """
    return int(v) if isinstance(v, float) and v.is_integer() else v


def case_variants(labels: Any, what: str) -> list[str]:
    """Labels that differ only in case or spaces ('North', 'NORTH ', 'north'): probably one, counted apart.

    Parameters
    ----------
    labels : iterable
        The labels (segments, agents) as the data write them.
    what : str
        What they are, for the message.

    Returns
    -------
    list of str
        One sentence per group of look-alike labels (at most five).

    Examples
    --------
    >>> notes = case_variants(["North", "NORTH", "South", " north"], "segment")
    >>> len(notes), notes[0].split(" differ")[0]
    (1, "segments ' north', 'NORTH' and 'North'")
    """
    groups: dict[str, list[str]] = {}
    for v in labels:
        if isinstance(v, str):
            groups.setdefault(" ".join(v.split()).casefold(), []).append(v)
    out = []
    for same in groups.values():
        if len(set(same)) > 1:
            names = sorted(set(same), key=lambda x: (x.strip().casefold(), x))
            shown = ", ".join(repr(x) for x in names[:-1]) + f" and {names[-1]!r}"
            out.append(
                f"{what}s {shown} differ only in case or spaces and are counted apart; tidy them in the data if they are one"
            )
    return out[:5]


def _score_columns(score: str, extra: Mapping[str, str] | None) -> dict[str, str]:
    columns = dict(extra or {})
    if "ltr" in columns:
        raise CxError("give the score column with --score, not --column ltr=...")
    columns["ltr"] = score
    return columns


def _typed_labels(s: pd.Series) -> pd.Series:
    """Segment labels as pandas would hold them: whole numbers as int64 when none is blank."""
    if pd.api.types.is_float_dtype(s) and s.notna().all() and len(s) and (s % 1 == 0).all():
        return s.astype("int64")
    if s.dtype == object:
        return s.where(s.notna(), np.nan)
    return s


def nps_summary(
    path: str | PathLike | None,
    score: str,
    *,
    by: str | None = None,
    columns: Mapping[str, str] | None = None,
    method: str = "adjusted-wald",
    table: str | None = None,
    database: str | PathLike | None = None,
    engine: str = "auto",
    **read: Any,
) -> NPSSummary:
    """NPS with intervals from a survey file or table, overall and by segment.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV, Excel or Parquet file (or None with ``table``).
    score : str
        The 0-10 likelihood-to-recommend column.
    by : str, optional
        The segment column (matched ignoring case, spaces and underscores).
    columns : dict, optional
        Other schema columns of ``nps_surveys`` mapped onto the data's names.
    method : {"adjusted-wald", "wald", "bootstrap"}
        Interval method.
    table, database : optional
        A table instead of a file: in the DuckDB database file ``database``, or in
        Spark's catalog with ``engine="spark"``.
    engine : {"auto", "memory", "duckdb", "spark"}
        Who reads and counts (:func:`cxlib.data.engine.choose_engine`).
    **read
        The reading options of :func:`cxlib.data.io.read_table` (``sep``, ``decimal``, ...).

    Returns
    -------
    NPSSummary

    Raises
    ------
    ValidationError
        Listing every problem of the data (the same with either engine).
    """
    from cxlib.analytics import nps as N
    from cxlib.data.engine import choose_engine, nps_counts, validate_source

    cols = _score_columns(score, columns)
    if by is not None:  # the file's name of a column mapped with columns=: its schema name
        by = next((nm for nm, fc in cols.items() if fc == by and nm != "ltr"), by)
    which = choose_engine(path, table=table, engine=engine)
    name = str(path) if path is not None else str(table)
    if which != "memory":
        keep = [(by, "ltr")] if by else [("ltr",)]  # the count table comes from the validation's pass
        rep, s = validate_source(
            path,
            "nps_surveys",
            cols,
            only=list(cols),
            table=table,
            database=database,
            engine=which,
            keep=keep,
            read_fallback=False,  # read in memory below, once
            **read,
        )
        if not rep.ok:
            raise _report_error(rep, _NPS_OPTIONS)
        if s is not None:
            seg = find_column(s.columns, by) if by else None
            counts = nps_counts(s, "ltr", by=seg)
            if seg:
                counts[seg] = _typed_labels(counts[seg])
                res = N.nps_by_from_counts(counts, seg, method=method)
                overall, segs = res.overall, res.summary.reset_index()
            else:
                overall, segs = N.nps_from_counts(counts, method=method), None
            return _answered(NPSSummary(name, score, rep, overall, seg, segs, which))
    from cxlib.data.io import read_table

    because = rep.in_memory_because if which != "memory" else None
    try:
        df, rep = read_table(path, "nps_surveys", columns=cols, only=list(cols), report=True, **read)  # type: ignore[arg-type]
    except ValidationError as err:
        from cxlib.data.io import with_options

        raise with_options(err, _NPS_OPTIONS) from None
    rep.in_memory_because = because
    if by:
        seg = find_column(list(df.columns), by)
        res = N.nps_by(df, "ltr", seg, method=method)
        return _answered(NPSSummary(name, score, rep, res.overall, seg, res.summary.reset_index(), "memory"))
    return _answered(NPSSummary(name, score, rep, N.nps(df, "ltr", method=method), None, None, "memory"))


def _answered(res: NPSSummary) -> NPSSummary:
    """``res``, or an error when no row holds an answer (an NPS of nothing is not a number to print)."""
    o = res.overall
    if o.n == 0:
        raise CxError(
            f"{Path(res.source).name}: no answer to count in {res.score!r}: its {o.n_missing:,} cells are all "
            "blank or blank markers (N/A, Don't know, ...). Check that --score names the 0-10 "
            "'how likely are you to recommend' column."
        )
    return res


@dataclass
class AgentsSummary:
    """Fair per-agent CSAT of a file or a table (what ``cx agents`` prints).

    Attributes
    ----------
    source : str
    read : ReadReport
    feedback : AgentFeedback
        The fitted estimator (``feedback.summary``: one row per agent).
    engine : str
    """

    source: str
    read: ReadReport
    feedback: AgentFeedback
    engine: str = "memory"

    def to_dict(self) -> dict:
        """The JSON of ``cx agents --json``."""
        fb, summ = self.feedback, self.feedback.summary
        prior = fb.prior_
        return {
            "source": self.source,
            "read": self.read.brief_dict(),
            "n_agents": len(summ),
            "n_answers": int(summ["n"].sum()),
            "n_missing": fb.n_missing_,
            "overall_rate": fb.overall_rate_,
            "prior": {
                "model": fb.prior,
                "widened_to_raw": fb.widened_,
                "method": prior.method,
                "pooled": prior.pooled,
                "alpha": prior.alpha,
                "beta": prior.beta,
                "mean": prior.mean,
            },
            "agents": self.agent_table().to_dict(orient="records"),
            "notes": self.notes(),
        }

    def agent_table(self) -> pd.DataFrame:
        """One row per agent: answers, raw and shrunk rates (0-1) with their intervals, funnel verdict."""
        cols = ["agent", "n", "satisfied", "raw_rate", "raw_low", "raw_high", "shrunk_rate", "low", "high", "funnel"]
        return self.feedback.summary[cols].reset_index(drop=True)

    def table(self) -> pd.DataFrame:
        """The printed table (rates in %)."""
        return self.feedback.table()

    def headline(self) -> str:
        """The first line of ``cx agents``: agents, answers, overall rate and how the rates were shrunk."""
        fb, summ = self.feedback, self.feedback.summary
        return (
            f"{Path(self.source).name}: {len(summ)} agents, {int(summ['n'].sum())} answers, overall satisfied "
            f"{100 * fb.overall_rate_:.1f}% (CSAT 4-5); shrinkage: {_shrinkage_note(fb)}."
        )

    def guide(self) -> list[str]:
        """How to read the agents' table (what ``cx agents`` prints below it).

        Returns
        -------
        list of str
            What the funnel column compares, why it can disagree with the shrunk interval,
            and how (not) to use the table.
        """
        team = 100 * self.feedback.overall_rate_
        return [
            f"funnel: the raw rate against the limits around the team's {team:.1f}% for the agent's number of "
            "answers (inside them, or beyond the 95% or the 99.8% limit). The shrunk interval is the agent's own "
            "rate, pulled towards the agents' average; near a limit the two can disagree.",
            "Read the intervals, not the ranks. An agent is unusual only outside the 99.8% funnel; "
            "use this for coaching, not pay.",
        ]

    def notes(self) -> list[str]:
        """What to know about the answers (rows left out, agents that differ only in case)."""
        out = []
        if self.feedback.n_missing_:  # a blank agent stops the command: these are blank scores
            out.append(skipped_answers(self.feedback.n_missing_, self.read.blank_kinds.get("csat"), "dissatisfied"))
        out += [f"note: {line}" for line in case_variants(self.feedback.summary["agent"], "agent")]
        return out + repeats_unchecked(self.read)


def _surveys(strength: float) -> str:
    """A prior's strength in whole surveys, with the right plural.

    >>> _surveys(1.2), _surveys(0.6), _surveys(12.4)
    ('1 survey', '1 survey', '12 surveys')
    """
    count = f"{strength:.0f}"
    return f"{count} survey" if count == "1" else f"{count} surveys"


def _shrinkage_note(fb: AgentFeedback) -> str:
    """One line on how the shrunk rates and intervals were made, for the text output."""
    from cxlib.analytics.feedback import FEW_AGENTS, FEW_ANSWERS

    prior = fb.prior_
    if fb.prior == "plug-in":
        how = (
            "agents indistinguishable from chance: everyone gets the pooled rate"
            if prior.pooled
            else f"each agent's rate is pulled towards {100 * prior.mean:.1f}% as if it had "
            f"{_surveys(prior.strength)} more at that rate"
        )
    else:
        how = (
            f"the agents look alike, so each is pulled strongly towards {100 * prior.mean:.1f}%"
            if prior.pooled
            else f"each agent's rate is pulled towards {100 * prior.mean:.1f}% as if it had about "
            f"{_surveys(prior.strength)} more at that rate"
        ) + "; the intervals include the uncertainty of that pull"
    if fb.widened_:
        how += f" and, with fewer than {FEW_AGENTS} agents or {FEW_ANSWERS} answers, contain the raw ones"
    return how


def agents_summary(
    path: str | PathLike | None,
    *,
    agent: str = "agent_id",
    score: str = "csat",
    columns: Mapping[str, str] | None = None,
    method: str = "ml",
    table: str | None = None,
    database: str | PathLike | None = None,
    engine: str = "auto",
    **read: Any,
) -> AgentsSummary:
    """Per-agent CSAT with raw (Wilson) and shrunk (empirical-Bayes) intervals from a file or a table.

    Parameters
    ----------
    path : str or path-like, optional
        One row per answered post-interaction survey (CSV, Excel or Parquet), or None with ``table``.
    agent, score : str
        The agent column and the CSAT (1-5) column.
    columns : dict, optional
        Other schema columns of ``agent_feedback`` mapped onto the data's names, e.g.
        ``{"response_id": "Ticket"}`` (with it, an answer exported twice stops the count).
    method : {"ml", "corrected", "mom"}
        How the shrinkage prior is fitted.
    table, database, engine, **read
        As in :func:`nps_summary`.

    Returns
    -------
    AgentsSummary

    Raises
    ------
    CxError
        Listing every problem of the data, or when no row has both an agent and a score.
    """
    from cxlib.analytics.feedback import AgentFeedback
    from cxlib.data.engine import agent_counts, choose_engine, validate_source

    which = choose_engine(path, table=table, engine=engine)
    name = str(path) if path is not None else str(table)
    if path is not None and not Path(path).exists():
        raise CxError(f"{path}: file not found. Check the path and try again.")
    for key, option in (("agent_id", "--agent"), ("csat", "--score")):
        if key in (columns or {}):
            raise CxError(f"give the {key} column with {option} (agent= or score= in Python), not --column {key}=...")
    cols = {"agent_id": agent, "csat": score, **dict(columns or {})}
    named = (agent, score) != ("agent_id", "csat")  # the analyst named them already: no hint to do so
    hint = "\nOn the command line, name your columns with --agent COLUMN and --score COLUMN."

    def naming(problems: list) -> str:  # the reminder, when a column is missing and was not named
        from cxlib.data.io import is_absent_column

        return hint if not named and any(is_absent_column(p) for p in problems) else ""

    source_name = Path(path).name if path is not None else str(table)
    if which != "memory":
        rep, s = validate_source(
            path,
            "agent_feedback",
            cols,
            only=list(cols),
            table=table,
            database=database,
            engine=which,
            keep=[("agent_id", "csat")],  # the count table comes from the validation's pass
            read_fallback=False,  # read in memory below, once
            **read,
        )
        if not rep.ok:
            raise CxError(f"{_report_error(rep, _AGENT_OPTIONS)}{naming(rep.problems)}")
        if s is not None:
            counts = agent_counts(s, "agent_id", "csat")
            known = counts[counts["agent"].notna()]
            known = known[known["answered"] > 0]
            if known.empty:
                raise CxError(f"no usable answers: all {rep.rows} rows have an empty 'agent_id' or 'csat'.")
            fb = AgentFeedback(method=method).fit_counts(
                known["satisfied"].to_numpy(), known["answered"].to_numpy(), known["agent"].astype(str).to_numpy()
            )
            fb.n_rows_, fb.n_missing_ = rep.rows, int(counts["missing"].sum())
            fb.agent_column_, fb.score_column_ = "agent_id", "csat"
            return AgentsSummary(name, rep, fb, which)
    from cxlib.data.io import read_table

    because = rep.in_memory_because if which != "memory" else None
    try:
        df, rep = read_table(path, "agent_feedback", columns=cols, only=list(cols), report=True, **read)  # type: ignore[arg-type]
    except ValidationError as err:
        from cxlib.data.io import with_options

        raise CxError(f"{with_options(err, _AGENT_OPTIONS)}{naming(err.problems)}") from None
    rep.in_memory_because = because
    a = "agent_id" if "agent_id" in df.columns else agent
    s_ = "csat" if "csat" in df.columns else score
    fb = AgentFeedback(method=method).fit(df, agent_column=a, score_column=s_, source=source_name)
    return AgentsSummary(name, rep, fb, "memory")
