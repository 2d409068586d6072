"""Shared output helpers for ``cx`` subcommands: JSON and readable tables."""
from __future__ import annotations

import json
import math
import sys
from typing import Any

import numpy as np
import pandas as pd


def _clean(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        return None if math.isnan(float(obj)) else float(obj)
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, pd.Timestamp):
        return obj.isoformat()
    return obj


def print_json(obj: Any) -> None:
    """Print ``obj`` as JSON (NaN becomes null, numpy scalars become numbers)."""
    json.dump(_clean(obj), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def print_table(df: pd.DataFrame, floatfmt: str = "{:.1f}") -> None:
    """Print a DataFrame as a plain aligned table."""
    with pd.option_context("display.max_rows", 500, "display.width", 160):
        print(df.to_string(index=False, float_format=lambda v: floatfmt.format(v)))
