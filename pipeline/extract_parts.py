"""Totals and their parts: 其中 lists, labelled breakdowns (一季度：…) and 合计 clauses.

A part must never be added to its total, so a figure is marked a component only where its total is stated
beside it; a bare item figure (二季度：3场) counts what the nearest fact of its kind counts.
"""

import re
from functools import cache

from pipeline import numbers, segment
from pipeline.extract_counts import ht_action
from pipeline.extract_money import nearest_kind
from pipeline.extract_text import (
    DELIMITERS,
    ENUMERATOR,
    Fact,
    Scope,
    any_of,
    evidence_of,
    figures,
    kinds_in,
    last,
    local_text,
    marked_status,
    paragraph,
    rules,
    span_at,
    suspect_figure,
)
from pipeline.numbers import Quantity

MEASURES = {"money": ("amount_cny",), "enterprises": ("enterprises",), "patents": ("applications", "grants")}


def names_anew(text: str, start: int, end: int) -> bool:
    """A kind word, high-tech action or status marker of its own in text[start:end]."""
    seg = text[start:end]
    st = rules()["status"]
    return bool(
        nearest_kind(seg, nominal=False)
        or ht_action(seg)
        or ht_action(seg, "weak_actions")
        or any_of(*st["target"], *st["expected"], *st["actual"]).search(seg)
    )


def list_runs_on(text: str, scope: Scope, parts_from: int) -> bool:
    """Whether a 其中 list without a colon runs on across ；to the figure's group: every later group repeats
    the first part's shape (项目3项，资金900万元) and names no kind, action or status of its own."""
    groups = segment.groups(text, *scope.sentence)
    first_end = span_at(groups, parts_from)[1]
    shape = kinds_in(text, parts_from, first_end)
    later = [g for g in groups if first_end <= g[0] <= scope.group[0]]
    return bool(shape) and all(kinds_in(text, *g) == shape and not names_anew(text, *g) for g in later)


def total_for(
    text: str, q: Quantity, scope: Scope, indicator: str, measure: str, found: list[tuple[Fact, int]]
) -> tuple[Fact | None, bool]:
    """The total a figure is a part of, when 其中 stands between them, and whether the part list crosses a
    ；to reach the figure (only a list opened by 其中： does: 其中：A 200万元；B 12万元)."""
    head = text[scope.sentence[0] : q.start]
    m = last(any_of(rules()["components"]["marker"]), head)
    if m is None:
        return None, False
    c = rules()["components"]
    parts_from = scope.sentence[0] + m.end()
    crossed = scope.sentence[0] + m.start() < scope.group[0]
    if crossed and not re.match(c["list_opener"], head[m.end() :]) and not list_runs_on(text, scope, parts_from):
        return None, False
    if parts_from <= scope.clause[0] and any_of(*c["total_words"]).search(text, scope.clause[0], q.start):
        return None, False  # a total named after the parts (其中新认定21家，全市总数达到186家)
    at = m.start()
    tail = head[m.end() :]
    if tail.count(")") + tail.count("）") > tail.count("(") + tail.count("（"):
        return None, False  # the marker was inside a closed parenthesis
    at += scope.sentence[0]
    earliest = scope.sentence[0]
    if not text[scope.sentence[0] : at].strip(" >：:"):
        earliest = -1  # 其中 opens the sentence: the total closed the previous one
    for f, end in reversed(found):
        if f.indicator == indicator and f.measure == measure and not f.is_component and end <= at:
            return (f if end >= earliest else None), crossed
    return None, False


@cache
def _label_re() -> re.Pattern[str]:
    return re.compile(rf"(?:^|(?<=[，,；;。\s]))\s*(?:{rules()['breakdown']['label']})")


def label_at(text: str, start: int, end: int) -> re.Match | None:
    """The first item label (一季度：) opening a clause in text[start:end]."""
    return _label_re().search(text, start, end)


def unrelated(text: str, start: int, end: int) -> bool:
    """A clause without figures in text[start:end] names another activity (开展科技下乡活动)."""
    blockers = any_of(*rules()["breakdown"]["blockers"])
    pieces = re.split(f"[{re.escape(DELIMITERS)}。]", text[start:end])
    return any(blockers.search(p) for p in pieces if not figures(p, 0, len(p)))


def total_follows(text: str, q: Quantity, paragraph_end: int) -> bool:
    """A 合计 sentence after the figure in its paragraph counts the same kind (合计5场，240人次)."""
    m = re.compile(rules()["breakdown"]["total_after"]).search(text, q.end, paragraph_end)
    if m is None:
        return False
    sentence_end = min((e for _, e in segment.sentences(text) if e > m.start()), default=paragraph_end)
    return any(f.kind == q.kind for f in numbers.find_quantities(text[m.end() : sentence_end]))


def breakdown_part(text: str, q: Quantity, scope: Scope, found: list[tuple[Fact, int]]) -> bool:
    """A figure of a labelled item whose total the paragraph states (before the items or after them)."""
    para = paragraph(text, q.start)
    label = label_at(text, scope.group[0], q.start)
    if label is None:
        return False
    first = label_at(text, para[0], para[1])
    measures = MEASURES.get(q.kind, (q.kind,))
    before = any(f.measure in measures and para[0] <= f.span_start and end <= first.start() for f, end in found)
    return before or total_follows(text, q, para[1])


def heading_before(text: str, start: int) -> int:
    """Where the paragraph's lead starts: a short heading line without figures right before it counts."""
    previous = paragraph(text, start - 1)[0] if start else start
    line = text[previous : max(previous, start - 1)]
    if 0 < len(line.strip()) <= rules()["plan_sections"]["max_heading_chars"] and not figures(text, previous, start):
        return previous
    return start


def opens_with_total(text: str, scope: Scope) -> bool:
    """The figure's group opens with a bare total (合计5场，270人次: 270 is a total too)."""
    first = segment.clauses(text, *scope.group)[0]
    head = text[first[0] : first[1]]
    figure = numbers.find_quantities(head)
    if not figure or first[0] == scope.clause[0]:
        return False
    opened = head[: figure[0].start]
    opened = opened[len(ENUMERATOR.match(opened).group()) :].strip()
    bare = re.match(rules()["breakdown"]["bare_prefix"], opened)
    return bare is not None and bare["total"] is not None


def bare_item(text, q, scope, found, previous_end, years, damaged) -> Fact | None:
    """A figure standing alone after an item label (二季度：3场，210人次) or a total word (合计7场): it counts
    what the nearest fact of its kind in the paragraph counts, or training in a paragraph about 培训."""
    r = rules()
    local = local_text(text, scope.clause[0], q.start, previous_end).strip()
    bare = re.match(r["breakdown"]["bare_prefix"], local)
    label = label_at(text, scope.group[0], q.start)
    if bare is None or not (bare["total"] or label or (not local and opens_with_total(text, scope))):
        return None
    para = paragraph(text, q.start)
    measures = MEASURES.get(q.kind, (q.kind,))
    lead = next((f for f, _ in reversed(found) if f.measure in measures and f.span_start >= para[0]), None)
    if lead is not None and not unrelated(text, lead.span_end, q.start):
        indicator, measure, detail, status = lead.indicator, lead.measure, lead.detail, lead.status
    elif q.kind in ("sessions", "participants"):
        lead_from = heading_before(text, para[0])
        trigger = last(re.compile(r["training"]["trigger"]), text[lead_from : q.start])
        if trigger is None or unrelated(text, lead_from + trigger.end(), q.start):
            return None
        indicator, measure, detail, status = "training", q.kind, None, "actual"
    else:
        return None
    evidence = evidence_of(text, q, scope)
    if label and label.end() >= scope.clause[0] - 1:  # the item's label is part of its evidence (一季度：3场)
        start = label.start() + len(label.group()) - len(label.group().lstrip())
        evidence = {
            "evidence": text[start : evidence["span_end"]],
            "span_start": start,
            "span_end": evidence["span_end"],
        }
    return Fact(
        indicator=indicator,
        measure=measure,
        value=q.value,
        status=marked_status(text, scope.group[0], q, scope.subclause[1]) or status,
        approx=q.approx,
        detail=detail,
        is_component=bool(label) and breakdown_part(text, q, scope, found),
        is_redacted=q.is_redacted,
        is_suspect=suspect_figure(q, years, damaged),
        yoy_pct=None,
        enterprise_names=(),
        **evidence,
    )
