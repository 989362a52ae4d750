"""Turn a normalized report into indicator facts (funding, high-tech enterprises, patents, training).

Each figure is read from its unit (what is counted), the trigger words of its clause (which indicator),
the markers before it in its semicolon group (status) and the kind/action words nearest to it. The word
lists are data (data/extract_rules.toml); this module holds only the reading order. Figures that name
no indicator (project counts, 科技型中小企业, output value) are left out on purpose.
"""

import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from pipeline import numbers, segment
from pipeline.numbers import Quantity

_DATA = Path(__file__).parent / "data"
# A list marker opening a heading or item: "二、", "（三）", "4.", with any "> " quote marks before it.
_ENUMERATOR = re.compile(
    r"[\s>]*(?:(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、.．](?!\d))\s*)?"
)
_DELIMITERS = "，。；：、,;:！？!?\n（）()“”"


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


@dataclass(frozen=True)
class _Scope:
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
def _re(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _last(pattern: re.Pattern, text: str) -> re.Match | None:
    """The match ending last in text (nearest to a figure that follows it)."""
    best = None
    for m in pattern.finditer(text):
        if best is None or m.end() >= best.end():
            best = m
    return best


# ---------------------------------------------------------------- scopes


def _find(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return pos, pos


def _scope(text: str, sentence: tuple[int, int], pos: int) -> _Scope:
    group = _find(segment.groups(text, *sentence), pos)
    clause = _find(segment.clauses(text, *group), pos)
    sub = _find(segment.clauses(text, *clause, split_enumeration=True), pos)
    return _Scope(sentence, group, clause, sub)


def _plan_sections(text: str) -> list[tuple[int, int]]:
    """Spans of plan sections (下一步工作打算 ... up to the next top-level heading)."""
    r = rules()["plan_sections"]
    heading_re, top_re = re.compile(r["heading"]), re.compile(r["top_level"])
    spun_re, spun_cue_re = re.compile(r["spun_end"]), re.compile(r["spun_cues"])
    sections, open_at = [], None
    for s, e in segment.sentences(text):
        raw = text[s:e].strip()
        head = raw[_ENUMERATOR.match(raw).end() :]
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


# ---------------------------------------------------------------- attributes


def _marked_status(text: str, start: int, q: Quantity, item_end: int) -> str | None:
    """The status a marker gives a figure: the nearest one in text[start:q.start], else one after it in
    its own item (a marker in the next 、-item is that item's); None without a marker."""
    r = rules()["status"]
    prefix = text[start : q.start]
    best: tuple[int, str] | None = None
    for status in ("target", "expected", "actual"):
        m = _last(_re(*r[status]), prefix)
        if m and (best is None or m.end() > best[0]):
            best = (m.end(), status)
    if best:
        return best[1]
    suffix = text[q.end : item_end]
    if _re(*r["target_after"]).search(suffix):
        return "target"
    if _re(*r["expected_after"]).search(suffix):
        return "expected"
    return None


def _nearest_kind(text: str, *, nominal: bool) -> tuple[int, str] | None:
    """(end, kind) of the kind word nearest the end of text, among nominal or other entries."""
    best: tuple[int, int, str] | None = None
    for rank, entry in enumerate(rules()["funding"]["kinds"]):
        if entry.get("nominal", False) != nominal:
            continue
        m = _last(_re(*entry["words"]), text)
        if m and (best is None or (m.end(), -rank) > (best[0], -best[1])):
            best = (m.end(), rank, entry["kind"])
    return (best[0], best[2]) if best else None


def _funding_kind(prefix: str, clause_from: int = 0) -> tuple[str | None, bool]:
    """The kind word nearest before a money figure, and whether it is only a nominal one (扶持资金).

    A nominal word yields to another kind word earlier in its clause (prefix[clause_from:]); an earlier
    application verb turns the kind into a request."""
    f = rules()["funding"]
    strong = _nearest_kind(prefix, nominal=False)
    weak = _nearest_kind(prefix, nominal=True)
    nominal = weak is not None and (strong is None or weak[0] > strong[0])
    if nominal and (governing := _nearest_kind(prefix[clause_from:], nominal=False)):
        kind, nominal = governing[1], False
    else:
        kind = (weak if nominal else strong or (None, None))[1]
    req = f["request"]
    if kind in req["keep_kinds"]:
        return kind, nominal
    verb = _last(_re(*req["verbs"]), prefix)
    if verb and not _re(*req["award_verbs"]).search(prefix[verb.end() :]):
        return "project_request", False
    return kind, nominal


def _ht_action(clause: str, table: str = "actions") -> str | None:
    for action, words in rules()["high_tech"][table]:
        if _re(*words).search(clause):
            return action
    return None


def _enterprise_names(text: str, q: Quantity, clause: tuple[int, int]) -> tuple[str, ...]:
    """Names listed before '等N家' or after 'N家—'."""
    before = text[clause[0] : q.num_start]
    after = text[q.end : clause[1]]
    if before.endswith("等") and "、" in before:
        lead = _last(_re(*rules()["high_tech"]["name_lead_verbs"]), before.split("、")[0])
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


def _yoy(text: str, q: Quantity, scope: _Scope) -> float | None:
    y = rules()["yoy"]
    m = re.search(y["pattern"], text[q.end : scope.group[1]])
    if not m:
        return _respective_yoy(text, q, scope)
    pct = float(m.group("pct"))
    return -pct if m.group("dir") in y["negative_directions"] else pct


def _respective_yoy(text: str, q: Quantity, scope: _Scope) -> float | None:
    """The rate of a figure in a list whose rates follow in order (A件、B件，分别同比增长x%和下降y%)."""
    y = rules()["yoy"]
    rate, sep_re = re.compile(y["respectively_rate"]), re.compile(y["respectively_sep"])
    m = re.compile(f"{y['respectively_lead']}(?={rate.pattern})").search(text, q.end, scope.group[1])
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
        rates.append(-pct if direction in y["negative_directions"] else pct)
        pos = r.end()
        sep = sep_re.match(text, pos, scope.group[1])
        if sep is None:
            break
        pos = sep.end()
    listed = [f for f in numbers.find_quantities(text[scope.group[0] : m.start()]) if f.kind == q.kind]
    ends = [scope.group[0] + f.end for f in listed][-len(rates) :] if len(rates) > 1 else []
    return rates[ends.index(q.end)] if q.end in ends and len(ends) == len(rates) else None


# ---------------------------------------------------------------- indicators


def _local(text: str, start: int, pos: int, previous_end: int) -> str:
    """Text between the last delimiter (or the previous figure) and a figure."""
    seg = text[max(start, previous_end) : pos]
    cut = max(seg.rfind(c) for c in _DELIMITERS)
    return seg[cut + 1 :]


def _is_funding(text: str, q: Quantity, scope: _Scope, previous_end: int, in_component: bool) -> bool:
    f = rules()["funding"]
    local = _local(text, scope.clause[0], q.start, previous_end)
    if _re(*f["negative"]).search(local):
        return False
    if q.unit in numbers.bare_money_units() and not _re(*f["bare_money_words"]).search(local):
        return False
    if in_component:
        return True
    if _re(*f["nouns"]).search(text[scope.clause[0] : q.start]):
        return True
    return bool(_re(*f["after_nouns"]).match(text[q.end : q.end + 4].lstrip("的")))


def _nearest_kind_of_enterprise(text: str, q: Quantity, clause: tuple[int, int]) -> str | None:
    """'high_tech', 'other' or None: which enterprise word in the clause is nearest the count."""
    ht = rules()["high_tech"]
    seg = text[clause[0] : clause[1]]
    pos = q.num_start - clause[0]
    best: tuple[int, str] | None = None
    for label, words in (("high_tech", ht["terms"]), ("other", ht["other_kinds"])):
        for m in _re(*words).finditer(seg):
            if label == "high_tech" and _modifies_other_noun(seg, m, pos):
                label = "other"
            dist = pos - m.end() if m.end() <= pos else m.start() - (q.end - clause[0])
            if best is None or dist < best[0] or (dist == best[0] and label == "other"):
                best = (dist, label)
    return best[1] if best else None


def _in_high_tech_topic(text: str, scope: _Scope) -> bool:
    """A count of plain 企业 with a high-tech procedure verb (56家企业提交申报材料, 新入库企业143家) in a
    sentence whose last enterprise kind named before the clause (else the first one after it in its
    semicolon group) is high-tech enterprises."""
    ht = rules()["high_tech"]
    clause = text[scope.clause[0] : scope.clause[1]]
    if "企业" not in clause or not _re(*ht["topic_actions"]).search(clause):
        return False
    blockers = [b for b in rules()["ellipsis"]["blockers"] if b not in ht["topic_nouns"]]
    if _re(*blockers, *ht["topic_blockers"]).search(clause):
        return False
    before = text[scope.sentence[0] : scope.clause[0]]
    term = _last(_re(*ht["terms"]), before)
    other = _last(_re(*ht["other_kinds"]), before)
    if term or other:
        return term is not None and (other is None or other.end() < term.end())
    after = text[scope.clause[1] : scope.group[1]]  # 新增入库培育企业4家，确保全年高企达到8家
    term, other = _re(*ht["terms"]).search(after), _re(*ht["other_kinds"]).search(after)
    return term is not None and (other is None or term.start() < other.start())


def _modifies_other_noun(seg: str, term: re.Match, pos: int) -> bool:
    """The high-tech term qualifies another head noun (高新技术企业研发中心), not the enterprises counted."""
    ht = rules()["high_tech"]
    head = re.match(ht["modifier_head"], seg[term.end() :])
    if head is None or re.search(ht["modifier_entry_verbs"], seg[: term.start()]):
        return False
    between = seg[term.end() + head.end() : pos] if pos > term.end() else ""
    return "企业" not in between


def _is_training(text: str, q: Quantity, scope: _Scope, same_sentence: list[Fact]) -> bool:
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
    if _attends_training(text, q, scope, same_sentence) or _training_sessions(text, q, scope):
        return True
    after = text[q.end : scope.clause[1]]
    m = trigger.search(after)
    if m is None or numbers.find_quantities(after[: m.start()]):
        return False
    trigger_item = _find(segment.clauses(text, *scope.clause, split_enumeration=True), q.end + m.start())
    return not numbers.find_quantities(text[trigger_item[0] : trigger_item[1]])


def _training_sessions(text: str, q: Quantity, scope: _Scope) -> bool:
    """Sessions of a meeting noun (举办宣讲会2场) in a semicolon group that also trains people (培训…150人次)."""
    t = rules()["training"]
    if q.kind != "sessions" or not _re(*t["session_nouns"]).search(text, scope.clause[0], q.start):
        return False
    m = re.compile(t["trigger"]).search(text, q.end, scope.group[1])
    return m is not None and any(
        f.kind == "participants" for f in numbers.find_quantities(text[m.end() : scope.group[1]])
    )


def _attends_training(text: str, q: Quantity, scope: _Scope, same_sentence: list[Fact]) -> bool:
    t = rules()["training"]
    previous = same_sentence[-1] if same_sentence else None
    if q.kind != "participants" or previous is None or previous.indicator != "training":
        return False
    if previous.measure != "sessions" or previous.span_end > scope.clause[0]:
        return False
    between = text[previous.span_end : scope.clause[0]]
    if between.strip("，,、") or numbers.find_quantities(text[scope.clause[0] : q.start]):
        return False
    return bool(_re(*t["attendance"]).search(text, scope.clause[0], q.start))


def _patent_measure(text: str, start: int, pos: int) -> str | None:
    p = rules()["patents"]
    seg = text[start:pos]
    found = [(m.end(), name) for name in ("applications", "grants") if (m := _last(_re(*p[name]), seg))]
    return max(found)[1] if found else None


# ---------------------------------------------------------------- main


def _missing_money(text: str) -> list[Quantity]:
    """Money whose digits were lost (扶持资金万元): value None, redacted."""
    before = re.compile(rules()["funding"]["missing_digits_before"])
    found = []
    for m in numbers.MISSING_MONEY_RE.finditer(text):
        if before.search(text[max(0, m.start() - 12) : m.start()]):
            found.append(Quantity(None, "money", m.group(), "exact", True, "", m.start(), m.end(), m.start()))
    return found


def _missing_patents(text: str) -> list[Quantity]:
    """Patent counts whose digits were lost (授权专利件): value None, redacted."""
    found = []
    for m in _re(rules()["patents"]["missing_digits"]).finditer(text):
        s, e = m.span("unit")
        found.append(Quantity(None, "patents", m.group("unit"), "exact", True, "", s, e, s))
    return found


def _suspect(q: Quantity, years: set[str], damaged: tuple[tuple[int, int], ...]) -> bool:
    if any(s < q.end and q.start < e for s, e in damaged):
        return True
    d = q.digits
    if q.kind == "money":
        return any(d == y or (len(d) == 5 and d.startswith(y)) for y in years)
    return d in years


def extract_facts(text: str, *, damaged_spans: tuple[tuple[int, int], ...] = ()) -> list[Fact]:
    """All indicator facts of one normalized report, in text order."""
    r = rules()
    years = set(re.findall(r["suspect"]["year"], text))
    plans = _plan_sections(text)
    missing = _missing_money(text) + _missing_patents(text)
    quantities = sorted(numbers.find_quantities(text) + missing, key=lambda q: q.start)
    sentences = segment.sentences(text)
    facts: list[Fact] = []
    ends: list[int] = []  # where each fact's figure ends, for finding totals
    seen: set[tuple] = set()
    previous_end = 0
    for q in quantities:
        sentence = _find(sentences, q.num_start)
        scope = _scope(text, sentence, q.num_start)
        if scope.clause[0] == scope.clause[1]:
            continue
        found = list(zip(facts, ends, strict=True))
        fact = _read(text, q, scope, found, previous_end, plans, years, damaged_spans)
        previous_end = q.end
        if fact is None:
            continue
        # a report restating the same clause (often under a second heading) states one fact
        restated = text[scope.clause[0] : q.end].split()[-1]
        key = (fact.indicator, fact.measure, fact.value, fact.status, fact.detail, restated)
        if key not in seen and fact not in facts:  # an identical row would say nothing new
            seen.add(key)
            facts.append(fact)
            ends.append(q.end)
    return facts


def _figures(text: str, start: int, end: int) -> int:
    span = text[start:end]
    missing = len(numbers.MISSING_MONEY_RE.findall(span)) + len(_missing_patents(span))
    return len(numbers.find_quantities(span)) + missing


def _compares(text: str, q: Quantity, scope: _Scope) -> bool:
    """A comparison cue before the figure in its clause, or alone in the clause before it (相比之下，…)."""
    start = scope.clause[0]
    earlier = segment.clauses(text, scope.group[0], scope.clause[0])
    if earlier and not _figures(text, *earlier[-1]):
        start = earlier[-1][0]
    return bool(_re(*rules()["comparison"]["cues"]).search(text, start, q.start))


def _before_parenthesis(text: str, q: Quantity, end: int) -> int:
    """Where a parenthesis after the figure opens (its words describe a breakdown, not the figure)."""
    m = re.search(r"[（(]", text[q.end : end])
    return q.end + m.start() if m else end


def _item(text: str, span: tuple[int, int], q: Quantity) -> tuple[int, int]:
    """The figure's piece of a 、-item: a parenthesis holding it, or the item up to a parenthesis after it."""
    start, end = span
    opened = max(text.rfind("（", start, q.start), text.rfind("(", start, q.start))
    if opened >= 0 and not re.search(r"[）)]", text[opened : q.start]):
        start = opened + 1
    after = re.search(r"[（）()]", text[q.end : end])
    return start, q.end + after.start() if after else end


def _part_measure(text: str, q: Quantity, scope: _Scope, found: list[tuple[Fact, int]]) -> str:
    """A part naming no measure (其中发明专利6件) counts what its total counts."""
    marker = _last(_re(rules()["components"]["marker"]), text[scope.clause[0] : q.start])
    if marker is None:
        return ""
    measure = _patent_measure(text, scope.sentence[0], q.start)
    if measure is None and found and found[-1][0].indicator == "patent":
        measure = found[-1][0].measure
    return measure or ""


def _shape(text: str, start: int, end: int) -> tuple[str, ...]:
    return tuple(q.kind for q in numbers.find_quantities(text[start:end]))


def _names_anew(text: str, start: int, end: int) -> bool:
    """A kind word, high-tech action or status marker of its own in text[start:end]."""
    seg = text[start:end]
    st = rules()["status"]
    return bool(
        _nearest_kind(seg, nominal=False)
        or _ht_action(seg)
        or _ht_action(seg, "weak_actions")
        or _re(*st["target"], *st["expected"], *st["actual"]).search(seg)
    )


def _list_runs_on(text: str, scope: _Scope, parts_from: int) -> bool:
    """Whether a 其中 list without a colon runs on across ；to the figure's group: every later group repeats
    the first part's shape (项目3项，资金900万元) and names no kind, action or status of its own."""
    groups = segment.groups(text, *scope.sentence)
    first_end = _find(groups, parts_from)[1]
    shape = _shape(text, parts_from, first_end)
    later = [g for g in groups if first_end <= g[0] <= scope.group[0]]
    return bool(shape) and all(_shape(text, *g) == shape and not _names_anew(text, *g) for g in later)


def _total_for(
    text: str, q: Quantity, scope: _Scope, indicator: str, measure: str, found: list[tuple[Fact, int]]
) -> tuple[Fact | None, bool]:
    """The total a figure is a part of, when 其中 stands between them, and whether the part list crosses a
    ；to reach the figure (only a list opened by 其中： does: 其中：A 200万元；B 12万元)."""
    head = text[scope.sentence[0] : q.start]
    m = _last(_re(rules()["components"]["marker"]), head)
    if m is None:
        return None, False
    c = rules()["components"]
    parts_from = scope.sentence[0] + m.end()
    crossed = scope.sentence[0] + m.start() < scope.group[0]
    if crossed and not re.match(c["list_opener"], head[m.end() :]) and not _list_runs_on(text, scope, parts_from):
        return None, False
    if parts_from <= scope.clause[0] and _re(*c["total_words"]).search(text, scope.clause[0], q.start):
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


_MEASURES = {"money": ("amount_cny",), "enterprises": ("enterprises",), "patents": ("applications", "grants")}


def _paragraph(text: str, pos: int) -> tuple[int, int]:
    end = text.find("\n", pos)
    return text.rfind("\n", 0, pos) + 1, len(text) if end < 0 else end


def _label_at(text: str, start: int, end: int) -> re.Match | None:
    """The first item label (一季度：) opening a clause in text[start:end]."""
    return re.compile(rf"(?:^|(?<=[，,；;。\s]))\s*(?:{rules()['breakdown']['label']})").search(text, start, end)


def _unrelated(text: str, start: int, end: int) -> bool:
    """A clause without figures in text[start:end] names another activity (开展科技下乡活动)."""
    blockers = _re(*rules()["breakdown"]["blockers"])
    pieces = re.split(f"[{re.escape(_DELIMITERS)}。]", text[start:end])
    return any(blockers.search(p) for p in pieces if not _figures(p, 0, len(p)))


def _total_follows(text: str, q: Quantity, paragraph_end: int) -> bool:
    """A 合计 sentence after the figure in its paragraph counts the same kind (合计5场，240人次)."""
    m = re.compile(rules()["breakdown"]["total_after"]).search(text, q.end, paragraph_end)
    if m is None:
        return False
    sentence_end = min((e for _, e in segment.sentences(text) if e > m.start()), default=paragraph_end)
    return any(f.kind == q.kind for f in numbers.find_quantities(text[m.end() : sentence_end]))


def _breakdown_part(text: str, q: Quantity, scope: _Scope, found: list[tuple[Fact, int]]) -> bool:
    """A figure of a labelled item whose total the paragraph states (before the items or after them)."""
    para = _paragraph(text, q.start)
    label = _label_at(text, scope.group[0], q.start)
    if label is None:
        return False
    first = _label_at(text, para[0], para[1])
    measures = _MEASURES.get(q.kind, (q.kind,))
    before = any(f.measure in measures and para[0] <= f.span_start and end <= first.start() for f, end in found)
    return before or _total_follows(text, q, para[1])


def _heading_before(text: str, start: int) -> int:
    """Where the paragraph's lead starts: a short heading line without figures right before it counts."""
    previous = _paragraph(text, start - 1)[0] if start else start
    line = text[previous : max(previous, start - 1)]
    if 0 < len(line.strip()) <= rules()["plan_sections"]["max_heading_chars"] and not _figures(text, previous, start):
        return previous
    return start


def _opens_with_total(text: str, scope: _Scope) -> bool:
    """The figure's group opens with a bare total (合计5场，270人次: 270 is a total too)."""
    first = segment.clauses(text, *scope.group)[0]
    head = text[first[0] : first[1]]
    figure = numbers.find_quantities(head)
    if not figure or first[0] == scope.clause[0]:
        return False
    opened = head[: figure[0].start]
    opened = opened[len(_ENUMERATOR.match(opened).group()) :].strip()
    bare = re.match(rules()["breakdown"]["bare_prefix"], opened)
    return bare is not None and bare["total"] is not None


def _bare_item(text, q, scope, found, previous_end, years, damaged) -> Fact | None:
    """A figure standing alone after an item label (二季度：3场，210人次) or a total word (合计7场): it counts
    what the nearest fact of its kind in the paragraph counts, or training in a paragraph about 培训."""
    r = rules()
    local = _local(text, scope.clause[0], q.start, previous_end).strip()
    bare = re.match(r["breakdown"]["bare_prefix"], local)
    label = _label_at(text, scope.group[0], q.start)
    if bare is None or not (bare["total"] or label or (not local and _opens_with_total(text, scope))):
        return None
    para = _paragraph(text, q.start)
    measures = _MEASURES.get(q.kind, (q.kind,))
    lead = next((f for f, _ in reversed(found) if f.measure in measures and f.span_start >= para[0]), None)
    if lead is not None and not _unrelated(text, lead.span_end, q.start):
        indicator, measure, detail, status = lead.indicator, lead.measure, lead.detail, lead.status
    elif q.kind in ("sessions", "participants"):
        lead_from = _heading_before(text, para[0])
        trigger = _last(re.compile(r["training"]["trigger"]), text[lead_from : q.start])
        if trigger is None or _unrelated(text, lead_from + trigger.end(), q.start):
            return None
        indicator, measure, detail, status = "training", q.kind, None, "actual"
    else:
        return None
    evidence = _evidence(text, q, scope)
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
        status=_marked_status(text, scope.group[0], q, scope.subclause[1]) or status,
        approx=q.approx,
        detail=detail,
        is_component=bool(label) and _breakdown_part(text, q, scope, found),
        is_redacted=q.is_redacted,
        is_suspect=_suspect(q, years, damaged),
        yoy_pct=None,
        enterprise_names=(),
        **evidence,
    )


def _progress(text: str, q: Quantity, scope: _Scope, previous: Fact | None, local: str) -> Fact | None:
    """完成N件 right after a patent target of its sentence: the actual figure of the target's measure."""
    r = rules()
    if previous is None or previous.indicator != "patent" or previous.status != "target":
        return None
    if not re.search(r["patents"]["progress_before"], local) or _re(*r["status"]["target"]).search(local):
        return None
    return replace(
        previous,
        value=q.value,
        status="actual",
        approx=q.approx,
        is_redacted=q.is_redacted,
        yoy_pct=_yoy(text, q, scope),
        **_evidence(text, q, scope),
    )


def _read(text, q, scope, found, previous_end, plans, years, damaged) -> Fact | None:
    r = rules()
    clause_text = text[scope.clause[0] : scope.clause[1]]
    clause_prefix = text[scope.clause[0] : q.start]
    same_sentence = [f for f, end in found if end > scope.sentence[0]]
    detail = None
    names: tuple[str, ...] = ()
    blockers = _re(*r["ellipsis"]["blockers"])
    local = _local(text, scope.clause[0], q.start, previous_end)
    if _re(*r["rates"]["per_unit"]).search(local) or re.search(r["change"]["before"], local):
        return None
    if q.kind not in ("sessions", "participants") and _compares(text, q, scope):
        return None
    if item := _bare_item(text, q, scope, found, previous_end, years, damaged):
        return item

    if q.kind == "money":
        indicator, measure = "funding", "amount_cny"
    elif q.kind == "enterprises":
        indicator, measure = "high_tech", "enterprises"
    elif q.kind == "patents":
        indicator = "patent"
        measure = _patent_measure(text, scope.clause[0], q.start) or _part_measure(text, q, scope, found)
    else:
        indicator, measure = "training", q.kind

    total, crossed = _total_for(text, q, scope, indicator, measure, found)
    in_component = total is not None

    if indicator == "funding":
        if not _is_funding(text, q, scope, previous_end, in_component):
            return None
        if total is not None:
            # a part is read from its own item; a generic money word (资助) takes its total's kind
            item = text[scope.subclause[0] : q.start]
            marker = _last(_re(r["components"]["marker"]), item)
            own, nominal = _funding_kind(item[marker.end() :] if marker else item)
            inherit = (own is None or nominal) and total.detail != "other"
            detail = total.detail if inherit else own or "other"
            if crossed and detail != total.detail:
                total = None  # a new kind after ；is a figure of its own
        if total is None:
            detail = _funding_kind(text[scope.group[0] : q.start], scope.clause[0] - scope.group[0])[0] or "other"
    elif indicator == "high_tech":
        ht = r["high_tech"]
        if _re(*ht["comparison"]).search(clause_text):
            return None
        if re.search(ht["service_object"], text[scope.clause[0] : q.start]):
            return None
        if re.search(ht["recipient_before"], text[scope.clause[0] : q.num_start]) and re.search(
            ht["recipient_after"], text[q.end : scope.clause[1]]
        ):
            return None
        if q.unit in ht["head_noun_units"] and not re.match(ht["head_noun_after"], text[q.end : q.end + 4]):
            return None
        names = _enterprise_names(text, q, scope.clause)
        # the figure's own item, then the list up to it: a later item's action is not this one's, nor is
        # a breakdown in a parenthesis after the figure (58家通过认定（其中重新认定17家）)
        own_end = _before_parenthesis(text, q, scope.subclause[1])
        own = [text[scope.subclause[0] : own_end], text[scope.clause[0] : own_end]]
        if names and text[q.num_start - 1] == "等":  # a note on one listed name (万里(复审)) is no action
            clause_text = text[q.num_start - 1 : _before_parenthesis(text, q, scope.clause[1])]
            own = [clause_text]
        nearest = _nearest_kind_of_enterprise(text, q, scope.clause)
        previous = same_sentence[-1] if same_sentence else None
        # generic 企业 in a breakdown of a high-tech total (其中首次申报企业9家) are high-tech enterprises
        continues = nearest is None and (
            total is not None
            or (
                previous is not None
                and previous.indicator == "high_tech"
                and (not blockers.search(clause_text) or _re(*ht["specific_actions"]).search(clause_text))
            )
        )
        if nearest != "high_tech" and not continues and not (nearest is None and _in_high_tech_topic(text, scope)):
            return None
        # the action is said once for a run of clauses (新认定科技型中小企业45家，高新技术企业8家), but a
        # clause naming the enterprises anew with its own 达到 is a total (新增高企3家，全县高企达到40家)
        earlier = [text[s:e] for s, e in segment.clauses(text, scope.group[0], scope.clause[0])]
        weak = next(filter(None, (_ht_action(t, "weak_actions") for t in own)), None)
        detail = next(filter(None, map(_ht_action, own)), None)
        if detail is None and nearest == "high_tech":
            detail = weak
        detail = detail or next(filter(None, map(_ht_action, reversed(earlier))), None) or weak or "stock"
        if crossed and total is not None and detail != total.detail:
            total = None  # a new action after ；is a figure of its own
    elif indicator == "patent":
        p = r["patents"]
        trig = _last(re.compile(p["trigger"]), clause_prefix)
        local = _local(text, scope.clause[0], q.start, previous_end)
        previous = same_sentence[-1] if same_sentence else None
        progress = _progress(text, q, scope, previous, local) if trig is None else None
        if progress is not None:
            return replace(progress, is_suspect=_suspect(q, years, damaged))
        if trig is not None:
            if _re(*p["blockers"]).search(clause_prefix[trig.end() :]):
                return None
        elif re.match(p["after_noun"], text[q.end :]):
            measure = measure or _patent_measure(text, scope.group[0], q.start) or ""
        else:
            previous = same_sentence[-1] if same_sentence else None
            if not (previous and previous.indicator == "patent" and re.search(p["ellipsis_before"], local)):
                return None
        if not measure:
            return None
        detail = "invention" if re.search(p["invention"], local) or re.match(p["invention"], text[q.end :]) else None
    elif not _is_training(text, q, scope, same_sentence):
        return None

    # A part without its own marker shares its total's status; other figures fall back on the section.
    status = _marked_status(text, scope.clause[0] if total else scope.group[0], q, scope.subclause[1])
    if status is None:
        in_plan = any(s <= q.start < e for s, e in plans)
        status = total.status if total else "target" if in_plan else "actual"
    is_component = (total is not None and not total.is_redacted) or _breakdown_part(text, q, scope, found)
    return Fact(
        indicator=indicator,
        measure=measure,
        value=q.value,
        status=status,
        approx=q.approx,
        detail=detail,
        is_component=is_component,
        is_redacted=q.is_redacted,
        is_suspect=_suspect(q, years, damaged),
        yoy_pct=_yoy(text, q, scope) if indicator in ("funding", "patent") else None,
        enterprise_names=names,
        **_evidence(text, q, scope),
    )


def _evidence(text: str, q: Quantity, scope: _Scope) -> dict:
    """Evidence and span fields: each figure of an enumeration (A 3家、B 5家; X件（含Y件）) gets its own
    item, a single figure its clause."""
    start, end = scope.clause if _figures(text, *scope.clause) <= 1 else _item(text, scope.subclause, q)
    start += len(_ENUMERATOR.match(text, start, end).group())
    while end > start and text[end - 1].isspace():
        end -= 1
    return {"evidence": text[start:end], "span_start": start, "span_end": end}
