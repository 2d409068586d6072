"""Renamed arguments keep working for one release, with a DeprecationWarning.

cxlib 0.2 uses one name per idea across its API: ``level`` (a share between 0 and 1)
for a confidence level, ``*_column`` for an argument that names a column, and
``target_column`` for the churn outcome. :func:`renamed_arguments` lets a function
accept the 0.1 names until the next release.

Examples
--------
>>> import warnings
>>> @renamed_arguments(confidence="level")
... def interval(x, *, level=0.95):
...     return level
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     interval(1, confidence=0.9)
0.9
>>> print(caught[0].message)
interval(confidence=...) is deprecated since cxlib 0.2; use interval(level=...).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["renamed_arguments"]

F = TypeVar("F", bound=Callable[..., Any])


def renamed_arguments(**old_to_new: str) -> Callable[[F], F]:
    """Decorate a function so that each old keyword argument name still works, with a warning.

    Parameters
    ----------
    **old_to_new : str
        ``old_name="new_name"`` for each renamed keyword argument.

    Returns
    -------
    callable
        The decorator. Passing both the old and the new name is a ``TypeError``.
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{func.__name__}() got both {old}= (deprecated) and {new}=; pass only {new}=.")
                    warnings.warn(
                        f"{func.__name__}({old}=...) is deprecated since cxlib 0.2; use {func.__name__}({new}=...).",
                        DeprecationWarning,
                        stacklevel=2,
                    )
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        wrapper.__deprecated_arguments__ = dict(old_to_new)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
