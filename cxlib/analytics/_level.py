"""The check of a confidence level shared by the analytics of the features-churn branch."""

from __future__ import annotations

from cxlib.errors import CxError

__all__ = ["check_level"]


def check_level(level: float) -> float:
    """Return ``level`` if it is a confidence level strictly between 0 and 1, else raise.

    Parameters
    ----------
    level : float
        A share such as 0.95 (not a percentage such as 95).

    Returns
    -------
    float
        ``level``.

    Raises
    ------
    CxError
        Naming the value and the form to use.

    Examples
    --------
    >>> check_level(0.9)
    0.9
    >>> check_level(95)
    Traceback (most recent call last):
    ...
    cxlib.errors.CxError: level is a share between 0 and 1 (e.g. 0.95 for 95%); got 95.
    """
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < float(level) < 1:
        raise CxError(f"level is a share between 0 and 1 (e.g. 0.95 for 95%); got {level!r}.")
    return float(level)
