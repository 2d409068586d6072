"""Running the simulation: :func:`simulate`, the :class:`Company` it returns, :func:`regenerate`.

See :mod:`cxlib.simulation._model` for the generating model.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxlib.data.datasets import data_path
from cxlib.data.truth import Truth
from cxlib.errors import CxError
from cxlib.simulation._model import _EXP_MU, _ltr_mean, _nps_from_mean, _step, _World
from cxlib.simulation._settings import DEFAULTS, LIMITS
from cxlib.simulation._tables import _activity_rows, _assemble, _contact_rows, _stack, _survey_rows
from cxlib.simulation._truth import _mc_label_probability, _summary, _truth_agents, _truth_customers, snapshot_features

__all__ = ["simulate", "Company", "regenerate"]


#: Default settings of the bundled data.


@dataclass
class Company:
    """The output of :func:`simulate`: observable ``tables`` and the ``truth``.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        The observable tables (customers, activity, agents, ...), as bundled in ``data/``.
    truth : Truth
        What the simulation put in: true values, rates and effects.
    settings : dict
        The settings the company was simulated with (seed included).
    """

    tables: dict
    truth: Truth
    settings: dict

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v):,}" for k, v in self.tables.items())
        return f"Company(Simorgh Mobile; {sizes})"

    def write(
        self, out: str | Path, progress: Callable[[int], None] | None = None, file_format: str = "csv"
    ) -> list[Path]:
        """Write every table as CSV (or Parquet) into ``out`` and the truth into ``out/truth``.

        Parameters
        ----------
        out : str or Path
            The folder (created if needed).
        progress : callable, optional
            Called with the number of files written so far (for a progress bar); there are
            ``len(self.tables) + 5`` files.
        file_format : {"csv", "parquet"}, default "csv"
            The tables' format: CSV as bundled in ``data/``, or Parquet (columnar and typed, as
            data platforms export; written by DuckDB). The truth is always CSV.

        Returns
        -------
        list of Path
            The files written.
        """
        if file_format not in ("csv", "parquet"):
            raise ValueError(f"file_format must be 'csv' or 'parquet', got {file_format!r}.")
        out = Path(out)
        (out / "truth").mkdir(parents=True, exist_ok=True)
        t = self.truth
        frames = [(df, out / f"{name}.{file_format}") for name, df in self.tables.items()]
        frames += [(getattr(t, name), out / "truth" / f"{name}.csv") for name in _TRUTH_TABLES]
        written = []
        for df, path in frames:
            written.append(_write_parquet(df, path) if path.suffix == ".parquet" else _write_csv(df, path))
            if progress is not None:
                progress(len(written))
        path = out / "truth" / "summary.json"
        path.write_text(json.dumps(t.summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
        if progress is not None:
            progress(len(written))
        return written


#: The truth's tables, written as CSV (with summary.json, five files in out/truth).
_TRUTH_TABLES = ("customers", "agents", "monthly", "churn_probability")


def _write_csv(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%d", float_format="%.6g")
    return path


def _write_parquet(df: pd.DataFrame, path: Path) -> Path:
    import duckdb

    from cxlib.data.engine._sql import DUCKDB

    # dates as DATE (what the CSV holds), times to the microsecond: Spark cannot read nanoseconds
    dates = {c: df[c].dt.date for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])}
    frame = df.assign(**dates) if dates else df
    con = duckdb.connect()
    try:
        con.register("frame", frame)
        con.execute(f"COPY frame TO {DUCKDB.string(str(path))} (FORMAT PARQUET)")
    finally:
        con.close()
    return path


def _check_settings(
    n_customers: int, months: int, seed: int, start: str, horizon: int, truth_replicates: int, allow_large: bool
) -> pd.Timestamp:
    """Refuse settings :func:`simulate` cannot honour, with the fix; return the first month."""
    if n_customers < 10:
        raise CxError(f"n_customers must be at least 10; got {n_customers}.")
    if seed < 0:
        raise CxError(f"seed must be a whole number of at least 0; got {seed}.")
    if truth_replicates < 1:
        raise CxError(f"truth_replicates must be at least 1; got {truth_replicates}.")
    if not allow_large:
        sizes = dict(
            n_customers=n_customers,
            months=months,
            truth_replicates=truth_replicates,
            customer_months=n_customers * months,
        )
        over = [f"{k.replace('_', ' ')} {v:,} (limit {LIMITS[k]:,})" for k, v in sizes.items() if v > LIMITS[k]]
        if over:
            raise CxError(
                f"refusing to simulate such a large company: {'; '.join(over)}. These limits "
                "keep a run within a laptop's memory and minutes; pass allow_large=True "
                "(cx simulate --allow-large) if this machine can take it."
            )
    try:
        start_ts = pd.Timestamp(start)
        if start_ts != start_ts.normalize().replace(day=1):
            raise ValueError
    except (ValueError, TypeError):
        raise CxError(f"start must be the first day of a month, written YYYY-MM-01; got {start!r}.") from None
    if months < 6:
        raise CxError(f"months must be at least 6 (the snapshot needs history and a horizon); got {months}.")
    if not 1 <= horizon < months:
        raise CxError(f"horizon must be between 1 and months - 1; got {horizon}.")
    return start_ts


def _cutoff_index(cutoff: str | None, cal: pd.DatetimeIndex, months: int, horizon: int) -> int:
    """Month index of the snapshot's cutoff (default: ``horizon`` months, and 3 more, before the end)."""
    if cutoff is None:
        return months - horizon - (3 if months >= 12 else 0)
    else:
        try:
            cut_ts = pd.Timestamp(cutoff)
        except (ValueError, TypeError):
            raise CxError(f"cutoff must be a date written YYYY-MM-01; got {cutoff!r}.") from None
        c_idx = int(np.searchsorted(cal, cut_ts))
        if not (3 <= c_idx <= months - horizon) or cal[min(c_idx, months - 1)] != cut_ts:
            raise CxError(
                f"cutoff {cutoff} must be the first day of a month with at least 3 months before it "
                f"and {horizon} months after it inside the window {cal[0].date()}..{cal[-1].date()}."
            )
    return c_idx


def _run_months(
    w: _World,
    months: int,
    c_idx: int,
    rng: np.random.Generator,
    progress: Callable[[int], None] | None,
    at_cutoff: Callable[[dict[str, Any]], None] | None = None,
) -> tuple[tuple[list, list, list, list], np.ndarray, dict[str, Any], list[float]]:
    """Simulate every month in order; the cutoff month's state is kept for the label's Monte Carlo.

    ``at_cutoff`` is called with that state as soon as it is made (to start the Monte Carlo).
    """
    n = w.n
    state = dict(
        s=rng.normal(0, 0.3, n) + 0.7 * (_EXP_MU[w.persona] - 0.5 * w.expectation),
        unres_1=np.zeros(n),
        unres_2=np.zeros(n),
        unres_3=np.zeros(n),
        pay_1=np.zeros(n),
        pay_2=np.zeros(n),
        pay_3=np.zeros(n),
        products=w.products0.astype(float),
        tenure=w.tenure0.astype(float),
    )
    active = np.zeros(n, bool)
    churn_month = np.full(n, -1)
    act_parts, mon_parts, con_parts, srv_parts = [], [], [], []
    snap_state: dict[str, Any] = {}
    true_nps = []
    for t in range(months):
        active |= w.start_month == t
        idx = np.flatnonzero(active)
        if t == c_idx:
            snap_state = dict(idx=idx.copy(), rng_state=None, st={k: v[idx].copy() for k, v in state.items()})
            if at_cutoff:
                at_cutoff(snap_state)
        sub = {k: v[idx] for k, v in state.items()}
        out = _step(w, t, idx, sub, rng, record=True)
        for k in state:
            state[k][idx] = sub[k]
        conn_mu = _ltr_mean(out["s"], out["connected"], state["tenure"][idx])
        true_nps.append(float(100 * _nps_from_mean(conn_mu).mean()))
        act_parts.append(_activity_rows(w, t, idx, out))
        mon_parts.append(
            {
                "cid": idx,
                "t": t,
                "p_churn": np.round(out["h"], 4),
                "ltr_latent": np.round(conn_mu, 2),
                "connected": out["connected"].astype(np.int8),
            }
        )
        con_parts.append(_contact_rows(w, t, idx, out, rng))
        if (t + 1) % 3 == 0:
            srv_parts.append(_survey_rows(w, t, idx, out, state, rng))
        churned = idx[out["churn"]]
        churn_month[churned] = t
        active[churned] = False
        state["tenure"][idx] += 1
        if progress:
            progress(t + 1)
    return (act_parts, mon_parts, con_parts, srv_parts), churn_month, snap_state, true_nps


#: A Monte Carlo of at least this many customer-replicates runs in a forked process where one can
#: be forked safely (see :class:`_LabelTruth`); smaller ones run on a thread.
FORK_MIN_WORK = 1_000_000


class _LabelTruth:
    """The snapshot label's Monte Carlo (:func:`_mc_label_probability`), run beside the later months.

    It has its own random stream and reads only the cutoff month's state and the world's fixed
    traits, so it runs while the later months and the tables are made, with the numbers it gives
    when run afterwards. Where it can, a large one runs in a forked child process: on Linux, when
    this process has no other thread (forking a threaded process can deadlock the child) and
    the work is at least :data:`FORK_MIN_WORK` customer-replicates; the child inherits the state
    without copying it and sends back one array (on 2 cores, 100,000 customers x 24 months:
    about 9.6 s instead of 11-12 s on a thread, where both halves compete for the GIL). Otherwise
    it runs on a thread (numpy releases the GIL in its loops and draws). Used as a context manager:
    on an error (or Ctrl-C) the thread stops after its current chunk of replicates, the child
    process is ended.
    """

    def __init__(
        self,
        w: _World,
        c_idx: int,
        horizon: int,
        reps: int,
        seed: int,
        progress: Callable[[int], None] | None = None,
    ):
        self._args = (w, c_idx, horizon, reps, seed)
        self._progress = progress
        self._stop = threading.Event()
        self._pool: ThreadPoolExecutor | None = None
        self._future: Future | None = None
        self._child: Any = None
        self._conn: Any = None

    def _forks(self, n_snapshot: int) -> bool:
        import multiprocessing as mp
        import sys

        return (
            sys.platform == "linux"
            and threading.active_count() == 1
            and "fork" in mp.get_all_start_methods()
            and n_snapshot * self._args[3] >= FORK_MIN_WORK
        )

    def start(self, snap_state: dict[str, Any]) -> None:
        w, c_idx, horizon, reps, seed = self._args
        if self._forks(len(snap_state["idx"])):
            import multiprocessing as mp

            ctx = mp.get_context("fork")
            self._conn, child_end = ctx.Pipe(duplex=False)
            self._child = ctx.Process(
                target=_label_truth_child,
                args=(child_end, self._progress is not None, w, snap_state, c_idx, horizon, reps, seed),
                name="cx-simulate-truth",
                daemon=True,
            )
            self._child.start()
            child_end.close()
            return
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cx-simulate-truth")
        self._future = self._pool.submit(
            _mc_label_probability, w, snap_state, c_idx, horizon, reps, seed, self._stop, self._progress
        )

    def result(self) -> np.ndarray:
        if self._child is not None:
            while True:  # replicates done (for the progress bar), then the result or the error
                try:
                    kind, value = self._conn.recv()
                except EOFError:
                    raise RuntimeError(
                        f"the Monte Carlo's process ended without a result (exit code {self._child.exitcode})"
                    ) from None
                if kind != "done":
                    break
                if self._progress is not None:
                    self._progress(value)
            self._child.join()
            if kind == "error":
                raise value
            return value
        assert self._future is not None, "the cutoff month was never simulated"
        return self._future.result()

    def __enter__(self) -> _LabelTruth:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        if self._child is not None:
            if self._child.is_alive():
                self._child.terminate()
            self._child.join()
            self._conn.close()


def _label_truth_child(
    conn: Any, report: bool, w: _World, snap: dict[str, Any], c_idx: int, horizon: int, reps: int, seed: int
) -> None:
    """In the forked child: the Monte Carlo. Sends ("done", replicates) after each chunk when
    ``report``, then ("result", the array) or ("error", the exception)."""
    try:
        progress = (lambda done: conn.send(("done", done))) if report else None
        conn.send(("result", _mc_label_probability(w, snap, c_idx, horizon, reps, seed, progress=progress)))
    except BaseException as exc:  # the parent raises it
        conn.send(("error", exc))
    finally:
        conn.close()


def simulate(
    n_customers: int = DEFAULTS["n_customers"],
    months: int = DEFAULTS["months"],
    seed: int = DEFAULTS["seed"],
    start: str = DEFAULTS["start"],
    cutoff: str | None = None,
    horizon: int = DEFAULTS["horizon"],
    truth_replicates: int = DEFAULTS["truth_replicates"],
    progress: Callable[[int], None] | None = None,
    *,
    truth_progress: Callable[[int], None] | None = None,
    allow_large: bool = False,
) -> Company:
    """Generate Simorgh Mobile: every table plus the ground truth.

    Parameters
    ----------
    n_customers : int
        Customers active at the start (about 2% more join each month).
    months : int
        Months to simulate (at least 6).
    seed : int
        Seed of the random generator: the same seed gives identical data.
    start : str
        First month (ISO date).
    cutoff : str, optional
        Cutoff month of ``churn_snapshot`` (default: ``horizon`` months before the
        end, i.e. 2024-07-01 for the default window... adjusted to the window).
    horizon : int
        Months after the cutoff in which a cancellation counts as churn.
    truth_replicates : int
        Monte Carlo replicates for the true probability of the snapshot label.
    progress : callable, optional
        Called with the number of months finished (for a progress bar).
    truth_progress : callable, optional
        Called with the number of Monte Carlo replicates of the snapshot label finished (out of
        ``truth_replicates``; it runs beside the later months, so it reports from then on).
    allow_large : bool, default False
        Sizes beyond :data:`LIMITS` are refused at once unless this is set.

    Returns
    -------
    Company
    """
    start_ts = _check_settings(n_customers, months, seed, start, horizon, truth_replicates, allow_large)
    rng = np.random.default_rng(seed)
    w = _World(n_customers, months, start_ts, rng)
    cal = w.calendar
    c_idx = _cutoff_index(cutoff, cal, months, horizon)
    label_truth = _LabelTruth(w, c_idx, horizon, truth_replicates, seed, truth_progress)
    with label_truth:
        parts, churn_month, snap_state, true_nps = _run_months(w, months, c_idx, rng, progress, label_truth.start)
        act_parts, mon_parts, con_parts, srv_parts = parts
        tables = _assemble(w, act_parts, con_parts, srv_parts, churn_month)
        truth_monthly = _stack(mon_parts)
        all_ids = w.customer_ids
        truth_monthly.insert(0, "customer_id", all_ids[truth_monthly.pop("cid").to_numpy()])
        truth_monthly.insert(1, "month", cal[truth_monthly.pop("t").to_numpy()])
        cutoff_ts = cal[c_idx]
        snap = snapshot_features(tables, cutoff_ts, horizon=horizon)
        tables["churn_snapshot"] = snap
        # the rest of the truth while the Monte Carlo may still run
        truth_customers, truth_agents = _truth_customers(w), _truth_agents(w, rng)
        summary = _summary(w, true_nps, cutoff_ts, horizon, tables)
        p_true = label_truth.result()
    p_df = pd.DataFrame({"customer_id": all_ids[snap_state["idx"]], "p_churn": p_true})
    p_df = p_df.set_index("customer_id").loc[snap["customer_id"]].reset_index()
    truth = Truth(
        customers=truth_customers,
        agents=truth_agents,
        monthly=truth_monthly,
        churn_probability=p_df,
        summary=summary,
    )
    settings = dict(
        n_customers=n_customers,
        months=months,
        seed=seed,
        start=str(cal[0].date()),
        cutoff=str(cutoff_ts.date()),
        horizon=horizon,
        truth_replicates=truth_replicates,
    )
    truth.summary["settings"] = settings
    return Company(tables=tables, truth=truth, settings=settings)


def regenerate(out: str | Path | None = None, **overrides) -> list[Path]:
    """Re-create the bundled data with the default seed (``make data``).

    Parameters
    ----------
    out : path, optional
        Folder to write into (default: the installed bundled-data folder, ``data/`` in a clone).
    **overrides
        Settings passed to :func:`simulate` instead of the defaults.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    settings: dict[str, Any] = dict(DEFAULTS)
    settings.update(overrides)
    company = simulate(**settings)
    return company.write(out or data_path())
