"""Which file column is which schema column: matching, mapping, duplicates."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from cxlib.data._spec import get_spec
from cxlib.data.io._text import clean_header, header_key
from cxlib.errors import Problem, ValidationError

#: The problem kind of a required column the file lacks (a misspelling hint may follow in parentheses).
MISSING = "missing column"
#: The ending of the problem kind of a column named by the analyst (a mapping or an option) that the file lacks.
NOT_FOUND = "not found in the file"


def is_absent_column(p: Problem, *, named_only: bool = False) -> bool:
    """Whether ``p`` says that a column the analysis needs is not in the file.

    Parameters
    ----------
    p : Problem
        A problem from :func:`resolve`.
    named_only : bool
        Only a column the analyst named (mapped with ``--column`` or given by an option).

    Returns
    -------
    bool
        True for a missing column (or, with ``named_only``, a named one not found).

    Examples
    --------
    >>> is_absent_column(Problem("column 'Q1' not found in the file", column="ltr"))
    True
    >>> is_absent_column(Problem("missing column", column="ltr"), named_only=True)
    False
    """
    return p.kind.endswith(NOT_FOUND) or (not named_only and p.kind.startswith(MISSING))


def column_letter(i: int) -> str:
    """Spreadsheet letter of a 0-based column position (0 -> A, 26 -> AA)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def kept_as_file(column: str, used_as: str, rep: Any) -> str:
    """The name a file column keeps when it is named like a schema column that ``used_as`` (another file
    column) was mapped onto: ``'<name> (file)'``, said in a note of ``rep`` (both readers call it).

    Examples
    --------
    >>> from cxlib.data.io import ReadReport
    >>> rep = ReadReport("s.csv", "nps_surveys")
    >>> kept_as_file("plan", "plan_type", rep), rep.notes
    ('plan (file)', ["the file's column 'plan' was kept as 'plan (file)' because 'plan_type' is used as 'plan'"])
    """
    rep.notes.append(
        f"the file's column '{column}' was kept as '{column} (file)' because '{used_as}' is used as '{column}'"
    )
    return f"{column} (file)"


def case_twins(names: Sequence[str]) -> list[str]:
    """The column names that another name repeats but for case (``Plan`` and ``plan``; a name
    written twice alike is a duplicate header, not a twin): DuckDB, whose identifiers ignore
    case, cannot tell such columns apart.

    Examples
    --------
    >>> case_twins(["Plan", "ltr", "plan", "LTR ", "id", "id"])
    ['Plan', 'plan']
    """
    spellings: dict[str, set[str]] = {}
    for n in map(str, names):
        spellings.setdefault(n.casefold(), set()).add(n)
    return [n for n in map(str, names) if len(spellings[n.casefold()]) > 1]


def duplicate_headers(raw: Sequence[Any], cleaned: Sequence[str]) -> list[Problem]:
    """Two columns with the same name (also once spaces and invisible marks are trimmed)."""
    seen: dict[str, list[int]] = {}
    for i, name in enumerate(cleaned):
        if name and not name.startswith("Unnamed: "):
            seen.setdefault(name, []).append(i)
    problems = []
    for name, where in seen.items():
        if len(where) < 2:
            continue
        spelled = [f"column {column_letter(i)} {str(raw[i])!r}" for i in where]
        problems.append(
            Problem(
                "duplicate column name",
                column=name,
                values=tuple(spelled),
                fix=f"{' and '.join(spelled)} have the same name{' once spaces are trimmed' if len({str(raw[i]) for i in where}) > 1 else ''}: "
                "a table needs one column per name. Rename or delete one of them in the file "
                "and export it again.",
            )
        )
    return problems


def relabel(problem: Problem, mapping: Mapping[str, str] | None) -> Problem:
    """Name a mapped column as the analyst knows it: ``'Q1 Score (as ltr)'``."""
    col = problem.column
    if mapping and col is not None and col in mapping and mapping[col] != col:
        return dataclasses.replace(problem, column=f"{mapping[col]} (as {col})")
    return problem


def with_options(err: ValidationError, options: Mapping[str, str]) -> ValidationError:
    """The same error, its advice naming a command's own option (``--score``) instead of ``--column ltr=``.

    Parameters
    ----------
    err : ValidationError
        An error from reading a table (its ``report``, when it has one, is kept).
    options : mapping
        Schema column -> the option of the command that names it, e.g. ``{"ltr": "--score"}``.

    Returns
    -------
    ValidationError
        The same problems; those about a column the command names with its own option say so.

    Examples
    --------
    >>> p = Problem("column 'Q1' not found in the file", column="ltr",
    ...             fix="The file's columns are: 'a'. Fix the name in --column ltr=... (columns={'ltr': ...} in Python).")
    >>> with_options(ValidationError([p], source="s.csv"), {"ltr": "--score"}).problems[0].fix
    "The file's columns are: 'a'. Give the right name with --score."
    """
    problems = []
    for problem in err.problems:
        option = options.get(problem.column or "")
        marker = f" Fix the name in --column {problem.column}="
        if option and problem.fix and marker in problem.fix:
            head, _, tail = problem.fix.partition(marker)
            end = tail.find(" in Python).")
            rest = tail[end + len(" in Python).") :] if end >= 0 else ""  # advice after that sentence is kept
            problem = dataclasses.replace(problem, fix=f"{head} Give the right name with {option}.{rest}")
        problems.append(problem)
    new = ValidationError(problems, source=err.source, note=err.note)
    if hasattr(err, "report"):
        new.report = err.report  # type: ignore[attr-defined]
    return new


def _unknown_names(kind: str, columns: dict, require: Sequence[str], only: Sequence[str]) -> list[Problem]:
    schema = get_spec(kind)
    names = list(schema.columns)
    problems = []
    for name in dict.fromkeys([*columns, *require, *only]):  # a name given twice (mapped and required) once
        if name not in schema.columns:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            problems.append(
                Problem(
                    f"'{name}' is not a column of the '{kind}' schema",
                    column=name,
                    fix=f"Schema columns are: {', '.join(names)}.{hint} Map columns "
                    "with --column SCHEMA=FILECOLUMN (columns={'<schema column>': "
                    "'<your column>'} in Python).",
                )
            )
            columns.pop(name, None)
    return problems


def _match(names: list[str], file_cols: list[str], columns: dict) -> tuple[dict[str, str], list[Problem]]:
    """Schema -> file column, by the mapping given or by name; ambiguous names are problems."""
    by_exact = {c: c for c in file_cols}
    by_key: dict[str, list[str]] = {}
    for c in file_cols:
        by_key.setdefault(header_key(c), []).append(c)
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    listing = ", ".join(repr(c) for c in file_cols) or "(none)"
    for name in names:
        if name in columns:
            want = clean_header(columns[name])
            found = by_exact.get(want) or next(iter(by_key.get(header_key(want)) or []), None)
            if found is None:
                close = difflib.get_close_matches(want, file_cols, n=3, cutoff=0.6)
                hint = f" Close matches: {', '.join(map(repr, close))}." if close else ""
                problems.append(
                    Problem(
                        f"column '{want}' {NOT_FOUND}",
                        column=name,
                        fix=f"The file's columns are: {listing}.{hint} Fix the name in "
                        f"--column {name}=... (columns={{'{name}': ...}} in Python).",
                    )
                )
                continue
            mapping[name] = found
        elif header_key(name) in by_key:
            hits = by_key[header_key(name)]
            if len(hits) > 1 and not any(h == name for h in hits):
                problems.append(
                    Problem(
                        f"{len(hits)} columns match '{name}'",
                        column=name,
                        values=tuple(hits),
                        fix=f"{' and '.join(map(repr, hits))} both read as '{name}'. Say which one with "
                        f"--column {name}='{hits[0]}' (columns={{'{name}': '{hits[0]}'}} in Python), "
                        "or rename the other.",
                    )
                )
                continue
            mapping[name] = name if name in hits else hits[0]
    _match_run_together(names, file_cols, columns, mapping, problems)
    return mapping, problems


def _match_run_together(names: list[str], file_cols: list[str], columns: dict, mapping: dict, problems: list) -> None:
    """Schema columns still unmatched, matched to a file column whose words run together (``ResponseId``).

    Only a file column that no other schema column took, and that is the only one written
    so, is matched; the report lists it among the renamed columns.
    """
    taken = set(mapping.values())
    by_joined: dict[str, list[str]] = {}
    for c in file_cols:
        if c not in taken:
            by_joined.setdefault(_joined(c), []).append(c)
    reported = {p.column for p in problems}
    for name in names:
        if name in mapping or name in columns or name in reported:
            continue
        hits = by_joined.get(_joined(name), [])
        if len(hits) == 1:
            mapping[name] = hits[0]


def _words(name: str) -> list[str]:
    """The words of a header: letters and digits, '%' read as 'pct' (``Switch discount %``)."""
    return re.findall(r"[^\W_]+", header_key(name).replace("%", "_pct_"))


def _joined(name: str) -> str:
    """A header's words run together (``ResponseId`` and ``response_id`` both give ``responseid``)."""
    return "".join(_words(name))


def _same_word(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 3 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.75)


def id_like(names: Sequence[str]) -> list[str]:
    """The names among ``names`` that look like a column of ids (the last word "id", or the Persian "شناسه").

    A file read without its response id cannot show that an answer was exported twice; a
    column named like an id may be the one to map.

    Parameters
    ----------
    names : sequence of str
        Column names, as in the file.

    Returns
    -------
    list of str
        The id-like names, in the file's order.

    Examples
    --------
    >>> id_like(["Survey ID", "RespondentId", "record_id", "paid", "Date", "شناسه پاسخ", "responseid"])
    ['Survey ID', 'RespondentId', 'record_id', 'شناسه پاسخ', 'responseid']
    """
    out = []
    for name in names:
        words = _words(name)
        if (
            (words and words[-1] == "id")
            or "شناسه" in words
            or re.search(r"[a-z](Id|ID)$", str(name).strip())
            or _joined(name).endswith(_RUN_TOGETHER_IDS)
        ):
            out.append(name)
    return out


#: Id columns written in one lower-case word ("responseid"), where the last word cannot be told apart.
_RUN_TOGETHER_IDS = ("responseid", "respondentid", "recordid", "surveyid", "answerid", "submissionid", "ticketid")


def misspellings(name: str, candidates: Sequence[str], n: int = 3) -> list[str]:
    """The columns among ``candidates`` that look like ``name`` misspelt, closest first.

    A column looks misspelt when its words (letters and digits; separators, case and
    symbols ignored) are the schema column's words, each equal or, for words of three
    letters or more, close (``difflib`` ratio 0.75 or more), or when it adds words after
    two or more such words (``Response ID (text)``): ``Responce ID`` for ``response_id``,
    but not ``Response date`` (another word, not a typo).

    Parameters
    ----------
    name : str
        The column looked for (a schema column).
    candidates : sequence of str
        The file's columns not matched yet.
    n : int
        At most this many.

    Returns
    -------
    list of str
        The candidates that look like misspellings of ``name``.

    Examples
    --------
    >>> misspellings("response_id", ["Response date", "Responce ID", "ltr"])
    ['Responce ID']
    >>> misspellings("survey_date", ["SurveyDate", "survey"])
    ['SurveyDate']
    >>> misspellings("switch_discount_pct", ["Switch discount %"])
    ['Switch discount %']
    """
    want, joined = _words(name), _joined(name)
    scored = []
    for c in candidates:
        words = _words(c)
        if not words:
            continue
        short = min(len(words), len(want))
        same = "".join(words) == joined or (
            (len(words) == len(want) or short >= 2) and all(_same_word(a, b) for a, b in zip(want, words))
        )
        if same:
            scored.append((-difflib.SequenceMatcher(None, joined, "".join(words)).ratio(), c))
    return [c for _, c in sorted(scored, key=lambda t: t[0])[:n]]


def resolve(
    file_cols: list[str],
    kind: str,
    columns: Mapping[str, str] | None,
    require: Sequence[str] | None,
    rep: Any,
    only: Sequence[str] | None = None,
) -> tuple[dict, list[Problem]]:
    """Map schema columns onto file columns. Returns (schema -> file column, problems)."""
    schema = get_spec(kind)
    names = list(schema.columns)
    base = set(only) if only is not None else {n for n, c in schema.columns.items() if c.required}
    required = base | set(require or ())
    columns = dict(columns or {})
    problems = _unknown_names(kind, columns, require or (), only or ())
    mapping, found = _match(names, file_cols, columns)
    problems += found
    listing = ", ".join(repr(c) for c in file_cols) or "(none)"
    unused = [c for c in file_cols if c not in set(mapping.values())]
    ambiguous = {p.column for p in found}
    for name in names:
        if name in mapping or name in columns or name in ambiguous:
            continue
        close_cols = misspellings(name, unused)
        if name in required:
            kind_ = f"{MISSING} (the file's '{close_cols[0]}' looks like a misspelling)" if close_cols else MISSING
            hint = f" Did you mean {' or '.join(map(repr, close_cols))}?" if close_cols else ""
            example = close_cols[0] if close_cols else "<your column>"
            problems.append(
                Problem(
                    kind_,
                    column=name,
                    fix=f"The file's columns are: {listing}.{hint} Rename the column to '{name}' or map "
                    f"it: --column {name}='{example}' (columns={{'{name}': '{example}'}} in Python).",
                )
            )
        else:
            rep.missing_optional.append(name)
            if close_cols:
                rep.notes.append(
                    f"column '{close_cols[0]}' looks like the optional column '{name}'; it "
                    f"is kept but not validated (map it with --column {name}="
                    f"'{close_cols[0]}' to validate it)"
                )
    rep.renamed = {f: s for s, f in mapping.items() if f != s}
    rep.extra_columns = [c for c in file_cols if c not in set(mapping.values())]
    return mapping, problems


#: Rows below the header searched for the real header when columns are missing.
HEADER_SEARCH_ROWS = 30


def filled_cells(cells: Sequence[Any]) -> list[str]:
    """The cells of a row that hold something, trimmed (a missing value, None or NaN, holds nothing).

    Examples
    --------
    >>> import pandas as pd
    >>> filled_cells(["  a ", None, float("nan"), pd.NA, pd.NaT, "", 3])
    ['a', '3']
    """
    return [str(v).strip() for v in cells if not blank_cell(v)]


def blank_cell(v: Any) -> bool:
    """Whether a cell holds nothing: None, NaN (of any float type), pandas' NA and NaT, NumPy's NaT,
    or text of spaces only (without importing pandas).

    Examples
    --------
    >>> import numpy as np
    >>> [blank_cell(v) for v in (None, " ", np.float32("nan"), np.datetime64("NaT"), 0, "x")]
    [True, True, True, True, False, False]
    """
    if v is None or type(v).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(v, str):
        return not v.strip()
    try:
        return bool(v != v)  # NaN and NumPy's NaT are not equal to themselves
    except (TypeError, ValueError):
        return False


def _header_like(cells: Sequence[Any]) -> bool:
    """Two or more filled cells, at most half of them numbers: a header row rather than data."""
    filled = filled_cells(cells)
    numbers = sum(bool(re.fullmatch(r"[-+]?[\d.,/: ]+", v)) for v in filled)
    return len(filled) >= 2 and numbers * 2 <= len(filled)


def _header_by_names(splits: Sequence[Sequence[Sequence[Any]]], wanted: set) -> int | None:
    """The first row below the header (1 = the next) that names every ``wanted`` column, under some split."""
    for k in range(1, HEADER_SEARCH_ROWS + 1):
        for rows in splits:
            if k < len(rows) and wanted <= {header_key(clean_header(v)) for v in rows[k] if v is not None}:
                return k
    return None


def _header_by_shape(splits: Sequence[Sequence[Sequence[Any]]]) -> tuple[int, list[str]] | None:
    """The first row below a title-like header that looks like a header, with data rows of its width below it."""
    best: tuple[int, list[str]] | None = None
    for rows in splits:
        if not rows:
            continue
        top = len(filled_cells(rows[0]))
        for k in range(1, min(len(rows), HEADER_SEARCH_ROWS + 1)):
            row = rows[k]
            filled = filled_cells(row)
            below = [r for r in rows[k + 1 : k + 4] if filled_cells(r)]
            if len(filled) > top and _header_like(row) and below and all(len(r) == len(row) for r in below):
                if best is None or k < best[0]:
                    best = (k, filled)
                break
    return best


def header_row_hint(
    problems: list[Problem],
    rows: Sequence[Sequence[Any]],
    first_row: int,
    columns: Mapping[str, str] | None,
    more: Sequence[Sequence[Sequence[Any]]] = (),
) -> list[Problem]:
    """``problems`` with a hint when the header row seems to sit below a title block.

    Exports often put a title block (a report name, a date, a blank line) above the
    header; the first line is then read as the header and every column is "missing".
    When one of the next rows names every missing column, or, failing that, a row below a
    one-cell title looks like a header with rows of its width under it, the first
    missing-column problem says which row that is and how many rows ``--skip-rows`` should skip.

    Parameters
    ----------
    problems : list of Problem
        The problems the column mapping found.
    rows : sequence of sequences
        The rows from the header read on (the header first), as cells.
    first_row : int
        The spreadsheet row number of ``rows[0]`` (1 when nothing was skipped).
    columns : mapping, optional
        Schema column -> the file column the analyst named for it.
    more : sequence of row lists
        The same rows split otherwise (a CSV's lines split with each usual delimiter).

    Returns
    -------
    list of Problem
        The same problems, the first missing one with the hint added to its fix.

    Examples
    --------
    >>> p = [Problem("missing column", column="ltr", fix="The file's columns are: 'Survey export'.")]
    >>> rows = [["Survey export"], ["Generated 2024-03-01"], [], ["response_id", "ltr"], ["R1", "9"]]
    >>> print(header_row_hint(p, rows, 1, None)[0].fix)  # doctest: +NORMALIZE_WHITESPACE
    The file's columns are: 'Survey export'. The header seems to be on row 4 (the 3 rows above it look
    like a title): skip them with --skip-rows 3 (skip_rows=3 in Python).
    >>> rows = [["NPS export"], [], ["Id", "Score", "Plan"], ["R1", "9", "Basic"], ["R2", "6", "Plus"]]
    >>> print(header_row_hint(p, rows, 1, None)[0].fix)  # doctest: +NORMALIZE_WHITESPACE
    The file's columns are: 'Survey export'. The header seems to be on row 3 ('Id', 'Score', 'Plan'; the
    2 rows above it look like a title): skip them with --skip-rows 2 (skip_rows=2 in Python).
    """
    columns = dict(columns or {})
    missing = [i for i, p in enumerate(problems) if p.column and is_absent_column(p)]
    if not missing:
        return problems
    splits = [rows, *more]
    wanted = {header_key(columns.get(problems[i].column, problems[i].column)) for i in missing}  # type: ignore[arg-type]
    k, names = _header_by_names(splits, wanted), ""
    if k is None:
        found = _header_by_shape(splits)
        if found is None:
            return problems
        k, cells = found
        names = ", ".join(map(repr, cells[:6])) + (", ..." if len(cells) > 6 else "") + "; "
    skip = first_row + k - 1
    out = list(problems)
    i = missing[0]
    s_ = "s" if skip != 1 else ""
    out[i] = dataclasses.replace(
        out[i],
        fix=f"{out[i].fix} The header seems to be on row {skip + 1} ({names}the {skip} row{s_} above it "
        f"look{'' if skip != 1 else 's'} like a title): skip {'them' if skip != 1 else 'it'} with "
        f"--skip-rows {skip} (skip_rows={skip} in Python).",
    )
    return out
