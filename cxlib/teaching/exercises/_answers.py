"""Reading a learner's answer in any unambiguous form (used by :mod:`cxlib.teaching.exercises`).

A number may come as a Python or NumPy number, a one-element list, array, Series or
DataFrame, or as text: ``"14.3"``, ``"14.3%"``, ``"1,234"``, ``"−3.2"`` (a typographic
minus), ``"45 points"``, ``"USD 3,407"``, ``"۱۴٫۳"`` (Persian digits). :func:`parse_number`
returns the value, the number of decimals the learner wrote and whether a percent sign
was given; :func:`readings` turns that into the values the answer can mean for a question
on a given *scale* (a share, a percent, NPS points). A label (the answer to a choice
question) is compared by :func:`normalise_label`: case, spaces, hyphens and underscores
do not matter.

Examples
--------
>>> parse_number("14.3%")
ParsedNumber(value=14.3, decimals=1, percent=True)
>>> parse_number("USD 3,407")
ParsedNumber(value=3407.0, decimals=0, percent=False)
>>> [r.value for r in readings(parse_number("14.3%"), "share")]
[0.14300000000000002]
>>> normalise_label("  One-Dimensional ") == normalise_label("one_dimensional")
True
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["ParsedNumber", "Reading", "SCALES", "parse_number", "readings", "normalise_label", "decimals_of"]

#: The scales a numeric question can declare (``NumericExercise.scale``).
SCALES = (None, "share", "percent", "points")

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_MINUS = str.maketrans({"−": "-", "–": "-", "—": "-", "‒": "-", "﹣": "-", "－": "-"})
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u200e\u200f]+")
_PERCENT = re.compile(r"(%|٪|\bper\s*cent\b|\bpercent\b)\s*$", re.I)
# a currency or unit written before or after the number ("USD 3,407", "45 points", "3.2 years")
_CURRENCY = r"(?:USD|US\$|EUR|GBP|IRR|IRT|\$|€|£|﷼)"
_UNIT_BEFORE = re.compile(r"^" + _CURRENCY + r"\s*", re.I)
_UNIT_AFTER = re.compile(
    r"\s*(?:" + _CURRENCY + r"|points?|pts?\.?|pp|percentage points?|rials?|tomans?|dollars?|years?|months?|"
    r"weeks?|days?|customers?|contacts?|answers?|periods?|x|×|times)$",
    re.I,
)
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$")  # "0,926" is a decimal comma
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_PLAIN = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


@dataclass(frozen=True)
class ParsedNumber:
    """A number as the learner wrote it.

    ``decimals`` is the number of digits after the decimal point (``None`` when the number
    has full floating-point precision, e.g. a computed value); ``percent`` is True when the
    text ended in a percent sign or the word "percent".
    """

    value: float
    decimals: int | None
    percent: bool = False


@dataclass(frozen=True)
class Reading:
    """One meaning of an answer: its value on the question's scale and how it was read."""

    value: float
    decimals: int | None
    kind: str = "as given"  # "as given", "percent as share", "share as percent"
    note: str = ""


def decimals_of(x: float) -> int | None:
    """Decimals in the shortest representation of ``x`` (trailing zeros dropped).

    >>> decimals_of(45.0), decimals_of(45.25), decimals_of(0.1 + 0.2)
    (0, 2, 17)
    """
    if not math.isfinite(x):
        return None
    text = repr(float(x))
    if "e" in text or "E" in text:
        mantissa, exp = text.lower().split("e")
        frac = mantissa.split(".")[1].rstrip("0") if "." in mantissa else ""
        return max(0, len(frac) - int(exp))
    frac = text.split(".")[1].rstrip("0") if "." in text else ""
    return len(frac)


def _parse_text(text: str) -> ParsedNumber | None:
    s = text.translate(_DIGITS).translate(_MINUS).replace("٫", ".").replace("٬", ",")
    s = _SPACES.sub(" ", s).strip().strip("'\"")
    percent = bool(_PERCENT.search(s))
    s = _PERCENT.sub("", s).strip()
    s = _UNIT_AFTER.sub("", _UNIT_BEFORE.sub("", s)).strip()
    s = s.replace(" ", "")
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    elif _DECIMAL_COMMA.match(s) and not re.match(r"^[+-]?[1-9]\d{0,2},\d{3}$", s):
        s = s.replace(",", ".")  # "0,45" or "45,3": a decimal comma (a thousands group has three digits)
    if not _PLAIN.match(s):
        return None
    value = float(s)
    if "e" in s.lower():
        decimals = decimals_of(value)
    else:
        decimals = len(s.split(".")[1]) if "." in s else 0
    return ParsedNumber(value, decimals, percent)


def parse_number(answer: Any) -> ParsedNumber | None:
    """The number an answer holds, or None when it holds no single number.

    Accepts numbers (not booleans), one-element containers (list, tuple, array, Series,
    DataFrame) and text. A missing value (NaN) is returned as NaN; the caller decides.

    Examples
    --------
    >>> parse_number("0,926").value, parse_number("1,234").value
    (0.926, 1234.0)
    >>> parse_number(3), parse_number("0,45"), parse_number("−3.2 points")
    (ParsedNumber(value=3.0, decimals=0, percent=False), ParsedNumber(value=0.45, decimals=2, percent=False), \
ParsedNumber(value=-3.2, decimals=1, percent=False))
    >>> parse_number("14.3 to 15") is None, parse_number(True) is None, parse_number([1, 2]) is None
    (True, True, True)
    """
    if isinstance(answer, (bool, np.bool_)):
        return None
    if isinstance(answer, (int, np.integer)):
        return ParsedNumber(float(answer), 0)
    if isinstance(answer, (float, np.floating)):
        value = float(answer)
        return ParsedNumber(value, decimals_of(value) if math.isfinite(value) else None)
    if isinstance(answer, str):
        return _parse_text(answer)
    if hasattr(answer, "to_numpy") or isinstance(answer, (list, tuple, np.ndarray)):
        try:
            items = np.asarray(answer.to_numpy() if hasattr(answer, "to_numpy") else answer, dtype=object).ravel()
        except (TypeError, ValueError):  # ragged nested lists: not one number
            return None
        if items.size == 1:
            item = items[0]
            return parse_number(item.item() if isinstance(item, np.generic) else item)
    return None


def readings(parsed: ParsedNumber, scale: str | None) -> list[Reading]:
    """What ``parsed`` can mean for a question on ``scale``, the reading as given first.

    * ``share`` (a number between 0 and 1, or −1 and 1): ``14.3`` or ``"14.3%"`` is read as
      the share 0.143, since a share cannot be 14.3.
    * ``percent``: ``0.143`` is also read as 14.3% (a share given where a percent is asked).
    * ``points`` (NPS, −100 to 100): ``0.453`` is also read as 45.3 points; ``"45%"`` as 45.
    * ``None`` (money, counts, rates): ``"14.3%"`` is read as 0.143 or 14.3 (the learner said
      it is a percent); a bare number only as given.

    Examples
    --------
    >>> [r.value for r in readings(ParsedNumber(0.453, 3), "points")]
    [0.453, 45.3]
    >>> [r.value for r in readings(ParsedNumber(0.453, 3), None)]
    [0.453]
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}; got {scale!r}.")
    v, d = parsed.value, parsed.decimals

    def more(step: int) -> int | None:
        return None if d is None else d + step

    as_given = Reading(v, d)
    as_share = Reading(v / 100, more(2), "percent as share", f"read as {v:g}% = {v / 100:g}")
    if parsed.percent:
        if scale == "share":
            return [as_share]
        if scale in ("percent", "points"):
            return [as_given]
        return [as_share, Reading(v, d, "as given", f"read as {v:g} (you wrote it as a percent)")]
    out = [as_given]
    if scale == "share" and 1 < abs(v) <= 100:
        out.append(as_share)
    if scale in ("percent", "points") and abs(v) <= 1:
        note = f"read as the share {v:g}, i.e. {v * 100:g}" + ("%" if scale == "percent" else " points")
        out.append(Reading(v * 100, more(-2), "share as percent", note))
    return out


_LABEL_EDGES = re.compile(r"^[\s'\"`(\[{]+|[\s'\"`)\]}.:;!?]+$")
_LABEL_SEPARATORS = re.compile(r"[\s_\-‐‑‒–—]+")


def normalise_label(text: Any) -> str:
    """A label with case, surrounding quotes or brackets and separators (space, hyphen, underscore) ignored.

    Parameters
    ----------
    text : object
        A label as a learner typed it.

    Returns
    -------
    str
        The label in a canonical form, for comparing choices.

    Examples
    --------
    >>> normalise_label("Must-be"), normalise_label("must be"), normalise_label("(A)"), normalise_label("not_significant")
    ('must be', 'must be', 'a', 'not significant')
    """
    s = str(text).translate(_DIGITS).strip()
    s = _LABEL_EDGES.sub("", s)
    return _LABEL_SEPARATORS.sub(" ", s).strip().casefold()
