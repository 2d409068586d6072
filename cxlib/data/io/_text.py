"""Character-level cleaning shared by every reader: digits, invisible marks, letters, blanks.

Values are cleaned per *distinct* value (:class:`Uniq`): exports repeat values (dates,
plans, answers), so a column is factorised once, each distinct value is cleaned once and
the result is expanded back with the codes. Which values need cleaning at all is found by
one regular-expression scan over the whole column joined into one string
(:func:`dirty`), so clean columns cost almost nothing.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
AR_DIGITS = "٠١٢٣٤٥٦٧٨٩"
#: Persian and Arabic-Indic digits -> ASCII; Arabic decimal (٫) and thousands (٬) separators.
DIGIT_TABLE = str.maketrans(FA_DIGITS + AR_DIGITS + "٫٬−", "0123456789" * 2 + ".,-")
#: The same for values read as numbers: the Arabic separators are kept (they are unambiguous:
#: ٫ is a decimal mark, ٬ groups thousands) so the number parser can tell them from , and .
NUMBER_DIGIT_TABLE = str.maketrans(FA_DIGITS + AR_DIGITS + "−", "0123456789" * 2 + "-")
NONASCII_DIGIT_RE = f"[{FA_DIGITS}{AR_DIGITS}٫٬]"
#: Invisible characters that exports put around values (direction marks, BOM, ZW joiners).
INVISIBLE = "\u200e\u200f\u200b\u200d\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
INVISIBLE_TABLE = str.maketrans({c: None for c in INVISIBLE} | {"\xa0": " "})
LETTER_TABLE = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "؟": "?", "،": ",", "؛": ";"})
LETTER_RE = "[يىك]"
#: Cell contents read as blank in number, date and flag columns (compared lower-case, with
#: curly apostrophes made straight). Each is counted by its spelling in the read report.
NA_TOKENS = frozenset(
    {
        "",
        "na",
        "n/a",
        "n.a.",
        "nan",
        "null",
        "none",
        "-",
        "--",
        "—",
        "#n/a",
        "?",
        "؟",
        "don't know",
        "dont know",
        "do not know",
        "dk",
        "not applicable",
        "no answer",
        "prefer not to say",
        "refused",
        "نمی‌دانم",
        "نمیدانم",
        "نمی دانم",
        "بدون پاسخ",
    }
)
#: Blank markers in id and category columns (what pandas reads as missing by default).
TEXT_NA_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "#n/a", "<na>"})
_PATTERNS: dict = {}


def _casings(words: frozenset) -> frozenset:
    """Every upper/lower-case spelling of short words (so a hash lookup replaces lower())."""
    import itertools

    out: set[str] = set()
    for w in words:
        out.update("".join(p) for p in itertools.product(*({c.lower(), c.upper()} for c in w)))
    return frozenset(out)


#: :data:`TEXT_NA_TOKENS` in every casing (ids and categories are too many to lower-case).
TEXT_NA_SPELLINGS = _casings(TEXT_NA_TOKENS)


def to_ascii_digits(text: str) -> str:
    """Replace Persian (۰-۹) and Arabic-Indic (٠-٩) digits and separators by ASCII.

    Parameters
    ----------
    text : str
        Text that may hold Persian or Arabic-Indic digits.

    Returns
    -------
    str
        The same text with ASCII digits, ``,`` for thousands and ``.`` for decimal separators.

    Examples
    --------
    >>> to_ascii_digits("۱۲۳٬۴۵۶٫۵")
    '123,456.5'
    """
    return text.translate(DIGIT_TABLE)


def header_key(name: str) -> str:
    """Matching key of a header: NFKC, Persian letters, no invisibles, lower, snake.

    >>> header_key(" Customer-ID ")
    'customer_id'
    """
    s = unicodedata.normalize("NFKC", str(name)).translate(INVISIBLE_TABLE).translate(LETTER_TABLE)
    return re.sub(r"[\s\-./]+", "_", s.strip().casefold()).strip("_")


def clean_header(name: Any) -> str:
    """A header as shown to the analyst: invisible marks removed, spaces collapsed and trimmed."""
    return re.sub(r"\s+", " ", str(name).translate(INVISIBLE_TABLE)).strip()


def na_key(t: pd.Series) -> pd.Series:
    """Lower-case keys of values for comparing with :data:`NA_TOKENS`."""
    return t.str.lower().str.replace("’", "'", regex=False)


def is_na_token(t: pd.Series) -> pd.Series:
    """Blank or a blank marker (``N/A``, ``-``, ``Don't know``, ...)."""
    return t.isna() | na_key(t).isin(NA_TOKENS)


def as_text_values(u: pd.Series) -> pd.Series:
    """Distinct non-blank values as str (Excel numbers 12.0 -> '12', datetimes ISO)."""
    if pd.api.types.infer_dtype(u, skipna=True) in ("string", "empty"):
        return u

    def conv(v: Any) -> str:
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, (pd.Timestamp, _dt.datetime)):
            return v.isoformat(sep=" ")
        return str(v)

    return u.map(conv).astype(object)


class Uniq:
    """A column factorised: clean each distinct value once, count rows by frequency.

    Exports repeat values (dates, plans, answers), so working on the distinct
    values and expanding back with the codes is much faster than per-row work.
    ``raw`` keeps the distinct values as they were (Excel cells keep their type);
    ``u`` holds them as text.
    """

    def __init__(self, s: pd.Series, distinct: bool = True) -> None:
        self.index = s.index
        if distinct:
            codes, uniq = pd.factorize(s, use_na_sentinel=True)
            uniq = np.asarray(uniq, dtype=object)
            self.w = np.bincount(codes[codes >= 0], minlength=len(uniq))
        else:  # ids: (nearly) all distinct, so hashing would not pay; keep non-blank cells
            na = s.isna().to_numpy()
            uniq = s.to_numpy(dtype=object)[~na]
            codes = np.full(len(s), -1, dtype=np.intp)
            codes[~na] = np.arange(len(uniq))
            self.w = np.ones(len(uniq), dtype=np.int64)
        self.codes = codes
        self.raw = pd.Series(uniq, dtype=object)
        self.u = as_text_values(self.raw)

    @property
    def n_blank(self) -> int:
        """Cells that were blank (NaN/None) before cleaning."""
        return int((self.codes < 0).sum())

    def count(self, mask: pd.Series | np.ndarray) -> int:
        """Rows whose distinct value is selected by ``mask``."""
        return int(self.w[np.asarray(mask, dtype=bool)].sum())

    def first_positions(self, mask: pd.Series | np.ndarray, n: int = 5) -> np.ndarray:
        """Positions of the first ``n`` rows whose distinct value is in ``mask``."""
        sel = np.flatnonzero(np.asarray(mask, dtype=bool))
        return np.flatnonzero(np.isin(self.codes, sel))[:n]

    def expand(self, values: pd.Series | np.ndarray, fill: Any) -> pd.Series:
        """Distinct values back to one value per row (``fill`` where the cell was blank)."""
        arr = np.asarray(values)
        ext = np.concatenate([arr, np.array([fill], dtype=arr.dtype)])
        return pd.Series(ext[self.codes], index=self.index)


def dirty(arr: np.ndarray, digits: bool, letters: bool) -> np.ndarray:
    """Which strings need cleaning, found by regex passes over the joined column (fast).

    One C-speed scan of the whole column (values joined by NUL) replaces a
    per-value Python loop; only the values it flags are cleaned one by one.
    """
    key = (digits, letters)
    if key not in _PATTERNS:
        chars = "\\s" + INVISIBLE + "\xa0" + (NONASCII_DIGIT_RE[1:-1] if digits else "") + ("يىك" if letters else "")
        exact = [f"[{INVISIBLE}\xa0]"] + ([NONASCII_DIGIT_RE] if digits else []) + ([LETTER_RE] if letters else [])
        _PATTERNS[key] = (re.compile(f"[{chars}]"), re.compile("\x00\\s|\\s\x00|" + "|".join(exact)))
    quick, full = _PATTERNS[key]
    out = np.zeros(len(arr), dtype=bool)
    if not len(arr):
        return out
    joined = "\x00".join(arr)
    if quick.search(joined) is None:
        return out
    padded = "\x00" + joined + "\x00"
    starts = [m.start() + (padded[m.start()] == "\x00") - 1 for m in full.finditer(padded)]
    if starts:
        ends = np.cumsum(np.fromiter(map(len, arr), dtype=np.int64, count=len(arr)) + 1)
        out[np.searchsorted(ends, starts, side="right")] = True
    return out


def clean_strings(
    U: Uniq,
    column: str,
    rep: Any,
    *,
    count_spaces: bool = False,
    digits: bool = False,
    letters: bool = False,
    table: dict | None = None,
) -> pd.Series:
    """Clean the distinct values: invisible marks, outer spaces, digits, Arabic letters.

    Returns the cleaned distinct values (object, NaN where blank); conversions are
    counted in rows in ``rep`` (a :class:`~cxlib.data.io.ReadReport`).
    """
    u = U.u
    flagged = dirty(u.to_numpy(dtype=object), digits, letters)
    if not flagged.any():
        return u
    d = u[flagged]
    t = d.str.translate(INVISIBLE_TABLE)
    st = t.str.strip()
    if count_spaces:
        m = np.zeros(len(u), dtype=bool)
        m[flagged] = (st.str.len() != t.str.len()).to_numpy()
        rep._convert(column, "values with spaces trimmed", U.count(m))
    if digits:
        has = st.str.contains(NONASCII_DIGIT_RE, regex=True)
        if has.any():
            m = np.zeros(len(u), dtype=bool)
            m[flagged] = has.to_numpy()
            rep._convert(column, "values with Persian/Arabic digits converted", U.count(m))
        st = st.str.translate(table or DIGIT_TABLE)
    if letters:
        has = st.str.contains(LETTER_RE, regex=True)
        if has.any():
            m = np.zeros(len(u), dtype=bool)
            m[flagged] = has.to_numpy()
            rep._convert(column, "values with Arabic ي/ك unified to Persian ی/ک", U.count(m))
            st = st.str.translate(LETTER_TABLE)
    out = u.copy()
    out[flagged] = st.mask(st.eq("")).to_numpy()
    return out


def count_blank_kinds(U: Uniq, t: pd.Series, blank: pd.Series) -> dict[str, int]:
    """How many rows hold each blank marker, by its spelling (``{"N/A": 3, "-": 1}``)."""
    marked = blank & t.notna() & t.ne("")
    if not marked.any():
        return {}
    out: dict[str, int] = {}
    for label, w in zip(t[marked], U.w[marked.to_numpy()]):
        out[str(label)] = out.get(str(label), 0) + int(w)
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))
