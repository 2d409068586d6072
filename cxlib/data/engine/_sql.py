"""The SQL the engine writes, with the few places where DuckDB and Spark SQL differ.

Every query is built from these helpers, so the same aggregation runs on both
backends: identifiers are quoted with the dialect's quote, string literals are
escaped for it (Spark SQL also treats the backslash as an escape), a full regular-
expression match and a "cast or NULL" are spelled per dialect. Everything else is
standard SQL (``CASE``, ``SUM``, ``COUNT``, ``GROUP BY``, ``CAST``), which any
warehouse runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: White space, as Python's ``str.strip()`` sees it (the in-memory reader's): the ASCII six first,
#: then the separators of other scripts (no-break and narrow spaces, the ideographic space, ...).
WHITE = " \t\n\r\x0b\x0c" + "".join(
    c for c in map(chr, range(0x1C, 0x3001)) if c.isspace() and c not in " \t\n\r\x0b\x0c"
)


@dataclass(frozen=True)
class Dialect:
    """How one SQL engine spells identifiers, strings, regular expressions and safe casts."""

    name: str
    quote: str
    backslash_escapes: bool = False

    def ident(self, name: str) -> str:
        """A quoted identifier (``"Q1 Likelihood"`` or ```Q1 Likelihood```)."""
        q = self.quote
        return q + str(name).replace(q, q + q) + q

    def string(self, text: str) -> str:
        """A string literal."""
        s = str(text)
        if self.backslash_escapes:
            s = s.replace("\\", "\\\\")
        return "'" + s.replace("'", "''") + "'"

    def strings(self, values: Iterable[str]) -> str:
        """A parenthesised list of string literals, for ``IN``."""
        return "(" + ", ".join(self.string(v) for v in sorted(values)) + ")"

    def full_match(self, expr: str, pattern: str) -> str:
        """True when the whole of ``expr`` matches the regular expression ``pattern``."""
        if self.name == "duckdb":
            return f"regexp_full_match({expr}, {self.string(pattern)})"
        return f"({expr} RLIKE {self.string('^(?:' + pattern + ')$')})"

    def contains(self, expr: str, pattern: str) -> str:
        """True when ``expr`` contains a match of ``pattern``."""
        if self.name == "duckdb":
            return f"regexp_matches({expr}, {self.string(pattern)})"
        return f"({expr} RLIKE {self.string(pattern)})"

    def try_double(self, expr: str) -> str:
        """``expr`` as a double, NULL when it is not a number."""
        return f"TRY_CAST({expr} AS DOUBLE)"

    def try_timestamp(self, expr: str) -> str:
        """``expr`` as a timestamp, NULL when it is not one."""
        if self.name == "spark":
            return f"try_to_timestamp({expr})"
        return f"TRY_CAST({expr} AS TIMESTAMP)"

    def _white_at(self, expr: str, end: str) -> str:
        """SQL: the character at the ``end`` ("left" or "right") of ``expr`` is white space (:data:`WHITE`).

        One cheap test for most cells (ASCII); the list is searched only for a character past ASCII.
        """
        char = f"{end}({expr}, 1)"
        code = f"ord({expr})" if end == "left" else f"ord({char})"
        return f"({code} <= 32 OR ({code} > 127 AND instr({self.string(WHITE[6:])}, {char}) > 0))"

    def strip(self, expr: str, *, costly: bool = False) -> str:
        """``expr`` without white space at either end: what Python's ``str.strip()`` removes (:data:`WHITE`).

        ``costly``: ``expr`` is dear to compute (a chain of ``translate``), so it is written
        once and always trimmed, rather than tested first and written four times.
        """
        chars = self.string(WHITE)
        if self.name == "spark":
            return f"trim(BOTH {chars} FROM {expr})"
        if costly:
            return f"trim({expr}, {chars})"
        # DuckDB's trim with a set of characters costs about 0.5 s per million cells; most cells
        # neither start nor end with white space, and they are returned as they are
        ends = f"{self._white_at(expr, 'left')} OR {self._white_at(expr, 'right')}"
        return f"(CASE WHEN {ends} THEN trim({expr}, {chars}) ELSE {expr} END)"

    def is_blank(self, expr: str) -> str:
        """True when ``expr`` is NULL or holds only white space (``strip(expr) = ''``)."""
        if self.name == "spark":
            return f"({expr} IS NULL OR {self.strip(expr)} = '')"
        # a cell of white space starts with white space (ord('') is -1): one cheap test per cell
        chars = self.string(WHITE)
        return (
            f"(CASE WHEN {expr} IS NULL THEN TRUE WHEN {self._white_at(expr, 'left')} "
            f"THEN trim({expr}, {chars}) = '' ELSE FALSE END)"
        )

    def plain_text(self, expr: str, longer_than: int) -> str:
        """True when ``expr`` is ASCII, longer than ``longer_than`` bytes and has no white space at either end."""
        n = self.byte_length(expr)
        if self.name == "spark":
            first, last = f"ascii({expr})", f"ascii(substring({expr}, -1, 1))"
        else:
            first, last = f"ord({expr})", f"ord(right({expr}, 1))"
        return (
            f"({expr} IS NOT NULL AND {n} > {int(longer_than)} AND {n} = length({expr}) AND {first} > 32 "
            f"AND {last} > 32)"
        )

    def byte_length(self, expr: str) -> str:
        """The length of ``expr`` in bytes (UTF-8)."""
        return f"octet_length({expr})" if self.name == "spark" else f"strlen({expr})"

    def is_ascii(self, expr: str) -> str:
        """True when ``expr`` holds only ASCII characters (bytes = characters): the fast path of the cleaning."""
        if self.name == "spark":
            return f"(octet_length({expr}) = length({expr}))"
        return f"(strlen({expr}) = length({expr}))"

    def month_start(self, expr: str, unit: str) -> str:
        """The first instant of ``expr``'s day, week, month, quarter or year."""
        return f"CAST(date_trunc({self.string(unit)}, {expr}) AS DATE)"

    def hash(self, expr: str) -> str:
        """A 64-bit hash of ``expr`` (equal values, equal hashes; NULL hashes too), to group on instead of long text."""
        return f"xxhash64({expr})" if self.name == "spark" else f"hash({expr})"

    def let(self, expr: str, body: str) -> str:
        """``body`` with ``{x}`` standing for ``expr``, which is computed once (SQL has no variables: a one-item list).

        For an expression dear to compute that a test and a result both need (the cleaning
        of a Persian id: a chain of translations).

        >>> DUCKDB.let("trim(c)", "CASE WHEN {x} = '' THEN NULL ELSE {x} END")
        "list_transform([trim(c)], lambda __x: CASE WHEN __x = '' THEN NULL ELSE __x END)[1]"
        """
        filled = body.replace("{x}", "__x")
        if self.name == "spark":
            return f"element_at(transform(array({expr}), __x -> {filled}), 1)"
        return f"list_transform([{expr}], lambda __x: {filled})[1]"

    def text(self, expr: str) -> str:
        """``expr`` as text."""
        return f"CAST({expr} AS {'STRING' if self.name == 'spark' else 'VARCHAR'})"


DUCKDB = Dialect("duckdb", '"')
SPARK = Dialect("spark", "`", backslash_escapes=True)
DIALECTS = {"duckdb": DUCKDB, "spark": SPARK}


def case_sum(condition: str, value: str = "1") -> str:
    """``SUM(CASE WHEN condition THEN value ELSE 0 END)``: a count (or a sum) of the rows where it holds."""
    return f"SUM(CASE WHEN {condition} THEN {value} ELSE 0 END)"
