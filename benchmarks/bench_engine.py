"""Benchmark: ``cx nps``, ``cx agents`` and ``cx validate`` on big files against DuckDB itself.

Targets (issue 16, item 6), each measured against a plain DuckDB query doing the same
aggregation over the same file in the same run, both as a fresh child process (so process
start and imports count), wall time and peak memory (the child's ``ru_maxrss``):

- ``cx nps FILE --score ltr --by plan --json`` on a 10,000,000-row survey CSV, and on the
  same rows as Parquet: at most 1.5x DuckDB's wall time and peak memory;
- ``cx agents FILE --json`` on 10,000,000 answers: at most 1.5x;
- ``cx validate nps_surveys FILE --json`` on 10,000,000 rows: at most 3x;
- memory flat as rows grow: each command's peak memory on the file of ``--rows`` rows is at
  most 1.5x its peak on a file of a tenth of the rows (10M against 1M by default).

The files are generated here by DuckDB from a hash of the row number (deterministic: the
same seed gives the same bytes, whatever the threads), into a cache folder outside the
repository (``--cache``, default ``$XDG_CACHE_HOME/cx-bench`` or ``~/.cache/cx-bench``), and
reused by later runs. Each row is one answered survey: ``response_id``, ``survey_date``
(2024), ``ltr`` (0-10, 2% blank), ``plan`` (3 plans), ``agent_id`` (500 agents) and ``csat``
(1-5). The counts ``cx`` prints are checked against DuckDB's before anything is judged.

The commands run with ``--engine duckdb`` by default (what ``auto`` picks for a CSV of 64 MB
or more and for every Parquet file, so a quick ``--rows 1000000`` run times the same path as
the full one); ``--engine auto`` times what an analyst gets on the file as it is.

Run: ``python benchmarks/bench_engine.py [--rows N] [--repeat K] [--engine E]``; exits 1 if
a target is missed. Wall times need an idle machine: when the load average is above the
number of cores the CPU-time ratios are printed as well and should be read instead.

Measured (2 cores shared with three other workers, load average 1.1-4.7, so wall times are
inflated and the CPU ratios are the ones to read; three runs each of the code before and after
the second round of work on item 6, the old and the new ``cxlib`` alternating; cx over DuckDB):

===============  ===============  ===============  =======  ===============  ======  ==========================
10,000,000 rows  cx CPU s         CPU x            wall x   mem x            flat x  verdict
                 before -> after  before -> after  after    before -> after  after
===============  ===============  ===============  =======  ===============  ======  ==========================
nps (CSV)        13.4-13.9 ->     3.20-3.33 ->     2.7-4.1  1.31-1.72 ->     1.30-   missed: time (target 1.5x)
                 12.1-13.7        2.92-3.03                 1.23-1.40        1.36
nps (Parquet)    7.4-7.5 ->       9.30-9.51 ->     7.6-12   4.20-4.26 ->     1.50-   missed: time, memory and,
                 5.5-6.3          7.69-8.31                 4.01-4.04        1.55    barely, flatness
agents (CSV)     14.5-15.2 ->     3.95-4.26 ->     3.2-3.7  1.38-1.61 ->     1.28-   missed: time
                 12.1-15.0        3.64-4.11                 1.28-1.45        1.34
validate (CSV)   12.6-13.3 ->     1.25-1.33 ->     0.7-1.3  0.43-0.45 ->     1.32-   met (target 3x)
                 9.6-13.4         1.10-1.29                 0.38-0.43        1.35
===============  ===============  ===============  =======  ===============  ======  ==========================

cx's peak memory fell by about 20 MB on every command (nps CSV 340 -> 320 MB, agents 355-369 ->
332-338 MB); at 1,000,000 rows, where the fixed costs weigh more, ``cx agents`` on the CSV fell
from 5.4-7.2 to 4.4-5.1 s CPU and ``cx nps`` on the Parquet file from 2.9-3.5 to 1.9-2.2 s. What
this round changed:

- the command's start no longer imports pandera (the engine reads the plain description of the
  tables, ``cxlib.data._spec``, from which ``cxlib.data.schemas`` builds its pandera schemas),
  nor SciPy for ``cx nps`` and ``cx validate`` (the normal quantiles of the usual levels are kept,
  bit for bit): about 0.7 s CPU;
- the pass groups the unique ids on a 64-bit hash and groups again, exactly, only the ids whose
  hash repeats (none, on a clean file); the counts of an id share one cheap guard;
- ``cx agents``' model solves both ends of every interval at once by Halley steps (about three
  evaluations of the mixture's CDF instead of five or six): 1.34 -> 0.99 s CPU for 500 agents.

``cx nps`` and ``cx agents`` still miss their targets because they validate the file as the
in-memory reader does before counting (the same report, exit code 2 on a bad file), which the
reference query does not:

- the pass reads every column the schema checks as text and tests each row (blank markers,
  cleaning, dates, ranges); without the uniqueness check it costs about 6.9 s CPU on the CSV
  against 4.2-4.5 s for the reference (both mostly parsing), and 2.2 s against 0.7-0.8 s on the
  Parquet file, whose reference reads two small typed columns;
- the exact check that no response id is repeated groups ten million distinct values: on the
  Parquet file it takes the pass from 2.2 to 4.9 s CPU and from about 100 to 260 MB. Grouping a
  hash instead of the text saves little (5.2 -> 4.9 s): the cost is the ten-million-group table
  itself, which only a check that is not exact (or one that trusts a sorted id column) would avoid;
- the start still imports pandas (about 0.6 s CPU; the engine's query results and the command's
  tables are DataFrames) and, for ``cx agents``, scipy.special and scipy.optimize (about 0.5 s);
- ``cx agents``' model still takes about 1 s CPU here: the agents of this file are alike, so the
  prior's posterior holds about 336 components with strengths of 1e5-1e10, where each of
  scipy's ``betainc`` calls costs 8-35 microseconds (500 agents x 336 components x 3 calls x 2 ends);
- the reference's peak on Parquet (77 MB: Python and DuckDB reading two columns) is below what
  cx's imports alone hold, and the id table adds about 150 MB; with the lighter start, the peak on
  the 1,000,000-row file fell more than on the 10,000,000-row one, so flatness is now 1.50-1.55x.

Later (2026-12-02, idle machine, one run): DuckDB's memory limit for the engine lowered from 192 MB
to 128 MB (``ENGINE_MEMORY``; the id table spills a little more). Peak memory at 10,000,000 rows:
nps CSV 320-328 -> 258-274 MB, Parquet 320-322 -> 252-261 MB, agents 340-342 -> 275-285 MB, at the same
CPU time within the noise (side by side: Parquet 6.7-7.1 s either way, CSV 14.1-14.6 -> 14.6-15.2 s,
agents 14.4-15.0 -> 14.5-16.0 s). Memory flatness is now met: 1.15-1.26x (was 1.30-1.55x); memory
against DuckDB: nps CSV 0.99x, agents 1.20x (met), Parquet 3.28x (missed: the reference holds 77 MB).
Time ratios as before: nps CSV 3.4x wall / 3.05x CPU, Parquet 6.8x / 7.6x, agents 4.5x / 4.0x
(missed), validate 1.6x / 1.3x (met).

Later (2026-12-03, idle machine, one run): ids proved unique without grouping them where that is
cheap (``cxlib.data.engine._pass.unique_by_range``: whole numbers, or text of one shape such as
``R000000001``, in a Parquet file or a table, one bit per possible id). ``cx nps`` on the Parquet
file: 1.58 -> 1.42 s wall, 2.66 -> 2.31 s CPU, 253 -> 160 MB (5.4x DuckDB's time, was 6.4x;
memory 2.07x, was 3.26x; flatness 0.99x). The CSV files are unchanged (nps 3.4x, agents 4.7x,
validate 1.7x): reading one column of a CSV file again means parsing the whole file again, so
their ids are still grouped in the pass. What stands between these numbers and 1.5x: the command's
start (Python, pandas and cxlib: about 0.45 s, more than the whole reference query on Parquet,
0.25 s) and the checks of every column the schema knows, which the reference does not make.

Later (2026-12-03, second round, idle machine): the ids are checked in the pass itself, on every
kind of source, CSV included (``cxlib.data.engine._pass.id_key``): ids that are numbers, typed or
behind a prefix, are grouped by blocks of 64 numbers with one bit per id met (156,250 groups for
ten million ids instead of ten million hashes), and a block with fewer bits than rows is checked
again on the ids; the separate proof on a Parquet file's statistics is gone. At the start of the
round, then at its end (one run each, DuckDB's own time varies by about 15% between runs): nps CSV
3.01 -> 2.65 s wall (2.99x -> 3.11x DuckDB's time; CPU 2.70x -> 2.89x), agents CSV 3.78 -> 3.08 s
(4.22x -> 3.88x), validate CSV 3.05 -> 2.61 s (1.30x -> 1.29x), Parquet 1.57 -> 1.28 s (5.15x ->
5.09x), 156 -> 170 MB (2.21x DuckDB's memory). What is left is what the paragraph above says: the
start, and the checks of every column (the pass without its flags still takes 1.6 s on the CSV
against 0.8 s for the reference query's grouping).

Floor (2026-12-03, idle machine, in one DuckDB process, no Python around it): what the checks this
issue also asks for ("the same problem reports as today") cost at the least. On the Parquet file the
reference process takes 0.19-0.22 s from start to exit; proving its ten million response ids unique
(the blocks of 64 above, nothing else) takes 0.38-0.42 s of query alone, so 1.5x (0.3 s) cannot be met
with an exact check of ids written as text (``R000000001``, as in this file; typed whole-number ids
take 0.11 s, which leaves about 0.1 s for Python, DuckDB and cxlib to start). On the CSV file the reference query takes 0.66-0.77 s; grouping the
same two columns read as text (as every check needs) takes 0.73 s, and with the ids' blocks 1.11 s,
1.45x before the process starts, the blank lines are counted and any other column is checked. The
targets of item 6 and the checks of item 2 cannot both be met on this machine: meeting the times needs
``cx nps`` and ``cx agents`` to stop checking what the reference does not (the ids above all, which
is what stops a doubled export from being counted twice).

Before this work ``cx nps``, ``cx agents`` and ``cx validate`` took 14-37x DuckDB's CPU time at
1,000,000 rows (the file was scanned several times, with every row's checks grouped per column).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PLANS = ("Basic", "Plus", "Premium")

#: target ratios (cx / DuckDB) for wall time and peak memory
TARGETS = {"nps (CSV)": 1.5, "nps (Parquet)": 1.5, "agents (CSV)": 1.5, "validate (CSV)": 3.0}
FLAT = 1.5  # peak memory at --rows over the peak at a tenth of the rows


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cx-bench"


def make_files(folder: Path, rows: int, seed: int = 16) -> tuple[Path, Path]:
    """Write (once) the ``rows``-row survey CSV and its Parquet twin; return their paths."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    csv, pq = folder / f"surveys_{rows}_{seed}.csv", folder / f"surveys_{rows}_{seed}.parquet"
    s = int(seed) * 100
    select = f"""
        SELECT 'R' || lpad(CAST(i AS VARCHAR), 9, '0') AS response_id,
               CAST(DATE '2024-01-01' + CAST(hash(i, {s + 1}) % 366 AS INTEGER) AS VARCHAR) AS survey_date,
               CASE WHEN hash(i, {s + 2}) % 50 = 0 THEN NULL
                    ELSE CAST(hash(i, {s + 3}) % 11 AS INTEGER) END AS ltr,
               ['Basic', 'Plus', 'Premium'][CAST(hash(i, {s + 4}) % 3 AS INTEGER) + 1] AS plan,
               'A' || lpad(CAST(hash(i, {s + 5}) % 500 AS VARCHAR), 3, '0') AS agent_id,
               CAST(1 + hash(i, {s + 6}) % 5 AS INTEGER) AS csat
        FROM range({int(rows)}) AS t(i) ORDER BY i"""
    con = duckdb.connect()
    for path, opts in ((csv, "HEADER"), (pq, "FORMAT PARQUET")):
        if not path.exists():
            tmp = path.with_suffix(path.suffix + ".part")
            con.execute(f"COPY ({select}) TO '{tmp}' ({opts})")
            tmp.replace(path)
    return csv, pq


@dataclass
class Run:
    wall: float  # seconds, from start to exit
    cpu: float  # user + system seconds of the child
    peak_mb: float  # the child's peak resident memory
    out: str


def run(cmd: list[str]) -> Run:
    """Run ``cmd`` as a child process; its wall time, CPU time and peak memory (``wait4``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, etext = out.read().decode(), err.read().decode()
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {p.returncode}):\n{etext[-2000:]}{text[-2000:]}")
    kb = ru.ru_maxrss if sys.platform != "darwin" else ru.ru_maxrss / 1024
    return Run(wall, ru.ru_utime + ru.ru_stime, kb / 1024, text)


def best(cmd: list[str], repeat: int) -> Run:
    """The run with the least wall time of ``repeat`` (its own peak memory)."""
    runs = [run(cmd) for _ in range(max(1, repeat))]
    return min(runs, key=lambda r: r.wall)


def _reader(path: Path) -> str:
    return f"read_parquet('{path}')" if path.suffix == ".parquet" else f"read_csv('{path}')"


# the same aggregations as plain DuckDB SQL, run by a fresh Python process that prints the counts
DUCKDB_QUERIES = {
    "nps": """SELECT plan,
        count(*) FILTER (WHERE ltr >= 9) AS promoters,
        count(*) FILTER (WHERE ltr BETWEEN 7 AND 8) AS passives,
        count(*) FILTER (WHERE ltr <= 6) AS detractors,
        count(*) FILTER (WHERE ltr IS NULL) AS missing
      FROM {src} GROUP BY plan ORDER BY plan""",
    "agents": """SELECT agent_id,
        count(*) FILTER (WHERE csat >= 4) AS satisfied, count(csat) AS answered
      FROM {src} GROUP BY agent_id ORDER BY agent_id""",
    # what cx validate checks on these columns: blanks, ranges, whole numbers, dates, unique ids
    "validate": """SELECT count(*) AS rows,
        count(*) FILTER (WHERE response_id IS NULL) AS blank_id,
        count(*) - count(DISTINCT response_id) AS duplicate_ids,
        count(*) FILTER (WHERE TRY_CAST(survey_date AS DATE) IS NULL) AS bad_dates,
        count(*) FILTER (WHERE TRY_CAST(survey_date AS DATE) > current_date + 1) AS future_dates,
        count(*) FILTER (WHERE ltr IS NULL) AS blank_ltr,
        count(*) FILTER (WHERE ltr < 0 OR ltr > 10 OR ltr <> floor(ltr)) AS bad_ltr,
        count(*) FILTER (WHERE csat < 1 OR csat > 5) AS bad_csat,
        count(DISTINCT plan) AS plans, count(DISTINCT agent_id) AS agents
      FROM {src}""",
}


def duckdb_cmd(what: str, path: Path) -> list[str]:
    sql = " ".join(DUCKDB_QUERIES[what].format(src=_reader(path)).split())
    code = (
        "import duckdb, json, sys; con = duckdb.connect(); con.execute('SET enable_progress_bar = false'); "
        f"rows = con.execute({sql!r}).fetchall(); "
        "json.dump([[v if isinstance(v, (int, float, str)) or v is None else str(v) for v in r] for r in rows], sys.stdout)"
    )
    return [sys.executable, "-c", code]


def cx_cmd(what: str, path: Path, engine: str) -> list[str]:
    cx = str(BIN / "cx")
    eng = ["--engine", engine]
    if what == "nps":
        return [cx, "nps", str(path), "--score", "ltr", "--by", "plan", "--json", *eng]
    if what == "agents":
        return [cx, "agents", str(path), "--json", *eng]
    return [cx, "validate", "nps_surveys", str(path), "--json", *eng]


def check_counts(what: str, cx_out: str, db_out: str) -> str | None:
    """The counts cx printed against DuckDB's; a message when they differ."""
    db = json.loads(db_out)
    got = json.loads(cx_out)
    if what == "nps":
        want = {r[0]: tuple(r[1:4]) for r in db}
        have = {r["segment"]: (r["promoters"], r["passives"], r["detractors"]) for r in got["by"]}
    elif what == "agents":
        want = {r[0]: (r[1], r[2]) for r in db}
        have = {r["agent"]: (r["satisfied"], r["n"]) for r in got["agents"]}
    else:
        want = {"rows": db[0][0], "duplicates": db[0][2]}
        have = {"rows": got["rows"], "duplicates": 0 if got["valid"] else None}
    return None if have == want else f"{what}: cx counts {str(have)[:300]} differ from DuckDB's {str(want)[:300]}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000, help="rows of the big file (default 10,000,000)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each command; the fastest is judged")
    ap.add_argument("--engine", default="duckdb", choices=["auto", "duckdb", "memory"], help="cx --engine")
    ap.add_argument("--cache", type=Path, default=None, help="folder for the generated files")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--only", default="", help="run only these commands, e.g. 'validate' or 'nps,agents'")
    args = ap.parse_args(argv)
    cache = args.cache or default_cache()
    small_rows = max(1, args.rows // 10)

    t0 = time.perf_counter()
    # generated in a child process: a child's peak memory (ru_maxrss) starts from its parent's at fork,
    # so DuckDB writing ten million rows here would show in every command's peak below
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        big = pool.apply(make_files, (cache, args.rows, args.seed))
        small = pool.apply(make_files, (cache, small_rows, args.seed))
    print(
        f"files in {cache} ({time.perf_counter() - t0:.1f} s to generate or find): {args.rows:,} rows "
        f"({big[0].stat().st_size / 1e6:.0f} MB CSV, {big[1].stat().st_size / 1e6:.0f} MB Parquet) and "
        f"{small_rows:,} rows; cx --engine {args.engine}, best of {args.repeat}"
    )
    load = os.getloadavg()[0]
    busy = load > (os.cpu_count() or 1)
    print(f"load average {load:.1f} on {os.cpu_count()} cores" + (" (busy: read the CPU ratios)" if busy else ""))

    cases = [
        ("nps (CSV)", "nps", 0),
        ("nps (Parquet)", "nps", 1),
        ("agents (CSV)", "agents", 0),
        ("validate (CSV)", "validate", 0),
    ]
    if args.only:
        wanted = {w.strip() for w in args.only.split(",") if w.strip()}
        cases = [c for c in cases if c[1] in wanted]
    ok = True
    head = (
        f"{'command':16} {'cx s':>7} {'duckdb s':>8} {'time x':>6} {'cx cpu':>6} {'db cpu':>6} {'cpu x':>6} "
        f"{'cx MB':>6} {'duckdb MB':>9} {'mem x':>6}"
    )
    print(f"\n{head} {'target':>6} {'flat x':>6}  verdict")
    for label, what, fmt in cases:
        path, spath = big[fmt], small[fmt]
        db = best(duckdb_cmd(what, path), args.repeat)
        cx = best(cx_cmd(what, path, args.engine), args.repeat)
        cx_small = best(cx_cmd(what, spath, args.engine), args.repeat)
        bad = check_counts(what, cx.out, db.out)
        t_x, c_x, m_x = cx.wall / db.wall, cx.cpu / max(db.cpu, 1e-9), cx.peak_mb / db.peak_mb
        flat = cx.peak_mb / cx_small.peak_mb
        target = TARGETS[label]
        good = bad is None and t_x <= target and m_x <= target and flat <= FLAT
        ok &= good
        print(
            f"{label:16} {cx.wall:7.2f} {db.wall:8.2f} {t_x:6.2f} {cx.cpu:6.2f} {db.cpu:6.2f} {c_x:6.2f} "
            f"{cx.peak_mb:6.0f} {db.peak_mb:9.0f} "
            f"{m_x:6.2f} {target:6.1f} {flat:6.2f}  {'OK' if good else 'MISSED'}"
        )
        if bad:
            print(f"  !! {bad}")
    load_end = os.getloadavg()[0]
    print(
        f"\ntime x, mem x: cx over DuckDB (wall time, peak memory; target {', '.join(sorted({str(v) for v in TARGETS.values()}))}x); "
        f"cpu x: the same for CPU time; flat x: cx's peak memory at {args.rows:,} rows over {small_rows:,} rows "
        f"(target {FLAT}x). Load average at the end: {load_end:.1f}."
    )
    print("PASS" if ok else "FAIL: a target was missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
