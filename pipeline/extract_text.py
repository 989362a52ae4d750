"""What the extraction rules share: the Fact record, the rules file, spans around a figure and its evidence.

A figure is read within nested spans of its sentence (semicolon group, clause, 、-item); its status comes
from markers before it, its yoy rate from the words after it. Figures whose digits were lost (资金万元,
授权专利件) are found here too, so every module counts figures the same way.
"""

import math
import re
import tomllib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pipeline import numbers, segment
from pipeline.numbers import Quantity

_DATA = Path(__file__).parent / "data"
# A list marker opening a heading or item: "二、", "（三）", "4.", with any "> " quote marks before it.
ENUMERATOR = re.compile(
    r"[\s>]*(?:(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、.．](?!\d))\s*)?"
)
DELIMITERS = "，。；：、,;:！？!?\n（）()“”"
_DELIMITER_TO_NEWLINE = str.maketrans(dict.fromkeys(DELIMITERS, "\n"))


@dataclass(frozen=True)
class Fact:
    indicator: str  # funding | high_tech | patent | training
    measure: str  # amount_cny | enterprises | applications | grants | sessions | participants
    value: float | None  # yuan for money, else count; None when redacted
    status: str  # actual | target | expected
    approx: str  # exact | at_least | about
    detail: str | None  # funding_kind for funding; action for high_tech; 'invention' or None for patents
    is_component: bool
    is_redacted: bool
    is_suspect: bool  # e.g. a year pasted in by the source site as a count
    yoy_pct: float | None
    enterprise_names: tuple[str, ...]  # high_tech only, where the report lists them
    evidence: str  # the clause (its own item where it lists several figures) == text[span_start:span_end]
    span_start: int
    span_end: int
    # Relations to the report's other figures, decided by pipeline/figures.py:
    is_restatement: bool = False  # the same figure stated earlier in the report: counted once
    is_cumulative: bool = False  # summed over more than the report's period (累计…以来)
    recipient: int = 0  # 1..k for one sum given to each of k recipients; 0 otherwise


class Found(list[tuple[Fact, int]]):
    """The facts of a report read so far, each with where its figure ends, in reading order.

    It also keeps the furthest end up to each fact, so the facts ending past a position are found from the
    back: a scan of every fact for every figure made extraction quadratic (a 320,000-character page
    took 16 s)."""

    def __init__(self) -> None:
        super().__init__()
        self._reach: list[int] = []

    def add(self, fact: Fact, end: int) -> None:
        self.append((fact, end))
        self._reach.append(max(end, self._reach[-1]) if self._reach else end)

    def ending_after(self, pos: int) -> list[Fact]:
        """The facts whose figure ends after `pos`, in reading order."""
        hits = []
        for i in range(len(self) - 1, -1, -1):
            if self._reach[i] <= pos:
                break
            if self[i][1] > pos:
                hits.append(self[i][0])
        return hits[::-1]


@dataclass(frozen=True)
class Scope:
    """The spans around one figure."""

    sentence: tuple[int, int]
    group: tuple[int, int]
    clause: tuple[int, int]
    subclause: tuple[int, int]


@cache
def rules() -> dict:
    with open(_DATA / "extract_rules.toml", "rb") as fh:
        return tomllib.load(fh)


@cache
def any_of(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def last(pattern: re.Pattern, text: str) -> re.Match | None:
    """The match ending last in text (nearest to a figure that follows it)."""
    best = None
    for m in pattern.finditer(text):
        if best is None or m.end() >= best.end():
            best = m
    return best


def span_at(spans: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The span holding pos (spans are sorted and do not overlap), or the empty span at pos."""
    i = bisect_right(spans, (pos, math.inf)) - 1
    if i >= 0 and spans[i][0] <= pos < spans[i][1]:
        return spans[i]
    return pos, pos


def inside(spans: Sequence[tuple[int, int]], pos: int) -> bool:
    """pos lies in one of the spans (sorted, not overlapping): a bisection, not a scan of them all."""
    start, end = span_at(spans, pos)
    return start <= pos < end


def scope_of(text: str, sentence: tuple[int, int], pos: int) -> Scope:
    group = span_at(segment.groups(text, *sentence), pos)
    clause = span_at(segment.clauses(text, *group), pos)
    sub = span_at(segment.clauses(text, *clause, split_enumeration=True), pos)
    return Scope(sentence, group, clause, sub)


def local_text(text: str, start: int, pos: int, previous_end: int) -> str:
    """Text between the last delimiter (or the previous figure) and a figure."""
    seg = text[max(start, previous_end) : pos]
    cut = seg.translate(_DELIMITER_TO_NEWLINE).rfind("\n")
    return seg[cut + 1 :]


def figures(text: str, start: int, end: int) -> int:
    span = text[start:end]
    missing = ("元" in span and len(numbers.MISSING_MONEY_RE.findall(span))) + len(missing_counts(span))
    return len(numbers.find_quantities(span)) + missing


def evidence_of(text: str, q: Quantity, scope: Scope) -> dict:
    """Evidence and span fields: each figure of an enumeration (A 3家、B 5家; X件（含Y件）) gets its own
    item, a single figure its clause."""
    start, end = scope.clause if figures(text, *scope.clause) <= 1 else item_span(text, scope.subclause, q)
    start += len(ENUMERATOR.match(text, start, end).group())
    while end > start and text[end - 1].isspace():
        end -= 1
    return {"evidence": text[start:end], "span_start": start, "span_end": end}


def item_span(text: str, span: tuple[int, int], q: Quantity) -> tuple[int, int]:
    """The figure's piece of a 、-item: a parenthesis holding it, or the item up to a parenthesis after it."""
    start, end = span
    opened = max(text.rfind("（", start, q.start), text.rfind("(", start, q.start))
    if opened >= 0 and not re.search(r"[）)]", text[opened : q.start]):
        start = opened + 1
    after = re.search(r"[（）()]", text[q.end : end])
    return start, q.end + after.start() if after else end


def before_parenthesis(text: str, q: Quantity, end: int) -> int:
    """Where a parenthesis after the figure opens (its words describe a breakdown, not the figure)."""
    m = re.search(r"[（(]", text[q.end : end])
    return q.end + m.start() if m else end


def paragraph(text: str, pos: int) -> tuple[int, int]:
    end = text.find("\n", pos)
    return text.rfind("\n", 0, pos) + 1, len(text) if end < 0 else end


def plan_sections(text: str) -> list[tuple[int, int]]:
    """Spans of plan sections (下一步工作打算 ... up to the next top-level heading), in text order."""
    r = rules()["plan_sections"]
    heading_re, top_re = re.compile(r["heading"]), re.compile(r["top_level"])
    spun_re, spun_cue_re = re.compile(r["spun_end"]), re.compile(r["spun_cues"])
    sections, open_at = [], None
    for s, e in segment.sentences(text):
        raw = text[s:e].strip()
        head = raw[ENUMERATOR.match(raw).end() :]
        head = head.split("：")[0].split(":")[0].strip()
        short = 0 < len(head) <= r["max_heading_chars"]
        m = heading_re.match(head)
        first = m["head"] if m else ""
        cued = spun_cue_re.search(first) if spun_re.search(first) else any(c in first for c in r["cues"])
        is_plan = m is not None and cued and not any(w in first for w in r["not_plan"])
        is_top = short and (top_re.match(raw) or any(w in head for w in r["title_words"]))
        if is_plan:
            if open_at is None:
                open_at = s
        elif is_top and open_at is not None:
            sections.append((open_at, s))
            open_at = None
    if open_at is not None:
        sections.append((open_at, len(text)))
    return sections


def marked_status(text: str, start: int, q: Quantity, item_end: int) -> str | None:
    """The status a marker gives a figure: the nearest one in text[start:q.start], else one after it in
    its own item (a marker in the next 、-item is that item's); None without a marker."""
    r = rules()["status"]
    prefix = text[start : q.start]
    best: tuple[int, str] | None = None
    for status in ("target", "expected", "actual"):
        m = last(any_of(*r[status]), prefix)
        if m and (best is None or m.end() > best[0]):
            best = (m.end(), status)
    if best:
        return best[1]
    suffix = text[q.end : item_end]
    if any_of(*r["target_after"]).search(suffix):
        return "target"
    if any_of(*r["expected_after"]).search(suffix):
        return "expected"
    return None


def compares(text: str, q: Quantity, scope: Scope) -> bool:
    """A comparison cue before the figure in its clause, or alone in the clause before it (相比之下，…)."""
    start = scope.clause[0]
    earlier = segment.clauses(text, scope.group[0], scope.clause[0])
    if earlier and not figures(text, *earlier[-1]):
        start = earlier[-1][0]
    return bool(any_of(*rules()["comparison"]["cues"]).search(text, start, q.start))


def suspect_figure(q: Quantity, years: set[str], damaged: tuple[tuple[int, int], ...]) -> bool:
    if any(s < q.end and q.start < e for s, e in damaged):
        return True
    d = q.digits
    if q.kind == "money":
        return any(d == y or (len(d) == 5 and d.startswith(y)) for y in years)
    return d in years


def kinds_in(text: str, start: int, end: int) -> tuple[str, ...]:
    return tuple(q.kind for q in numbers.find_quantities(text[start:end]))


def yoy(text: str, q: Quantity, scope: Scope) -> float | None:
    y = rules()["yoy"]
    m = re.search(y["pattern"], text[q.end : scope.group[1]])
    if not m:
        return respective_yoy(text, q, scope)
    pct = float(m.group("pct"))
    return -pct if m.group("dir") in y["negative_directions"] else pct


@cache
def _respective_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(one rate, the separator between rates, the lead word before the first rate)."""
    y = rules()["yoy"]
    rate = re.compile(y["respectively_rate"])
    return rate, re.compile(y["respectively_sep"]), re.compile(f"{y['respectively_lead']}(?={rate.pattern})")


def respective_yoy(text: str, q: Quantity, scope: Scope) -> float | None:
    """The rate of a figure in a list whose rates follow in order (A件、B件，分别同比增长x%和下降y%)."""
    rate, sep_re, lead = _respective_res()
    m = lead.search(text, q.end, scope.group[1])
    if m is None:
        return None
    rates: list[float] = []
    direction = None
    pos = m.end()
    while r := rate.match(text, pos, scope.group[1]):
        direction = r.group("dir") or direction
        if direction is None:
            return None
        pct = float(r.group("pct"))
        rates.append(-pct if direction in rules()["yoy"]["negative_directions"] else pct)
        pos = r.end()
        sep = sep_re.match(text, pos, scope.group[1])
        if sep is None:
            break
        pos = sep.end()
    listed = [f for f in numbers.find_quantities(text[scope.group[0] : m.start()]) if f.kind == q.kind]
    ends = [scope.group[0] + f.end for f in listed][-len(rates) :] if len(rates) > 1 else []
    return rates[ends.index(q.end)] if q.end in ends and len(ends) == len(rates) else None


def missing_money(text: str) -> list[Quantity]:
    """Money whose digits were lost (扶持资金万元): value None, redacted."""
    before = re.compile(rules()["funding"]["missing_digits_before"])
    found = []
    for m in numbers.MISSING_MONEY_RE.finditer(text):
        if before.search(text[max(0, m.start() - 12) : m.start()]):
            found.append(Quantity(None, "money", m.group(), "exact", True, "", m.start(), m.end(), m.start()))
    return found


@cache
def _missing_count_re(pattern: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """The compiled pattern and the units its `unit` group can match: a text holding none of them cannot
    match, and most clauses hold none (the regex engine would otherwise try every position of each)."""
    units = re.search(r"\(\?P<unit>([^()]*)\)", pattern)
    if units is None:
        raise ValueError(f"a [[missing_digits]] pattern names no (?P<unit>...) group: {pattern}")
    return re.compile(pattern.replace("{gap}", numbers.DIGITS_GAP)), tuple(units.group(1).split("|"))


@lru_cache(maxsize=1024)
def missing_counts(text: str) -> tuple[Quantity, ...]:
    """Counts whose digits were lost (授权专利件, 总数达到家, 培训农民人次): value None, redacted."""
    found = []
    for entry in rules()["missing_digits"]:
        pattern, units = _missing_count_re(entry["pattern"])
        if not any(unit in text for unit in units):
            continue
        for m in pattern.finditer(text):
            s, e = m.span("unit")
            found.append(Quantity(None, entry["kind"], m.group("unit"), "exact", True, "", s, e, s))
    return tuple(found)
