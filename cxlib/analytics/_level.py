"""A confidence level is ``level``, a share between 0 and 1: its check, and the 0.1 ``alpha`` shim."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from cxlib.errors import CxError

__all__ = ["check_level", "alpha_becomes_level"]

F = TypeVar("F", bound=Callable[..., Any])


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


def alpha_becomes_level(func: F) -> F:
    """Decorate a function whose 0.1 argument ``alpha`` (e.g. 0.05) is now ``level`` (0.95), for one release.

    Unlike :func:`cxlib._deprecation.renamed_arguments` the value changes too: ``level = 1 - alpha``.

    Parameters
    ----------
    func : callable
        A function with a ``level`` keyword argument.

    Returns
    -------
    callable

    Examples
    --------
    >>> import warnings
    >>> @alpha_becomes_level
    ... def f(*, level=0.95):
    ...     return level
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     f(alpha=0.1)
    0.9
    >>> print(w[0].message)
    f(alpha=...) is deprecated since cxlib 0.2; use f(level=1 - alpha), e.g. level=0.95 for alpha=0.05.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if "alpha" in kwargs:
            if "level" in kwargs:
                raise TypeError(f"{func.__name__}() got both alpha= (deprecated) and level=; pass only level=.")
            warnings.warn(
                f"{func.__name__}(alpha=...) is deprecated since cxlib 0.2; use {func.__name__}(level=1 - alpha), "
                "e.g. level=0.95 for alpha=0.05.",
                DeprecationWarning,
                stacklevel=2,
            )
            kwargs["level"] = 1 - kwargs.pop("alpha")
        return func(*args, **kwargs)

    wrapper.__deprecated_arguments__ = {"alpha": "level"}  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
