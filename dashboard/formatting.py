"""Numbers and codes as analysts read them: money in 万元 / 亿元, counts with their unit and separators."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

LABELS_FILE = Path(__file__).resolve().parent / "labels.toml"
WAN = 1e4
YI = 1e8
MONEY_MEASURE = "amount_cny"


@cache
def labels() -> dict[str, dict[str, str]]:
    with LABELS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def label(kind: str, code: str | None) -> str:
    """The Chinese name of a code with the code itself, e.g. 奖补 (subsidy); unknown codes stay as they are."""
    if code is None or (isinstance(code, float) and math.isnan(code)):
        code = "all_kinds" if kind == "detail" else "—"
    name = labels().get(kind, {}).get(code)
    return f"{name} ({code})" if name else str(code)


def short_label(kind: str, code: str | None) -> str:
    """The Chinese name alone, for chart legends and axes."""
    if code is None or (isinstance(code, float) and math.isnan(code)):
        code = "all_kinds" if kind == "detail" else "—"
    return labels().get(kind, {}).get(code, str(code))


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _grouped(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    if decimals and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_money(yuan: float | None) -> str:
    """Yuan as a report would write it: 亿元 from 100 million, 万元 from 10,000, else 元."""
    if is_missing(yuan):
        return "—"
    magnitude = abs(yuan)
    if magnitude >= YI:
        return f"{_grouped(yuan / YI, 2)} 亿元"
    if magnitude >= WAN:
        return f"{_grouped(yuan / WAN, 2)} 万元"
    return f"{_grouped(yuan, 0)} 元"


def format_count(value: float | None, unit: str = "") -> str:
    if is_missing(value):
        return "—"
    return f"{_grouped(value, 0 if float(value).is_integer() else 1)}{' ' + unit if unit else ''}"


def unit_of(measure: str) -> str:
    return labels()["unit"].get(measure, "")


def format_value(value: float | None, measure: str) -> str:
    """A figure of the warehouse's `value` column (yuan for money, else a count) for display."""
    return format_money(value) if measure == MONEY_MEASURE else format_count(value, unit_of(measure))


def money_scale(values: Iterable[float | None]) -> tuple[float, str]:
    """One unit for a whole chart: 亿元 when the largest figure reaches 1 亿, else 万元."""
    largest = max((abs(v) for v in values if not is_missing(v)), default=0.0)
    return (YI, "亿元") if largest >= YI else (WAN, "万元")


def chart_scale(values: Iterable[float | None], measure: str) -> tuple[float, str]:
    """Divisor and unit for a chart of one measure."""
    if measure == MONEY_MEASURE:
        return money_scale(values)
    return 1.0, unit_of(measure)
