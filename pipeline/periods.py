"""Resolve the year and the period (Q1..Q4, H1, H2, annual) a report covers.

The title decides when it says; otherwise the body's phrases vote. Phrases and the
patterns that expose redacted or site-substituted years live in data/periods.toml.
Dates in a site's header (2021-04-12 发布) are never read: only years written as 2020年.
"""

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline import segment

DATA = Path(__file__).parent / "data"
CLAUSE_END = "，。；！？\n|,;!?"
OPENING = 300  # a report states its period in its opening; one phrase later on may be another report's


@dataclass(frozen=True)
class PeriodResolution:
    year: int | None
    period: str | None
    evidence: str


@cache
def _rules() -> dict:
    with open(DATA / "periods.toml", "rb") as fh:
        return tomllib.load(fh)


def _is_plan(text: str, start: int, end: int) -> bool:
    rules = _rules()
    return bool(re.match(rules["plan_after"], text[end:])) or bool(
        re.search(rules["plan_before"], text[max(0, start - 4) : start])
    )


def _title_period(title: str) -> tuple[str, str] | None:
    for phrase in _rules()["phrase"]:
        if not phrase.get("title", True):
            continue
        for m in re.finditer(phrase["pattern"], title):
            if not _is_plan(title, m.start(), m.end()):
                return phrase["period"], m.group(0)
    return None


def _body_period(text: str) -> tuple[str, str] | None:
    votes: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    words: dict[str, str] = {}
    first: dict[str, int] = {}
    for phrase in _rules()["phrase"]:
        if not phrase.get("body", True):
            continue
        for m in re.finditer(phrase["pattern"], text):
            if _is_plan(text, m.start(), m.end()):
                continue
            votes[phrase["period"]] += phrase.get("weight", 1)
            hits[phrase["period"]] += 1
            words.setdefault(phrase["period"], m.group(0))
            first[phrase["period"]] = min(first.get(phrase["period"], m.start()), m.start())
    if not votes:
        return None
    ranked = votes.most_common()
    best = ranked[0][0]
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    if hits[best] == 1 and first[best] > OPENING:
        return None
    return best, f"{words[best]}×{hits[best]}"


def _clause_of(text: str, pos: int) -> str:
    return segment.clause_around(text, pos, pos, CLAUSE_END)


def _years(text: str) -> list[tuple[int, int]]:
    """(year, offset) for years written as 2020年, skipping site headers and the years of plans."""
    rules = _rules()["year"]
    out = []
    for m in re.finditer(rules["pattern"], text):
        if re.search(rules["site_words"], _clause_of(text, m.start())):
            continue
        if re.match(rf"\s*年{rules['plan_after']}", text[m.end() :]):
            continue
        out.append((int(m.group(1)), m.start()))
    return out


def _substituted(year: int, text: str) -> bool:
    rules = _rules()["year"]
    hits = re.findall(rf"(?<!\d){year}{rules['substituted_after']}", text)
    return len(hits) >= rules["min_substituted"]


def _opening_year(title: str, text: str) -> int | None:
    """The year that opens the report's own text, below its title line."""
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()
    found = _years(text[: _rules()["year"]["opening_chars"]])
    return found[0][0] if found and found[0][1] == 0 else None


def _resolve_year(title: str, text: str) -> tuple[int | None, str]:
    rules = _rules()["year"]
    if re.search(rules["redacted"], title):
        return None, "title year redacted"
    title_years = _years(title)
    body_years = Counter(y for y, _ in _years(text))
    opening = _opening_year(title, text)
    if title_years:
        year, source = title_years[0][0], "title"
        if body_years and year not in body_years and body_years.most_common(1)[0][0] not in (year, year + 1):
            return None, f"title {year} contradicted by body {body_years.most_common(1)[0][0]}"
    elif opening is not None:
        year, source = opening, "opening"
    elif body_years:
        first = re.search(rules["pattern"], text)
        redacted = re.search(rules["redacted"], text)
        if redacted and first and redacted.start() < first.start() and redacted.start() < 200:
            return None, "opening year redacted"
        year, source = body_years.most_common(1)[0][0], f"body×{body_years.most_common(1)[0][1]}"
    else:
        return None, "no year"
    if _substituted(year, f"{title}\n{text}"):
        return None, f"{year} pasted over numbers (site substitution)"
    return year, f"{source}:{year}"


def _news_year(text: str, published: str | None) -> tuple[int | None, str]:
    """The year of a news item that writes none, from its page's publication date (a dropped header line, or a
    date in its opening) and 今年 / 去年."""
    rules = _rules()["news_year"]
    date = re.search(rules["date"], published or text[: rules["opening_chars"]])
    if date is None:
        return None, "no year"
    year = int(date.group(1))
    if re.search(rules["this_year"], text):
        return year, f"published {year}, 今年"
    if re.search(rules["last_year"], text):
        return year - 1, f"published {year}, 去年"
    return None, "no year"


def _not_a_report(title: str) -> bool:
    rules = _rules()["not_a_report"]
    return bool(re.search(rules["title_end"], title)) and not re.search(rules["report_words"], title)


def _delivered_year(heading: str, text: str) -> tuple[int | None, str] | None:
    """For a government work report, the year it covers and how it is known; None for other documents."""
    rules = _rules()["delivered_report"]
    opening = text[: rules["opening_chars"]]
    if not (re.search(rules["title"], heading) or re.search(rules["opening"], opening)):
        return None
    if m := re.search(rules["review_heading"], text[: _rules()["year"]["review_chars"]]):
        return int(m.group(1)), f"review heading {m.group(1)}"
    if m := re.search(rules["date"], opening):
        return int(m.group(1)) - 1, f"delivered {m.group(1)}"
    if found := _years(heading):
        return found[0][0] - 1, f"delivered {found[0][0]} (title)"
    year, evidence = _resolve_year(heading, text)
    return year, f"government work report, {evidence}"


def _yearbook_year(heading: str, text: str) -> int | None:
    rules = _rules()["yearbook"]
    m = re.search(rules["pattern"], f"{heading}\n{text[: rules['opening_chars']]}")
    return int(m.group(1) or m.group(2)) - 1 if m else None


def resolve_period(title: str | None, text: str, *, published: str | None = None) -> PeriodResolution:
    title = title or ""
    # A title too long or too plain for normalization to call it one is still the document's first line.
    heading = title or text.split("\n", 1)[0]
    if _not_a_report(heading):
        year, year_ev = _resolve_year(title, text)
        return PeriodResolution(year=year, period=None, evidence=f"title names a plan or a rule; year {year_ev}")
    if delivered := _delivered_year(heading, text):
        return PeriodResolution(year=delivered[0], period=_rules()["delivered_report"]["period"], evidence=delivered[1])
    if (recorded := _yearbook_year(heading, text)) is not None:
        return PeriodResolution(
            year=recorded, period=_rules()["yearbook"]["period"], evidence=f"yearbook of {recorded + 1}"
        )
    found = _title_period(title)
    period_ev = f"title:{found[1]}" if found else ""
    if found is None:
        found = _body_period(text)
        period_ev = f"body:{found[1]}" if found else "no period phrase"
    year, year_ev = _resolve_year(title, text)
    if year is None and year_ev == "no year":
        year, year_ev = _news_year(text, published)
    if found is None and year is not None and not re.search(_rules()["whole_year_default"]["in_progress"], text):
        found, period_ev = (_rules()["whole_year_default"]["period"], ""), "no part of a year named: whole year"
    return PeriodResolution(year=year, period=found[0] if found else None, evidence=f"{period_ev}; year {year_ev}")
