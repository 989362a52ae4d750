"""Find and parse the quantities a report states: number, approximation words and unit.

Reports mix Arabic (1,200 / 455.25), Chinese (十二期, 两万元) and mixed (1.5万, 3千万元) numerals, and the
scraping sites redact digits (xx家, 20xx余万元). Units and approximation words are data
(data/units.toml); this module only knows how to combine them.
"""

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import cn2an

_DATA = Path(__file__).parent / "data"

_SCALE = {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "亿": 1e8}
# A figure with thousands separators (97,573), one whose digit group a PDF copy broke with a space (1 47:
# at most three digits each side, so a year before a count, 2021 147, never joins), or a plain one.
_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<!\d )\d{1,3} \d{1,3}(?![\d.,]| \d)|\d+(?:\.\d+)?"
# A Chinese numeral starts with a digit word or 十; a bare 百/千/万 (百万元重大项目, 千家万户) is an
# adjective, not a count.
_CHINESE = r"[一二两三四五六七八九十〇零][零〇一二两三四五六七八九十百千万亿]*"
# Redaction placeholders after normalization: xx, xxxx, digits with a redacted tail (20xx), redacted
# decimals (xx.x, xx.5, 12.xx), and the lone placeholders normalization leaves alone (X家, *家): right
# before a unit they hide a figure too.
_PLACEHOLDER = "xX*＊"
_REDACTED = rf"\d*[{_PLACEHOLDER}]+(?:\.(?:x+|\d+))?|\d+\.x+"
_NUMBER = rf"(?:(?:{_ARABIC})[十百千万]*|{_REDACTED}|{_CHINESE})"
# A bare 百/千/万 is one hundred, thousand or ten thousand only as an approximate count: after an approximation
# word (近千人次, 逾百家) or before 余/多 (万余人次, 千余家); elsewhere it is an adjective (千家万户, 万元 alone).
_BARE_SCALE = r"(?(pre)[百千万]|[百千万](?=[余多]))"
# Compiled once: parse_number runs for every figure of every report.
_ARABIC_WITH_SCALE_RE = re.compile(rf"({_ARABIC})([十百千万亿]*)")
_SEPARATORS_RE = re.compile("[, ]")
_CHINESE_RE = re.compile(_CHINESE)
_NOT_DIGIT_RE = re.compile(r"[^\d.]")
# The characters a number can begin with (an Arabic digit, a placeholder, a digit word or 十); a bare scale
# begins one only before 余/多 (after an approximation word the word's first character is the start).
_NUMBER_FIRST = rf"\d{_PLACEHOLDER}一二两三四五六七八九十〇零"
# Where the digits of a figure were lost: nothing, a blank or an empty bracket between a word and the unit
# (资金万元, 资金 万元, 资金（ ）万元).
DIGITS_GAP = r"(?:[ \t\u3000]*[（(][ \t\u3000]*[）)])?[ \t\u3000]*"
# A bare 万元/亿元 right after a word: the digits were lost (资金万元, 研发费用亿元).
MISSING_MONEY_RE = re.compile(
    rf"(?<=[\u4e00-\u9fff])(?<![零〇一二两三四五六七八九十百千万亿]){DIGITS_GAP}(?:千万元|万元|亿元)"
)


@dataclass(frozen=True)
class Quantity:
    """One number with its unit, as written at text[start:end]."""

    value: float | None  # yuan for money, else a count; None when redacted
    kind: str  # money | enterprises | patents | sessions | participants
    unit: str
    approx: str  # exact | at_least | about
    is_redacted: bool
    digits: str  # the Arabic digits as written, for spotting years pasted in as counts
    start: int
    end: int
    num_start: int  # where the number itself starts (after any approximation prefix)


@cache
def _units() -> dict:
    with open(_DATA / "units.toml", "rb") as fh:
        return tomllib.load(fh)


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def bare_money_units() -> list[str]:
    """Money units written without 元 (386万): money only where a money word governs them."""
    return _units()["bare_money"]["units"]


@cache
def unit_kinds() -> dict[str, str]:
    """Unit -> kind (money, enterprises, patents, sessions, participants)."""
    units = _units()
    kinds = dict.fromkeys(units["money"], "money")
    for kind, words in units["classifiers"].items():
        kinds.update(dict.fromkeys(words, kind))
    return kinds


@cache
def _quantity_re() -> re.Pattern:
    a = _units()["approx"]
    return re.compile(
        rf"(?P<pre>{_alt(a['at_least_prefix'] + a['about_prefix'])})?"
        rf"(?<![\d.,A-Za-z第])(?<![零〇一二两三四五六七八九十百千])(?P<num>{_NUMBER}|{_BARE_SCALE})"
        rf"(?:(?:{_alt(a['range_separators'])})(?P<num2>{_NUMBER}))?"
        rf"(?P<suf1>余|多)?(?P<unit>{_alt(unit_kinds())})"
        rf"(?P<suf2>{_alt(a['at_least_suffix'] + a['about_suffix'])})?"
    )


@cache
def _quantity_starts() -> re.Pattern:
    """Where a quantity can begin: a number's first character or an approximation prefix's."""
    a = _units()["approx"]
    firsts = "".join(sorted({w[0] for w in a["at_least_prefix"] + a["about_prefix"]}))
    return re.compile(f"[{_NUMBER_FIRST}{re.escape(firsts)}]|[百千万](?=[余多])")


def _quantity_matches(text: str) -> Iterator[re.Match[str]]:
    """What `_quantity_re().finditer(text)` yields, trying the pattern only where a quantity can begin:
    the pattern opens with an optional prefix and lookbehinds, so the regex engine tried it at every
    character of the text, a sixth of extraction's time."""
    pattern, starts = _quantity_re(), _quantity_starts()
    pos = 0
    while (start := starts.search(text, pos)) is not None:
        m = pattern.match(text, start.start())  # lookbehinds still see the text before the position
        if m:
            yield m
            pos = m.end()
        else:
            pos = start.start() + 1


def parse_number(text: str) -> float | None:
    """Value of one written number (1,200 / 1.5万 / 3千万 / 十二 / 两万); None if it is not one."""
    text = text.strip()
    if text in ("百", "千", "万"):  # a bare scale (近千, 万余): see _BARE_SCALE
        return float(_SCALE[text])
    m = _ARABIC_WITH_SCALE_RE.fullmatch(text)
    if m:
        value = float(_SEPARATORS_RE.sub("", m.group(1)))
        for ch in m.group(2):
            value *= _SCALE[ch]
        return value
    if _CHINESE_RE.fullmatch(text):
        try:
            return float(cn2an.cn2an(text, "smart"))
        except (ValueError, KeyError):
            return None
    return None


def _approx(pre: str | None, suffixes: list[str | None], is_range: bool) -> str:
    a = _units()["approx"]
    if pre in a["about_prefix"] or any(s in a["about_suffix"] for s in suffixes):
        return "about"
    if pre in a["at_least_prefix"] or any(s in a["at_least_suffix"] for s in suffixes) or is_range:
        return "at_least"
    return "exact"


@lru_cache(maxsize=1024)
def find_quantities(text: str) -> tuple[Quantity, ...]:
    """Every number followed by a known unit, in text order. Cached: extraction asks again about the
    same sentence or clause for each figure in it."""
    money = _units()["money"]
    bare = _units()["bare_money"]
    found = []
    for m in _quantity_matches(text):
        raw, unit = m.group("num"), m.group("unit")
        if unit in bare["units"] and re.match(bare["not_followed_by"], text[m.end() : m.end() + 1]):
            continue
        kind = unit_kinds()[unit]
        redacted = any(c in raw for c in _PLACEHOLDER)
        value = None if redacted else parse_number(raw)
        if value is None and not redacted:
            continue
        if value is not None and kind == "money":
            value = round(value * money[unit], 2)
        found.append(
            Quantity(
                value=value,
                kind=kind,
                unit=unit,
                approx=_approx(m.group("pre"), [m.group("suf1"), m.group("suf2")], bool(m.group("num2"))),
                is_redacted=redacted,
                digits=_NOT_DIGIT_RE.sub("", raw.split(".")[0]),
                start=m.start(),
                end=m.end(),
                num_start=m.start("num"),
            )
        )
    return tuple(found)
