"""The scan's one pass over the rows: every count it and the kept count tables need, in one query.

:func:`run_pass` settles the counts that need one example on the first rows, then runs
:func:`one_pass` (a ``GROUPING SETS`` query that only counts rows) and :func:`stage2` (the
counts, from the small table the pass keeps). See :func:`one_pass` for what is grouped how.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cxlib.data.engine._counts import Query


@dataclass
class Distinct:
    """Each column's distinct values with their row counts, from one pass (``GROUPING SETS``).

    ``table`` holds the grouped columns, ``__set`` (which grouping set a row belongs to)
    and ``__n`` (rows); ``sets`` maps a tuple of columns to its ``__set`` number. A set in
    ``partial`` (the ids of a unique column) keeps only the values written more than once;
    ``bits`` maps each row count to its flag column and bit (see :func:`_distinct`).
    """

    table: str
    sets: dict
    columns: list
    partial: set = field(default_factory=set)
    bits: dict = field(default_factory=dict)
    rows_set: tuple = ()
    flag_set: tuple = ()
    unique: set = field(default_factory=set)  # id columns proved unique before the pass (not grouped)

    def relation(self, columns: tuple) -> str:
        """The distinct rows of one grouping set, as a subquery."""
        return f"(SELECT * FROM {self.table} WHERE __set = {self.sets[tuple(columns)]})"


_tables = iter(range(1, 1 << 62))

#: Row conditions packed into one flag column (bits of an INTEGER in every dialect).
BITS_PER_FLAG = 30


def _unwrapped(cond: str) -> str:
    """``cond`` without parentheses around the whole of it (so that equal conditions compare equal)."""
    cond = cond.strip()
    while cond.startswith("(") and cond.endswith(")"):
        depth, quoted = 0, False
        for i, ch in enumerate(cond):
            if ch == "'":
                quoted = not quoted
            elif not quoted and ch == "(":
                depth += 1
            elif not quoted and ch == ")":
                depth -= 1
                if depth == 0 and i < len(cond) - 1:
                    return cond  # the first parenthesis closes before the end: not one group
        cond = cond[1:-1].strip()
    return cond


#: How :func:`cxlib.data.engine._scan_plan.skip_plain_ids` wraps a condition in its cheap guard.
_GUARD = ("CASE WHEN ", " THEN FALSE ELSE (", ") END")


def _balanced(sql: str) -> bool:
    """Whether the parentheses of ``sql`` (outside string literals) balance, never closing more than opened."""
    depth, quoted = 0, False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not quoted


def _guarded(cond: str) -> tuple[str, str] | None:
    """``(guard, rest)`` when ``cond`` is ``CASE WHEN guard THEN FALSE ELSE (rest) END`` (a guarded id count)."""
    head, sep, tail = _GUARD
    if not (cond.startswith(head) and cond.endswith(tail)):
        return None
    i = cond.find(sep)
    if i < 0:
        return None
    guard, rest = cond[len(head) : i], cond[i + len(sep) : -len(tail)]
    if "CASE" in guard.upper() or not _balanced(guard) or not _balanced(rest):
        return None
    return guard, rest


def _flag_columns(ragg: dict) -> tuple[dict[str, str], dict[str, tuple[str, int]]]:
    """The row conditions as bits of a few integer columns: (flag column -> SQL, count name -> (column, bit)).

    The counts of an id column share one cheap guard (the id is plainly written: every one
    of them is false); their bits are tested under that guard once, not once per bit.
    """
    exprs: dict[str, list[str]] = {}
    guarded: dict[tuple[str, str], list[str]] = {}
    bits: dict[str, tuple[str, int]] = {}
    placed: dict[str, tuple[str, int]] = {}
    for key, cond in ragg.items():
        cond = _unwrapped(cond)
        if cond not in placed:  # the same condition twice (a blank id is a blank and a problem): one bit
            i = len(placed)
            col, bit = placed[cond] = (f"__f{i // BITS_PER_FLAG}", 1 << (i % BITS_PER_FLAG))
            g = _guarded(cond)
            if g is None:
                exprs.setdefault(col, []).append(f"(CASE WHEN {cond} THEN {bit} ELSE 0 END)")
            else:
                exprs.setdefault(col, [])
                guarded.setdefault((col, g[0]), []).append(f"(CASE WHEN {g[1]} THEN {bit} ELSE 0 END)")
        bits[key] = placed[cond]
    for (col, guard), parts in guarded.items():
        exprs[col].append(f"(CASE WHEN {guard} THEN 0 ELSE ({' + '.join(parts)}) END)")
    return {c: " + ".join(parts) for c, parts in exprs.items()}, bits


def one_pass(q: Query, grouped: list, keep_sets: list, ragg: dict, unique_ids: list | None = None) -> Distinct:
    """One pass over the rows: every count the scan and the kept count tables need.

    The pass groups the rows by several sets of columns at once (``GROUPING SETS``), counting
    the rows of each group and nothing else:

    - each kept combination (e.g. segment and score), and each other grouped column alone:
      their distinct values, on which the column counts are taken; a column of a kept
      combination gets its distinct values from the combination (summed after the pass);
    - the flag columns: each row condition of ``ragg`` is one bit of a flag column, so
      the flags hold few distinct values and the row counts are sums over them;
    - each unique id column (``unique_ids``), grouped on a 64-bit hash of the id (a number
      is far cheaper to group than ten million distinct texts): the hashes written once are
      dropped as the pass ends, and the ids whose hash repeats, usually none, are grouped
      again exactly (:func:`_exact_ids`), so that only the ids written more than once are
      kept, as before. (:func:`run_pass` leaves out the ids that :func:`unique_by_range`
      proves unique first, more cheaply.)

    The result is small (distinct values, flag patterns and repeated ids) and is kept as a
    table for the queries that follow.
    """
    d = q.d
    combos = list(dict.fromkeys(tuple(k) for k in keep_sets if tuple(k)))
    in_combo = list(dict.fromkeys(c for k in combos for c in k))
    singles = [(c,) for c in dict.fromkeys(grouped) if c not in in_combo]
    id_sets = [(c,) for c in dict.fromkeys(unique_ids or []) if c not in in_combo and c not in grouped]
    flags, bits = _flag_columns(ragg)
    flag_set = tuple(flags)
    sets = list(dict.fromkeys(singles + combos + id_sets + ([flag_set] if flag_set else [])))
    if not singles and not combos and not flag_set:
        sets.append(())  # nothing else counts the rows
    marginals = [(c,) for c in in_combo if (c,) not in sets and (c in grouped or c in (unique_ids or []))]
    gcols = list(dict.fromkeys(c for st in sets for c in st))
    m = len(gcols)
    ids = {st: sum(1 << (m - 1 - i) for i, g in enumerate(gcols) if g not in st) for st in sets + marginals + [()]}
    rows_set = next((st for st in [flag_set, *singles, *combos, ()] if st in sets), ())
    name = f"cxdistinct{next(_tables)}"
    if gcols:
        plain = [c for c in gcols if c not in flags]
        hashed = {c for (c,) in id_sets}
        inner = ", ".join(
            [f"{d.hash(d.ident(c))} AS {d.ident(c)}" if c in hashed else d.ident(c) for c in plain]
            + [f"{e} AS {d.ident(c)}" for c, e in flags.items()]
        )
        cols = ", ".join(d.ident(c) for c in gcols)
        gsets = ", ".join("(" + ", ".join(d.ident(c) for c in st) + ")" for st in sets)
        sql = (
            f"SELECT {cols}, grouping_id({cols}) AS __set, COUNT(*) AS __n FROM (SELECT {inner} FROM {q.view}) AS r "
            f"GROUP BY GROUPING SETS ({gsets})"
        )
        if id_sets:  # an id written once is all that a unique column's values mostly are: drop them
            once = ", ".join(str(ids[st]) for st in id_sets)
            sql = f"SELECT * FROM ({sql}) AS g WHERE NOT (__set IN ({once}) AND __n = 1)"
            q.be.materialize(name + "h", sql)
            sql = _exact_ids(q, name + "h", gcols, [ids[st] for st in id_sets], [c for (c,) in id_sets])
    else:
        sql = f"SELECT {ids[()]} AS __set, COUNT(*) AS __n FROM {q.view}"
    if marginals:  # the distinct values of a kept combination's columns, from the combination
        q.be.materialize(name + "p", sql)
        parts = [f"SELECT * FROM {name}p"]
        for (c,) in marginals:
            combo = next(k for k in combos if c in k)
            sel = ", ".join(d.ident(g) if g == c else f"NULL AS {d.ident(g)}" for g in gcols)
            parts.append(
                f"SELECT {sel}, {ids[(c,)]} AS __set, SUM(__n) AS __n FROM {name}p "
                f"WHERE __set = {ids[combo]} GROUP BY {d.ident(c)}"
            )
        sql = " UNION ALL ".join(parts)
    q.be.materialize(name, sql)
    return Distinct(name, ids, gcols, partial=set(id_sets), bits=bits, rows_set=rows_set, flag_set=flag_set)


def _exact_ids(q: Query, hashed: str, gcols: list, set_ids: list, id_cols: list) -> str:
    """The pass's table with each id column's repeated hashes replaced by its repeated ids, as SQL.

    ``hashed`` holds, for each id column of ``id_cols`` (grouping set ``set_ids``), the
    hashes written more than once. Two different ids may share a hash, so the rows whose id
    has one of those hashes are read again and grouped on the id itself: only the ids
    written more than once are kept, with their row counts (the same rows as grouping on
    the ids in the pass). With no repeated hash, nothing is read again.
    """
    d = q.d
    keep = ", ".join(f"NULL AS {d.ident(g)}" if g in id_cols else d.ident(g) for g in gcols)
    parts = [f"SELECT {keep}, __set, __n FROM {hashed} WHERE __set NOT IN ({', '.join(map(str, set_ids))})"]
    for set_id, c in zip(set_ids, id_cols):
        repeated = f"(SELECT {d.ident(c)} FROM {hashed} WHERE __set = {set_id})"
        if not int(q.run(f"SELECT COUNT(*) AS n FROM {repeated} AS h").iloc[0]["n"]):
            continue
        sel = ", ".join(d.ident(g) if g == c else f"NULL AS {d.ident(g)}" for g in gcols)
        parts.append(
            f"SELECT {sel}, {set_id} AS __set, COUNT(*) AS __n FROM {q.view} "
            f"WHERE {d.hash(d.ident(c))} IN {repeated} GROUP BY {d.ident(c)} HAVING COUNT(*) > 1"
        )
    return " UNION ALL ".join(parts)


#: Rows read first to settle the counts that only need one example (e.g. "is any cell text?").
EARLY_ROWS = 2048


#: A column with at most this many distinct values in the first rows is counted on its distinct values.
FEW_VALUES = 64


def seen_early(q: Query, conds: dict[str, str], columns: tuple = ()) -> tuple[dict[str, int], dict[str, int]]:
    """Which of the row conditions ``conds`` hold on one of the first :data:`EARLY_ROWS` rows (1 each), and how
    many distinct values each of ``columns`` has there.

    For the counts that are only ever asked "is it 0?": one example settles them, and the
    pass over all rows need not test them. A column with few distinct values in the first
    rows (a score, a plan) is cheaper to test on its distinct values than on every row.
    """
    if not conds and not columns:
        return {}, {}
    d = q.d
    sel = [f"MAX(CASE WHEN {c} THEN 1 ELSE 0 END) AS {d.ident(k)}" for k, c in conds.items()]
    sel += [f"COUNT(DISTINCT {d.ident(c)}) AS {d.ident('__distinct ' + c)}" for c in columns]
    got = q.run(f"SELECT {', '.join(sel)} FROM (SELECT * FROM {q.view} LIMIT {EARLY_ROWS}) AS first_rows").iloc[0]
    seen = {k: 1 for k in conds if not pd.isna(got[k]) and int(got[k])}
    return seen, {c: int(got["__distinct " + c]) for c in columns}


def stage2(q: Query, dist: Distinct, cagg: dict, ragg: dict) -> dict[str, int]:
    """The column-level counts (on the distinct values, weighted by their counts) and the row counts (from the flags)."""
    d = q.d
    sel = [
        f"SUM(CASE WHEN __set = {dist.sets[(c,)]} AND ({cond}) THEN __n ELSE 0 END) AS {d.ident(k)}"
        for k, (c, cond) in cagg.items()
    ]
    sel.append(f"SUM(CASE WHEN __set = {dist.sets[dist.rows_set]} THEN __n ELSE 0 END) AS {d.ident('__rows')}")
    if dist.bits:
        fset = dist.sets[dist.flag_set]
        sel += [
            f"SUM(CASE WHEN __set = {fset} AND ({d.ident(col)} & {bit}) <> 0 THEN __n ELSE 0 END) AS {d.ident(k)}"
            for k, (col, bit) in dist.bits.items()
        ]
    got = q.run(f"SELECT {', '.join(sel)} FROM {dist.table}").iloc[0]
    return {k: int(0 if pd.isna(v) else v) for k, v in got.items()}


def run_pass(q: Query, plan: Any, text_mode: bool) -> tuple[Distinct, dict[str, int]]:
    """The pass of a scan planned by :func:`~cxlib.data.engine._scan_plan.plan_pass`: (its table, the counts).

    "Is any cell of this column text?" needs one example: the first rows often settle it, and
    then the pass does not test it (in a CSV that is not comma-separated every text column is
    converted, so it is not asked).
    """
    ragg = plan.ragg
    for c0, _cl in plan.extra_spec:
        if text_mode:
            ragg.pop(f"{c0}|x_cnum", None)
    early = {f"{c0}|x_cnum": ragg[f"{c0}|x_cnum"] for c0, _cl in plan.extra_spec if f"{c0}|x_cnum" in ragg}
    early.update({f"{c0}|x_bad": cl.bad for c0, cl in plan.extra_spec})
    pending = tuple(c0 for c0, _cl in plan.extra_spec if f"{c0}|x_cnum" in ragg)
    seen, distinct = seen_early(q, early, pending)
    for k in seen:
        ragg.pop(k, None)
    grouped = list(plan.grouped)
    for c0 in pending:  # still open, and few values: tested on the distinct values (one more grouping set)
        if f"{c0}|x_cnum" in ragg and distinct[c0] <= FEW_VALUES:
            plan.cagg[f"{c0}|x_cnum"] = (c0, ragg.pop(f"{c0}|x_cnum"))
            grouped.append(c0)
    proved = {c for c in plan.unique_ids if unique_by_range(q, c)}
    dist = one_pass(q, grouped, plan.keep_sets, ragg, [c for c in plan.unique_ids if c not in proved])
    dist.unique = proved
    counts = stage2(q, dist, plan.cagg, ragg)
    counts.update(seen)
    return dist, counts


#: The widest range of whole-number ids :func:`unique_by_range` marks in one bit string (16 MB).
RANGE_BITS = 1 << 27


def unique_by_range(q: Query, column: str) -> bool:
    """Whether every id of the column is written once, proved without grouping the ids.

    Grouping ten million distinct ids (what finding the repeated ones takes) holds a table of
    them all: 0.3 s and 150 MB for five million. Ids that are whole numbers in a narrow range
    (a typed column of a Parquet file or a database: 1, 2, 3, ...) are proved unique far more
    cheaply: the minimum, maximum and count (a Parquet file's statistics hold them), then one
    bit per possible id, set for each id met (DuckDB's ``bitstring_agg``): the ids are all
    different exactly when as many bits are set as there are ids. Text ids of one shape, a
    prefix and a fixed length (``R000000001``), are numbers in disguise: the same proof runs on
    the number after the prefix (:func:`_digits_cover`). A CSV file is not tried (reading a
    column again means parsing the whole file again). When the proof fails, or the column is
    another kind of text, the range too wide or the backend not DuckDB, the answer is False
    and the pass groups the ids as before (and names the repeated ones).
    """
    if q.be.name != "duckdb":
        return False
    if q.types.get(column) == "int":
        c = q.d.ident(column)
        got = q.run(f"SELECT MIN({c}) AS lo, MAX({c}) AS hi, COUNT({c}) AS n FROM {q.view}").iloc[0]
        n = int(got["n"])
        return n <= 1 or _bits_cover(q, c, int(got["lo"]), int(got["hi"]), n)
    if q.types.get(column) == "text" and q.src.kind != "csv":
        return _digits_cover(q, column)
    return False


def _bits_cover(q: Query, column: str, lo: int, hi: int, n: int) -> bool:
    """Whether the ``n`` whole numbers of ``column``, from ``lo`` to ``hi``, are all different."""
    if not _narrow(lo, hi, n):
        return False
    bits = f"bit_count(bitstring_agg(CAST({column} - {lo} AS BIGINT), 0, {hi - lo}))"
    return int(q.run(f"SELECT {bits} AS set_bits FROM {q.view}").iloc[0]["set_bits"]) == n


def _narrow(lo: int, hi: int, n: int) -> bool:
    """Whether ``n`` ids from ``lo`` to ``hi`` may all differ, in few enough bits to be worth it.

    At most :data:`RANGE_BITS` bits, and at most 64 a row (or 65,536 in all): two ids a billion
    apart are cheaper to group than to mark in a billion bits.
    """
    span = hi - lo + 1
    return n <= span <= min(RANGE_BITS, max(64 * n, 1 << 16))


def _digits_cover(q: Query, column: str) -> bool:
    """Whether text ids of one shape (a fixed prefix and length, then a whole number) are all different.

    Each id of the smallest one's length and prefix is read as a number after the prefix;
    proved when every id gives a number within the range the smallest and the largest id give,
    and no two give the same. Any id that does not (another shape, a Persian digit, a space),
    or two that meet, send the check back to grouping. Two ids that the reader's cleaning would
    make equal either do not read as numbers or read as the same number, so they are never
    proved different.
    """
    d, c = q.d, q.d.ident(column)
    got = q.run(f"SELECT MIN({c}) AS lo, MAX({c}) AS hi, COUNT({c}) AS n FROM {q.view}").iloc[0]  # statistics
    if int(got["n"]) <= 1:
        return True  # one id at most
    lo, hi = str(got["lo"]), str(got["hi"])
    prefix = lo.rstrip("0123456789")
    digits_lo, digits_hi = lo[len(prefix) :], hi[len(prefix) :]
    if not (
        0 < len(digits_lo) <= 18
        and len(hi) == len(lo)
        and hi.startswith(prefix)
        and digits_hi.isascii()
        and digits_hi.isdigit()
    ):
        return False
    first, last = int(digits_lo), int(digits_hi)
    if not _narrow(first, last, int(got["n"])):
        return False
    key = f"CASE WHEN length({c}) = {len(lo)} AND starts_with({c}, {d.string(prefix)}) THEN TRY_CAST(substr({c}, {len(prefix) + 1}) AS BIGINT) END"
    inside = f"__k BETWEEN {first} AND {last}"
    got = q.run(
        f"SELECT COUNT(__id) AS n, COUNT(*) FILTER (WHERE {inside}) AS inside, "
        f"bit_count(bitstring_agg(CASE WHEN {inside} THEN __k - {first} END, 0, {last - first})) AS set_bits "
        f"FROM (SELECT {c} AS __id, {key} AS __k FROM {q.view}) AS ids"
    ).iloc[0]
    n = int(got["n"])
    return int(got["inside"]) == n and int(got["set_bits"]) == n
