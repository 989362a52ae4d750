"""A report's figures as one model: how the facts extract read relate to each other.

extract reads each figure where it stands (its indicator, status, action or kind, and a total stated in
its own sentence). What a comparison adds up depends on relations that span the report, decided here once
over all its facts:

- a figure restated (the summary's total again under its heading) counts once: `is_restatement`;
- a flow summed over more than the report's period (累计…, 五年来) is no flow of the period: `is_cumulative`;
- a part given as a share of a total the report states (…18家，占全市的60%) is a component;
- project-by-project money in the sentences after a funding total is a component of that total;
- one sum given to each of several recipients (两家企业分获奖补资金50万元) is one figure per recipient.

The words are data (data/figures.toml).
"""

import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path

from pipeline import numbers
from pipeline.extract_text import Fact, any_of, paragraph

_DATA = Path(__file__).parent / "data" / "figures.toml"


@cache
def rules() -> dict:
    with open(_DATA, "rb") as fh:
        return tomllib.load(fh)


def relate(text: str, facts: list[Fact]) -> list[Fact]:
    """The report's facts with their relations decided, in text order (a shared sum becomes one fact per
    recipient)."""
    facts = [_cumulative(f) for f in facts]
    facts = _shares_of_total(text, facts)
    facts = _parts_after_total(text, facts)
    facts = _parts_by_place(facts)
    facts = _restatements(facts)
    return _per_recipient(text, facts)


def _cumulative(fact: Fact) -> Fact:
    r = rules()["cumulative"]
    if fact.indicator == "high_tech" and fact.detail == "stock":
        return fact  # a stock is a level: 累计达到 is its usual wording
    if any_of(*r["since"]).search(fact.evidence):
        return replace(fact, is_cumulative=True)
    if not re.search(r["marker"], fact.evidence) or any_of(*r["within_period"]).search(fact.evidence):
        return fact
    if fact.indicator in r["flows"] and (fact.detail or "") in r["flows"][fact.indicator]:
        return replace(fact, is_cumulative=True)
    return fact


def _mark_parts(
    facts: list[Fact], is_item: Callable[[Fact], bool], is_total_of: Callable[[Fact, Fact], bool]
) -> list[Fact]:
    """Each fact that reads as an item and follows a larger figure that is its total is a component."""
    out: list[Fact] = []
    for fact in facts:
        if (
            not fact.is_component
            and fact.value is not None
            and is_item(fact)
            and any(f.value is not None and f.value > fact.value and is_total_of(f, fact) for f in out)
        ):
            fact = replace(fact, is_component=True)
        out.append(fact)
    return out


def _shares_of_total(text: str, facts: list[Fact]) -> list[Fact]:
    """A figure followed by its share of a total (占全市的60%) is a part when the report states a larger
    figure of the same measure earlier in its paragraph."""
    s = rules()["share"]
    share = re.compile(s["after"])
    return _mark_parts(
        facts,
        lambda f: share.match(text[f.span_end : f.span_end + s["window"]]) is not None,
        lambda total, part: (
            total.span_start >= paragraph(text, part.span_start)[0]
            and (total.indicator, total.measure, total.status) == (part.indicator, part.measure, part.status)
        ),
    )


def _parts_after_total(text: str, facts: list[Fact]) -> list[Fact]:
    """Money of single projects or recipients in the sentences after a funding total of its paragraph: parts of
    that total while they add up to no more than it."""
    p = rules()["parts_after_total"]
    item = any_of(*p["item_words"])
    stop = any_of(*p["own_total_words"])
    shared = re.compile(rules()["distribution"]["pattern"])
    out = list(facts)
    for i, total in enumerate(out):
        if (
            total.indicator != "funding"
            or total.detail not in p["total_kinds"]
            or total.is_component
            or total.value is None
            or total.is_cumulative
        ):
            continue
        para_end = paragraph(text, total.span_start)[1]
        left = total.value
        for j in range(i + 1, len(out)):
            part = out[j]
            if part.span_start >= para_end or part.indicator != "funding":
                break
            if part.is_component:
                continue
            clause = part.evidence
            sentence_break = any(c in text[total.span_end : part.span_start] for c in "。；;")
            if (
                not sentence_break
                or part.status != total.status
                or part.detail not in (total.detail, "other")
                or part.value is None
                or part.value > left * 1.001
                or stop.search(clause)
                or shared.search(clause)  # one sum to each of several recipients is an award of its own
                or not item.search(clause)
            ):
                break
            left -= part.value
            out[j] = replace(part, is_component=True)
    return out


def _parts_by_place(facts: list[Fact]) -> list[Fact]:
    """A figure of one of the region's places (湾沚区新增高企34家) after the whole region's total of the same
    measure earlier in the report (全市新增高新技术企业263家) is a part of that total."""
    p = rules()["parts_by_place"]
    return _mark_parts(
        facts,
        lambda f: re.match(p["place_opening"], f.evidence) is not None,
        lambda total, part: (
            not total.is_component
            and (total.indicator, total.measure, total.detail, total.status)
            == (part.indicator, part.measure, part.detail, part.status)
            and re.search(p["whole"], total.evidence) is not None
        ),
    )


def _restatements(facts: list[Fact]) -> list[Fact]:
    """The same figure stated again (same indicator, measure, kind or action, status and value) counts once.
    Small training counts coincide too often (5期 of two programmes) to be called one figure."""
    r = rules()["restatement"]
    seen: set[tuple] = set()
    out = []
    for fact in facts:
        key = (fact.indicator, fact.measure, fact.detail, fact.status, fact.value)
        distinctive = fact.value is not None and (fact.indicator != "training" or fact.value >= r["min_training_count"])
        if distinctive and key in seen and not fact.is_component:
            fact = replace(fact, is_restatement=True)
        elif distinctive and not fact.is_component:
            seen.add(key)
        out.append(fact)
    return out


def _named_recipients(text: str, fact: Fact) -> int | None:
    """How many organisations, named and joined before an 'each' verb of the figure's clause, share the sum."""
    d = rules()["distribution"]
    clause = fact.evidence
    if not re.search(d["each_verb"], clause):
        return None
    start = max(text.rfind(c, 0, fact.span_start) for c in "。；\n") + 1
    names = re.findall(
        f"(?:^|{d['joined_by']}|[，,])({d['recipient']})(?={d['joined_by']}|[^，。；]*?(?:{d['each_verb']}|获))",
        text[start : fact.span_start] + clause,
    )
    return len(names) if len(names) > 1 else None


def _per_recipient(text: str, facts: list[Fact]) -> list[Fact]:
    """One sum each of several recipients received (两家企业分获…50万元): one figure per recipient."""
    d = rules()["distribution"]
    pattern = re.compile(d["pattern"])
    out = []
    for fact in facts:
        m = pattern.search(fact.evidence)
        k = numbers.parse_number(m.group("n")) if m and fact.indicator == "funding" else None
        if k is None and fact.indicator == "funding":
            k = _named_recipients(text, fact)
        if k is None or not 1 < k <= d["max_recipients"] or k != int(k) or fact.value is None:
            out.append(fact)
            continue
        out.extend(replace(fact, recipient=i) for i in range(1, int(k) + 1))
    return out
