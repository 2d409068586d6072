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
    - each unique id column (``unique_ids``), grouped on a key of the id (:func:`id_key`: a
      number is far cheaper to group than ten million distinct texts): ids that are numbers
      (``R000000001``, ``1234``) by blocks of :data:`BLOCK` numbers with a bit for each id met, any
      other id on a 64-bit hash. A hash written once, or a block with as many bits set as
      rows, holds no repeat and is dropped as the pass ends; the ids of the others, usually
      none, are grouped again exactly (:func:`_exact_ids`), so that only the ids written
      more than once are kept.

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
        keys = {c: id_key(q, c) for (c,) in id_sets}
        inner = ", ".join(
            [f"{keys[c].key} AS {d.ident(c)}" if c in keys else d.ident(c) for c in plain]
            + [f"{e} AS {d.ident(c)}" for c, e in flags.items()]
            + [f"{k.bit} AS {d.ident('__bit ' + c)}" for c, k in keys.items() if k.bit]
        )
        cols = ", ".join(d.ident(c) for c in gcols)
        gsets = ", ".join("(" + ", ".join(d.ident(c) for c in st) + ")" for st in sets)
        bits_agg = "".join(
            f", BIT_OR({d.ident('__bit ' + c)}) AS {d.ident('__bits ' + c)}" for c, k in keys.items() if k.bit
        )
        sql = (
            f"SELECT {cols}, grouping_id({cols}) AS __set, COUNT(*) AS __n{bits_agg} FROM (SELECT {inner} FROM {q.view}) AS r "
            f"GROUP BY GROUPING SETS ({gsets})"
        )
        if id_sets:  # an id written once is all that a unique column's values mostly are: drop them
            clean = " OR ".join(
                f"(__set = {ids[(c,)]} AND {k.no_repeat(d.ident(c), d.ident('__bits ' + c))})" for c, k in keys.items()
            )
            sql = f"SELECT * FROM ({sql}) AS g WHERE NOT ({clean})"
            q.be.materialize(name + "h", sql)
            sql = _exact_ids(q, name + "h", gcols, [ids[st] for st in id_sets], keys)
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


def _exact_ids(q: Query, hashed: str, gcols: list, set_ids: list, keys: dict[str, IdKey]) -> str:
    """The pass's table with each id column's suspect keys replaced by its repeated ids, as SQL.

    ``hashed`` holds, for each id column of ``keys`` (grouping set ``set_ids``), the keys
    that may hide a repeat: hashes written more than once, blocks with fewer bits than rows.
    Two different ids may share a hash (or read as the same number), so the rows whose id
    has one of those keys are read again and grouped on the id itself: only the ids written
    more than once are kept, with their row counts (the same rows as grouping on the ids in
    the pass). With no suspect key, nothing is read again.
    """
    d = q.d
    keep = ", ".join(f"NULL AS {d.ident(g)}" if g in keys else d.ident(g) for g in gcols)
    parts = [f"SELECT {keep}, __set, __n FROM {hashed} WHERE __set NOT IN ({', '.join(map(str, set_ids))})"]
    for set_id, (c, k) in zip(set_ids, keys.items()):
        repeated = f"(SELECT {d.ident(c)} FROM {hashed} WHERE __set = {set_id})"
        if not int(q.run(f"SELECT COUNT(*) AS n FROM {repeated} AS h").iloc[0]["n"]):
            continue
        sel = ", ".join(d.ident(g) if g == c else f"NULL AS {d.ident(g)}" for g in gcols)
        parts.append(
            f"SELECT {sel}, {set_id} AS __set, COUNT(*) AS __n FROM {q.view} "
            f"WHERE {k.key} IN {repeated} GROUP BY {d.ident(c)} HAVING COUNT(*) > 1"
        )
    return " UNION ALL ".join(parts)


#: Ids of one shape are grouped by blocks of this many consecutive numbers (the bits of a 64-bit integer).
BLOCK = 64

#: The top bit of a 64-bit key: set on a hashed id's key, so that no hash equals a block's number.
_HASHED = 1 << 63


@dataclass
class IdKey:
    """What the pass groups an id column on (see :func:`id_key`).

    ``key`` is SQL for the id's group: its block's number for an id of the column's shape,
    its hash (top bit set) for any other. ``bit`` is SQL for the id's bit in its block (0
    for a hashed id), or None when every id is hashed.
    """

    key: str
    bit: str | None = None

    def no_repeat(self, key: str, bits: str) -> str:
        """SQL: the pass's group of ``key`` (with ``bits``, the OR of its ids' bits) holds no repeated id."""
        if self.bit is None:
            return "__n = 1"
        return f"(__n = 1 OR ({key} < CAST({_HASHED} AS UBIGINT) AND bit_count({bits}) = __n))"


def id_key(q: Query, column: str) -> IdKey:
    """How the pass groups the ids of ``column``, a unique id column, to find the repeated ones.

    Grouping ten million distinct ids on their hashes holds a table of ten million groups
    (about 0.65 s and hundreds of MB for a CSV file of ten million rows). Most ids are
    whole numbers (a typed column of a Parquet file or a table), or numbers behind a prefix
    in text (``R000000001``, ``10234``; the commonest prefix of the first rows is taken):
    such an id is its number in disguise, so the pass groups the ids by blocks of
    :data:`BLOCK` numbers and sets, in each block, one bit per id met. A block with as many
    bits set as rows holds no repeat; only the others are checked again on the ids
    themselves (:func:`_exact_ids`), which also settles two different ids that read as one
    number (``R01`` and ``R1``). Ten million consecutive ids make 156,250 blocks (the
    check takes about 0.15 s). Ids that are not such a number (below zero, a uuid) are
    hashed, as are all the ids of a text column whose first rows hold none, of a column of
    another type, and on Spark.

    Examples
    --------
    >>> import pandas as pd
    >>> q = Query(pd.DataFrame({"response_id": ["R001", "R002", "R002", "x"]}), engine="duckdb")
    >>> k = id_key(q, "response_id")
    >>> q.run(f"SELECT {k.key} AS key, {k.bit} AS bit FROM {q.view}")["bit"].tolist()
    [2, 4, 4, 0]
    """
    d, c = q.d, q.d.ident(column)
    hashed = IdKey(d.hash(c))
    if q.be.name != "duckdb" or q.types.get(column) not in ("int", "text"):
        return hashed
    number = c
    if q.types[column] == "text":
        shape = d.string("^([^0-9]*)[0-9]{1,18}$")
        got = q.run(
            f"SELECT regexp_extract(__id, {shape}, 1) AS prefix, COUNT(*) AS n "
            f"FROM (SELECT {c} AS __id FROM {q.view} LIMIT {EARLY_ROWS}) AS first_rows "
            f"WHERE regexp_matches(__id, {shape}) GROUP BY prefix ORDER BY n DESC, prefix LIMIT 1"
        )
        if got.empty:
            return hashed
        prefix = str(got.iloc[0]["prefix"])
        number = f"(CASE WHEN starts_with({c}, {d.string(prefix)}) THEN TRY_CAST(substr({c}, {len(prefix) + 1}) AS BIGINT) END)"
    top = f"CAST({_HASHED} AS UBIGINT)"
    inside = f"{number} BETWEEN 0 AND {_HASHED - 1}"
    return IdKey(
        key=f"(CASE WHEN {inside} THEN CAST({number} // {BLOCK} AS UBIGINT) ELSE {d.hash(c)} | {top} END)",
        bit=f"(CASE WHEN {inside} THEN CAST(1 AS UBIGINT) << CAST({number} % {BLOCK} AS UBIGINT) ELSE CAST(0 AS UBIGINT) END)",
    )


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
    dist = one_pass(q, grouped, plan.keep_sets, ragg, plan.unique_ids)
    counts = stage2(q, dist, plan.cagg, ragg)
    counts.update(seen)
    return dist, counts
