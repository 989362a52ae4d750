"""Money figures: is a sum S&T funding at all, and of which kind (subsidy, grant, financing...).

Kind words and funding nouns are data (data/extract_rules.toml [funding]); the money that is not S&T
funding (balances, output, budgets, investment totals, sales, fines, prices, the caps of award rules) is
data too (data/not_funding.toml), checked before any funding word can claim a sum. Outside bureau reports
(pipeline/doc_kind.py genre) a sum needs a science word beside it.
"""

import re
import tomllib
from functools import cache
from pathlib import Path

from pipeline import numbers, segment
from pipeline.extract_text import Scope, any_of, figures, last, local_text, rules
from pipeline.numbers import Quantity

_NOT_FUNDING = Path(__file__).parent / "data" / "not_funding.toml"


@cache
def _not_funding() -> list[dict]:
    with open(_NOT_FUNDING, "rb") as fh:
        return tomllib.load(fh)["classes"]


def not_funding_class(text: str, q: Quantity, scope: Scope, previous_end: int, genre: str) -> str | None:
    """The class of non-S&T money a figure is (balance, output, budget, ..., cap), None for a possible fund.

    Its approximation prefix belongs to the words before it (不超过50万元 is a cap); a class limited to some
    genres (a rule's award terms) applies only in a text of those genres."""
    before = local_text(text, scope.clause[0], q.num_start, previous_end)
    after = text[q.end : scope.clause[1]]
    for c in _not_funding():
        if "genres" in c and genre not in c["genres"]:
            continue
        hit = c.get("before") and any_of(*c["before"]).search(before)
        if hit and not (c.get("unless") and any_of(*c["unless"]).search(text, scope.clause[0], q.num_start)):
            return c["name"]
        if c.get("clause") and any_of(*c["clause"]).search(text, scope.clause[0], scope.clause[1]):
            return c["name"]
        if c.get("after") and any_of(*c["after"]).match(after):
            return c["name"]
    return None


def _science_money(text: str, scope: Scope) -> bool:
    """A science word in the figure's semicolon group up to the end of its clause."""
    return bool(any_of(*rules()["funding"]["science_cues"]).search(text, scope.group[0], scope.clause[1]))


def nearest_kind(text: str, *, nominal: bool) -> tuple[int, str] | None:
    """(end, kind) of the kind word nearest the end of text, among nominal or other entries."""
    best: tuple[int, int, str] | None = None
    for rank, entry in enumerate(rules()["funding"]["kinds"]):
        if entry.get("nominal", False) != nominal:
            continue
        m = last(any_of(*entry["words"]), text)
        if m and (best is None or (m.end(), -rank) > (best[0], -best[1])):
            best = (m.end(), rank, entry["kind"])
    return (best[0], best[2]) if best else None


def funding_kind(prefix: str, clause_from: int = 0) -> tuple[str | None, bool]:
    """The kind word nearest before a money figure, and whether it is only a nominal one (扶持资金).

    A nominal word yields to another kind word earlier in its clause (prefix[clause_from:]); an earlier
    application verb turns the kind into a request."""
    f = rules()["funding"]
    strong = nearest_kind(prefix, nominal=False)
    weak = nearest_kind(prefix, nominal=True)
    nominal = weak is not None and (strong is None or weak[0] > strong[0])
    if nominal and (governing := nearest_kind(prefix[clause_from:], nominal=False)):
        kind, nominal = governing[1], False
    else:
        kind = (weak if nominal else strong or (None, None))[1]
    req = f["request"]
    if kind in req["keep_kinds"]:
        return kind, nominal
    verb = last(any_of(*req["verbs"]), prefix)
    if verb and not any_of(*req["award_verbs"]).search(prefix[verb.end() :]):
        return "project_request", False
    return kind, nominal


def is_funding(text: str, q: Quantity, scope: Scope, previous_end: int, in_component: bool, genre: str) -> bool:
    """Whether a money figure is S&T funding. A text that is no bureau report (a government work report, a
    finance bureau's summary, a rule) speaks of all kinds of money: there a sum is S&T funding only where
    its semicolon group says it is about science."""
    f = rules()["funding"]
    local = local_text(text, scope.clause[0], q.start, previous_end)
    if not_funding_class(text, q, scope, previous_end, genre):
        return False
    if genre not in ("bureau_report", "unknown") and not _science_money(text, scope):
        return False
    if q.unit in numbers.bare_money_units() and not any_of(*f["bare_money_words"]).search(local):
        return False
    if in_component:
        return True
    if any_of(*f["nouns"]).search(text[scope.clause[0] : q.start]):
        return True
    return bool(any_of(*f["after_nouns"]).match(text[q.end : q.end + 4].lstrip("的"))) or _continues(text, q, scope)


def _continues(text: str, q: Quantity, scope: Scope) -> bool:
    """A bare figure (…，达到115亿元) continuing the clause before it, which names money but states only its
    growth (全社会研发经费投入增长12%以上，达到115亿元)."""
    f = rules()["funding"]
    if not re.fullmatch(f["continues_with"], text[scope.clause[0] : q.num_start].strip()):
        return False
    earlier = segment.clauses(text, scope.group[0], scope.clause[0])
    if not earlier:
        return False
    start, end = earlier[-1]
    return bool(any_of(*f["nouns"]).search(text, start, end)) and not figures(text, start, end)
