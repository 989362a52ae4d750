"""Turn a normalized report into indicator facts (funding, high-tech enterprises, patents, training).

Each figure is read from its unit (what is counted), the trigger words of its clause (which indicator),
the markers before it in its semicolon group (status) and the kind/action words nearest to it. The word
lists are data (data/extract_rules.toml); this module holds only the reading order, the helpers live in
extract_text (spans, status, evidence), extract_money, extract_counts and extract_parts (totals).
Figures that name no indicator (project counts, 科技型中小企业, output value) are left out on purpose.
"""

import re
from dataclasses import replace

from pipeline import doc_kind, figures, numbers, segment
from pipeline.extract_counts import (
    colon_label,
    elided_high_tech,
    enterprise_names,
    hoped_after,
    ht_action,
    in_high_tech_topic,
    is_place_item,
    is_training,
    listed_under_label,
    nearest_kind_of_enterprise,
    part_measure,
    patent_measure,
    progress_fact,
    respective_measure,
)
from pipeline.extract_money import funding_kind, is_funding
from pipeline.extract_parts import bare_item, breakdown_part, total_for
from pipeline.extract_text import (
    Fact,
    Found,
    any_of,
    before_parenthesis,
    compares,
    evidence_of,
    inside,
    last,
    local_text,
    marked_status,
    missing_counts,
    missing_money,
    plan_sections,
    rules,
    scope_of,
    span_at,
    suspect_figure,
    yoy,
)


def extract_facts(text: str, *, damaged_spans: tuple[tuple[int, int], ...] = ()) -> list[Fact]:
    """All indicator facts of one normalized report, in text order. Its genre (a bureau report, a
    regulation, a plan, a government work report...) decides which money can be S&T funding."""
    r = rules()
    genre = doc_kind.genre(None, text)
    years = set(re.findall(r["suspect"]["year"], text))
    plans = plan_sections(text)
    missing = [*missing_money(text), *missing_counts(text)]
    quantities = sorted([*numbers.find_quantities(text), *missing], key=lambda q: q.start)
    sentences = segment.sentences(text)
    found = Found()  # the facts kept so far with where each figure ends, for totals and lists
    seen: set[tuple] = set()
    kept: set[Fact] = set()
    previous_end = 0
    for q in quantities:
        sentence = span_at(sentences, q.num_start)
        scope = scope_of(text, sentence, q.num_start)
        if scope.clause[0] == scope.clause[1]:
            continue
        fact = _read(text, q, scope, found, previous_end, plans, years, damaged_spans, genre)
        previous_end = q.end
        if fact is None:
            continue
        # a report restating the same clause (often under a second heading) states one fact
        restated = text[scope.clause[0] : q.end].split()[-1]
        key = (fact.indicator, fact.measure, fact.value, fact.status, fact.detail, restated)
        if key not in seen and fact not in kept:  # an identical row would say nothing new
            seen.add(key)
            kept.add(fact)
            found.add(fact, q.end)
    return figures.relate(text, [fact for fact, _ in found])


def _read(text, q, scope, found: Found, previous_end, plans, years, damaged, genre) -> Fact | None:
    r = rules()
    clause_text = text[scope.clause[0] : scope.clause[1]]
    clause_prefix = text[scope.clause[0] : q.start]
    same_sentence = found.ending_after(scope.sentence[0])
    detail = None
    by_place = False  # an entry of a list by place: a part of the report's own total
    names: tuple[str, ...] = ()
    blockers = any_of(*r["ellipsis"]["blockers"])
    local = local_text(text, scope.clause[0], q.start, previous_end)
    if any_of(*r["rates"]["per_unit"]).search(local) or re.search(r["change"]["before"], local):
        return None
    if q.kind not in ("sessions", "participants") and compares(text, q, scope):
        return None
    if item := bare_item(text, q, scope, found, previous_end, years, damaged):
        return item

    if q.kind == "money":
        indicator, measure = "funding", "amount_cny"
    elif q.kind == "enterprises":
        indicator, measure = "high_tech", "enterprises"
    elif q.kind == "patents":
        indicator = "patent"
        label = colon_label(text, scope)
        measure = (
            respective_measure(text, q, scope)
            or patent_measure(text, scope.clause[0], q.start)
            or (label and patent_measure(label, 0, len(label)))
            or part_measure(text, q, scope, found)
        )
    else:
        indicator, measure = "training", q.kind

    total, crossed = total_for(text, q, scope, indicator, measure, found)
    in_component = total is not None

    hope = ""  # a hope stated in the next clause (有望…获得认定), for a high-tech count
    if indicator == "funding":
        if not is_funding(text, q, scope, previous_end, in_component, genre):
            return None
        if total is not None:
            # a part is read from its own item; a generic money word (资助) takes its total's kind
            item = text[scope.subclause[0] : q.start]
            marker = last(any_of(r["components"]["marker"]), item)
            own, nominal = funding_kind(item[marker.end() :] if marker else item)
            inherit = (own is None or nominal) and total.detail != "other"
            detail = total.detail if inherit else own or "other"
            if crossed and detail != total.detail:
                total = None  # a new kind after ；is a figure of its own
        if total is None:
            detail = funding_kind(text[scope.group[0] : q.start], scope.clause[0] - scope.group[0])[0] or "other"
    elif indicator == "high_tech":
        ht = r["high_tech"]
        if any_of(*ht["comparison"]).search(clause_text):
            return None
        if re.search(ht["service_object"], text[scope.clause[0] : q.start]):
            return None
        if re.search(ht["recipient_before"], text[scope.clause[0] : q.num_start]) and re.search(
            ht["recipient_after"], text[q.end : scope.clause[1]]
        ):
            return None
        if re.match(ht["selected_after"], text[q.end : scope.clause[1]]):
            return None
        if q.unit in ht["head_noun_units"] and not re.match(ht["head_noun_after"], text[q.end : q.end + 4]):
            return None
        names = enterprise_names(text, q, scope.clause)
        # the figure's own item, then the list up to it: a later item's action is not this one's, nor is
        # a breakdown in a parenthesis after the figure (58家通过认定（其中重新认定17家）)
        own_end = before_parenthesis(text, q, scope.subclause[1])
        own = [text[scope.subclause[0] : own_end], text[scope.clause[0] : own_end]]
        if names and text[q.num_start - 1] == "等":  # a note on one listed name (万里(复审)) is no action
            clause_text = text[q.num_start - 1 : before_parenthesis(text, q, scope.clause[1])]
            own = [clause_text]
        nearest = nearest_kind_of_enterprise(text, q, scope.clause)
        previous = same_sentence[-1] if same_sentence else None
        # 另有27家企业已通过专家评审，有望在公示后获得认定: the next clause, without a figure, says what is hoped
        hope = hoped_after(text, scope)
        clause_text += hope
        # generic 企业 in a breakdown of a high-tech total (其中首次申报企业9家) are high-tech enterprises
        continues = nearest is None and (
            total is not None
            or (
                previous is not None
                and previous.indicator == "high_tech"
                and (not blockers.search(clause_text) or any_of(*ht["specific_actions"]).search(clause_text))
            )
        )
        labelled = nearest is None and listed_under_label(text, scope)
        implied = labelled or (
            nearest is None and (in_high_tech_topic(text, scope) or elided_high_tech(text, q, scope, found))
        )
        if nearest != "high_tech" and not continues and not implied:
            return None
        by_place = (labelled or continues) and is_place_item(text, q, scope)
        # the action is said once for a run of clauses (新认定科技型中小企业45家，高新技术企业8家), but a
        # clause naming the enterprises anew with its own 达到 is a total (新增高企3家，全县高企达到40家)
        earlier = [text[s:e] for s, e in segment.clauses(text, scope.group[0], scope.clause[0])]
        weak = next(filter(None, (ht_action(t, "weak_actions") for t in own)), None)
        detail = next(filter(None, map(ht_action, own)), None)
        if detail is None and nearest == "high_tech":
            detail = weak
        if detail is None and weak is None and by_place and continues and previous:
            detail = previous.detail  # 新增高新技术企业数：于都县12家；兴国县9家
        detail = detail or next(filter(None, map(ht_action, reversed(earlier))), None) or weak or "stock"
        if crossed and total is not None and detail != total.detail:
            total = None  # a new action after ；is a figure of its own
    elif indicator == "patent":
        p = r["patents"]
        trig = last(re.compile(p["trigger"]), clause_prefix)
        named = trig is not None or re.search(p["trigger"], label) is not None  # 专利授权量：完成152件
        if any_of(*p["other_rights"]).search(clause_prefix):
            return None
        local = local_text(text, scope.clause[0], q.start, previous_end)
        previous = same_sentence[-1] if same_sentence else None
        progress = progress_fact(text, q, scope, previous, local) if not named else None
        if progress is not None:
            return replace(progress, is_suspect=suspect_figure(q, years, damaged))
        if named:
            if any_of(*p["blockers"]).search(clause_prefix[trig.end() :] if trig else clause_prefix):
                return None
        elif re.match(p["after_noun"], text[q.end :]):
            measure = measure or patent_measure(text, scope.group[0], q.start) or ""
        else:
            previous = same_sentence[-1] if same_sentence else None
            if not (previous and previous.indicator == "patent" and re.search(p["ellipsis_before"], local)):
                return None
            measure = measure or previous.measure  # 授权发明专利9件，实用新型48件: the list goes on
        if not measure:
            return None
        detail = "invention" if re.search(p["invention"], local) or re.match(p["invention"], text[q.end :]) else None
    elif not is_training(text, q, scope, same_sentence):
        return None

    # A part without its own marker shares its total's status; other figures fall back on the section.
    status = marked_status(text, scope.clause[0] if total else scope.group[0], q, scope.subclause[1])
    if indicator == "high_tech" and hope and status in (None, "actual"):
        status = "expected"
    if status is None:
        # a plan is targets throughout, but for the baseline it starts from (截至2021年底: an actual marker)
        in_plan = genre == "plan" or inside(plans, q.start)
        status = total.status if total else "target" if in_plan else "actual"
    is_component = (total is not None and not total.is_redacted) or by_place or breakdown_part(text, q, scope, found)
    return Fact(
        indicator=indicator,
        measure=measure,
        value=q.value,
        status=status,
        approx=q.approx,
        detail=detail,
        is_component=is_component,
        is_redacted=q.is_redacted,
        is_suspect=suspect_figure(q, years, damaged),
        yoy_pct=yoy(text, q, scope) if indicator in ("funding", "patent") else None,
        enterprise_names=names,
        **evidence_of(text, q, scope),
    )
