"""Count figures: which enterprises a count is of and its high-tech action, patent measures, training.

Word lists are data (data/extract_rules.toml [high_tech], [patents], [training]).
"""

import re
from dataclasses import replace

from pipeline import numbers, segment
from pipeline.extract_text import Fact, Scope, any_of, evidence_of, last, rules, span_at, yoy
from pipeline.numbers import Quantity


def ht_action(clause: str, table: str = "actions") -> str | None:
    for action, words in rules()["high_tech"][table]:
        if any_of(*words).search(clause):
            return action
    return None


def enterprise_names(text: str, q: Quantity, clause: tuple[int, int]) -> tuple[str, ...]:
    """Names listed before '等N家' or after 'N家—'."""
    before = text[clause[0] : q.num_start]
    after = text[q.end : clause[1]]
    if before.endswith("等") and "、" in before:
        lead = last(any_of(*rules()["high_tech"]["name_lead_verbs"]), before.split("、")[0])
        listed = before[:-1]
        if lead:
            listed = listed[lead.end() :]
        items = listed.split("、")
    elif m := re.match(r"(?:企业)?[—\-－:：（(]([^）)。，；]+)", after):
        items = m.group(1).split("、")
    else:
        return ()
    names = (re.sub(r"[（(][^）)]*[）)]", "", i).strip(' “”"') for i in items)
    return tuple(n for n in names if 1 < len(n) <= 30)


def nearest_kind_of_enterprise(text: str, q: Quantity, clause: tuple[int, int]) -> str | None:
    """'high_tech', 'other' or None: which enterprise word in the clause is nearest the count."""
    ht = rules()["high_tech"]
    seg = text[clause[0] : clause[1]]
    pos = q.num_start - clause[0]
    best: tuple[int, str] | None = None
    for label, words in (("high_tech", ht["terms"]), ("other", ht["other_kinds"])):
        for m in any_of(*words).finditer(seg):
            if label == "high_tech" and modifies_other_noun(seg, m, pos):
                label = "other"
            dist = pos - m.end() if m.end() <= pos else m.start() - (q.end - clause[0])
            if best is None or dist < best[0] or (dist == best[0] and label == "other"):
                best = (dist, label)
    return best[1] if best else None


def in_high_tech_topic(text: str, scope: Scope) -> bool:
    """A count of plain 企业 with a high-tech procedure verb (56家企业提交申报材料, 新入库企业143家) in a
    sentence whose last enterprise kind named before the clause (else the first one after it in its
    semicolon group) is high-tech enterprises."""
    ht = rules()["high_tech"]
    clause = text[scope.clause[0] : scope.clause[1]]
    if "企业" not in clause or not any_of(*ht["topic_actions"]).search(clause):
        return False
    blockers = [b for b in rules()["ellipsis"]["blockers"] if b not in ht["topic_nouns"]]
    if any_of(*blockers, *ht["topic_blockers"]).search(clause):
        return False
    kind = last_enterprise_kind(text[scope.sentence[0] : scope.clause[0]])
    if kind:
        return kind == "high_tech"
    after = text[scope.clause[1] : scope.group[1]]  # 新增入库培育企业4家，确保全年高企达到8家
    term, other = any_of(*ht["terms"]).search(after), any_of(*ht["other_kinds"]).search(after)
    return term is not None and (other is None or term.start() < other.start())


def last_enterprise_kind(seg: str) -> str | None:
    """'high_tech', 'other' or None: the enterprise kind named last in seg."""
    ht = rules()["high_tech"]
    term, other = last(any_of(*ht["terms"]), seg), last(any_of(*ht["other_kinds"]), seg)
    if term is None:
        return "other" if other else None
    return "high_tech" if other is None or other.end() < term.end() else "other"


def listed_under_label(text: str, scope: Scope) -> bool:
    """A count under a label that names high-tech enterprises and holds no figure (新增高新技术企业数：
    于都县12家；兴国县9家): the label's last enterprise kind is high-tech. The items after the first
    continue it as a list of the sentence."""
    label = colon_label(text, scope)
    return bool(label) and last_enterprise_kind(label) == "high_tech"


def elided_high_tech(text: str, q: Quantity, scope: Scope, found: list[tuple[Fact, int]]) -> bool:
    """A count right after a high-tech procedure verb, with the noun left out (申报国家高新技术企业58家。
    …预计通过认定45家左右): it counts what the paragraph's last fact counted when that fact is high-tech
    and no other enterprise count stands between them."""
    if not found or not re.search(rules()["high_tech"]["elided_before"], text[scope.clause[0] : q.start]):
        return False
    fact, end = found[-1]
    between = text[end : q.start]
    if fact.indicator != "high_tech" or "\n" in between:
        return False
    return not any(f.kind == "enterprises" for f in numbers.find_quantities(between)) and not (
        last_enterprise_kind(between)
    )


def hoped_after(text: str, scope: Scope) -> str:
    """The next clause of the figure's group when it holds no figure and only hopes (…，有望在公示后获得认定):
    it says what the count is of and that it is expected. Empty otherwise."""
    following = segment.clauses(text, scope.clause[1], scope.group[1])
    if not following:
        return ""
    start, end = following[0]
    after = text[start:end].lstrip("，,")
    if not re.match(rules()["status"]["expected_next_clause"], after) or numbers.find_quantities(after):
        return ""
    return after


def is_place_item(text: str, q: Quantity, scope: Scope) -> bool:
    """The figure's item is a place and its count (于都县12家): an entry of a list by place."""
    return re.fullmatch(rules()["high_tech"]["place_item"], text[scope.subclause[0] : q.start].strip()) is not None


def modifies_other_noun(seg: str, term: re.Match, pos: int) -> bool:
    """The high-tech term qualifies another head noun (高新技术企业研发中心), not the enterprises counted."""
    ht = rules()["high_tech"]
    head = re.match(ht["modifier_head"], seg[term.end() :])
    if head is None or re.search(ht["modifier_entry_verbs"], seg[: term.start()]):
        return False
    between = seg[term.end() + head.end() : pos] if pos > term.end() else ""
    return "企业" not in between


def is_training(text: str, q: Quantity, scope: Scope, same_sentence: list[Fact]) -> bool:
    """培训 in the figure's own 、-item, in an earlier item of a list the figure closes (…培训、…等活动8场;
    培训农民、菜农900人), later in its clause with no other figure between, or an attendance count right
    after a training sessions count (举办培训班5期，服务企业员工300人次)."""
    t = rules()["training"]
    trigger = re.compile(t["trigger"])
    if trigger.search(text, scope.subclause[0], scope.subclause[1]):
        return True
    listed = text[scope.clause[0] : scope.subclause[0]]
    if trigger.search(listed) and not numbers.find_quantities(listed):
        if t["list_close"] in text[scope.subclause[0] : q.num_start]:
            return True
        items = segment.clauses(text, scope.clause[0], q.num_start, split_enumeration=True)
        opener = next(i for i, (s, e) in enumerate(items) if trigger.search(text, s, e))
        if all(e - s <= t["object_item_chars"] for s, e in items[opener + 1 :]):
            return True
    if attends_training(text, q, scope, same_sentence) or training_sessions(text, q, scope):
        return True
    after = text[q.end : scope.clause[1]]
    m = trigger.search(after)
    if m is None or numbers.find_quantities(after[: m.start()]):
        return False
    trigger_item = span_at(segment.clauses(text, *scope.clause, split_enumeration=True), q.end + m.start())
    return not numbers.find_quantities(text[trigger_item[0] : trigger_item[1]])


def training_sessions(text: str, q: Quantity, scope: Scope) -> bool:
    """Sessions of a meeting noun (举办宣讲会2场) in a semicolon group that also trains people (培训…150人次) or
    counts who attended them (…宣讲会5场，参加企业代表320人次)."""
    t = rules()["training"]
    if q.kind != "sessions" or not any_of(*t["session_nouns"]).search(text, scope.clause[0], q.start):
        return False
    after = text[q.end : scope.group[1]]
    people = next((f for f in numbers.find_quantities(after) if f.kind == "participants"), None)
    if people is None:
        return False
    lead = after[: people.num_start]
    return bool(re.search(t["trigger"], lead) or any_of(*t["meeting_attendance"]).search(lead))


def attends_training(text: str, q: Quantity, scope: Scope, same_sentence: list[Fact]) -> bool:
    """A participants count right after a training sessions count of its sentence: with an attendance word
    before it (举办培训班12期，服务企业员工800人次), joined to the sessions by 、 (培训36期、2400余人次), or
    alone in its clause with its verb after it (培训12场，1600余人次参加)."""
    t = rules()["training"]
    previous = same_sentence[-1] if same_sentence else None
    if q.kind != "participants" or previous is None or previous.indicator != "training":
        return False
    if previous.measure != "sessions":
        return False
    if text[previous.span_end : q.num_start] == "、":
        return True
    if previous.span_end > scope.clause[0]:
        return False
    between = text[previous.span_end : scope.clause[0]]
    if between.strip("，,、") or numbers.find_quantities(text[scope.clause[0] : q.start]):
        return False
    if any_of(*t["attendance"]).search(text, scope.clause[0], q.start):
        return True
    bare = not text[scope.clause[0] : q.num_start].strip()
    return bare and re.match(t["attendance_after"], text[q.end : scope.clause[1]]) is not None


def patent_measure(text: str, start: int, pos: int) -> str | None:
    p = rules()["patents"]
    seg = text[start:pos]
    found = [(m.end(), name) for name in ("applications", "grants") if (m := last(any_of(*p[name]), seg))]
    return max(found)[1] if found else None


def progress_fact(text: str, q: Quantity, scope: Scope, previous: Fact | None, local: str) -> Fact | None:
    """完成N件 right after a patent target of its sentence: the actual figure of the target's measure."""
    r = rules()
    if previous is None or previous.indicator != "patent" or previous.status != "target":
        return None
    if not re.search(r["patents"]["progress_before"], local) or any_of(*r["status"]["target"]).search(local):
        return None
    return replace(
        previous,
        value=q.value,
        status="actual",
        approx=q.approx,
        is_redacted=q.is_redacted,
        yoy_pct=yoy(text, q, scope),
        **evidence_of(text, q, scope),
    )


def part_measure(text: str, q: Quantity, scope: Scope, found: list[tuple[Fact, int]]) -> str:
    """A part naming no measure (其中发明专利6件) counts what its total counts."""
    marker = last(any_of(rules()["components"]["marker"]), text[scope.clause[0] : q.start])
    if marker is None:
        return ""
    measure = patent_measure(text, scope.sentence[0], q.start)
    if measure is None and found and found[-1][0].indicator == "patent":
        measure = found[-1][0].measure
    return measure or ""


def respective_measure(text: str, q: Quantity, scope: Scope) -> str | None:
    """申请量和授权量分别为A件和B件: the n-th measure named before 分别 is the n-th count's after it."""
    p = rules()["patents"]
    lead = last(re.compile(p["respectively"]), text[scope.clause[0] : q.start])
    if lead is None:
        return None
    at = scope.clause[0] + lead.start()
    words = [(name, any_of(*p[name])) for name in ("applications", "grants")]
    named = sorted((m.start(), name) for name, w in words for m in w.finditer(text, scope.clause[0], at))
    after = scope.clause[0] + lead.end()
    counts = [after + f.end for f in numbers.find_quantities(text[after : scope.clause[1]]) if f.kind == "patents"]
    if len(named) < 2 or len(named) != len(counts) or q.end not in counts:
        return None
    return named[counts.index(q.end)][1]


def colon_label(text: str, scope: Scope) -> str:
    """A label without figures that the figure's clause follows in its group (专利授权量：全年完成152件)."""
    label = text[scope.group[0] : scope.clause[0]]
    if not re.search(r"[：:]\s*$", label) or numbers.find_quantities(label):
        return ""
    return label
