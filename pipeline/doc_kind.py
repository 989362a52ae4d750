"""Tell a government S&T body's work report from other texts scraped beside it.

Compilations and scraped folders mix bureau reports with government work reports, regulations, plans and
other offices', colleges', companies' or people's summaries; only the bureaus' facts describe a region's
S&T work. The call weighs features that hold whatever the wording: who issues the text (its title, the
subject of its opening, its signature), how it speaks of itself (我局, 该局, 记者从科技局获悉), what it is
about, and the structure of other genres (articles of a regulation, a plan's title, a government work
report's address to the congress). Word lists and weights live in data/doc_kind.toml.
"""

import re
import tomllib
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@cache
def _rules() -> dict:
    with open(DATA / "doc_kind.toml", "rb") as fh:
        return tomllib.load(fh)


@cache
def _alternation(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _bureau_names() -> re.Pattern:
    return _alternation(*_rules()["bureau_names"]["patterns"])


def _hits(group: dict, text: str) -> float:
    """A group's weight times its hits, at most `cap` hits counted (a long text repeats a name)."""
    n = len(_alternation(*group["patterns"]).findall(text))
    return group["weight"] * min(n, group.get("cap", n))


def _body(title: str | None, text: str) -> str:
    """The text after its title, without a page's header lines (a portal's name, breadcrumbs: 首页 > 新闻中心),
    which name the site, not who speaks."""
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()
    i = _rules()["issuer"]
    lines = text.split("\n")
    while lines and (re.search(i["breadcrumb"], lines[0]) or re.fullmatch(i["portal_line"], lines[0].strip())):
        lines.pop(0)
    return "\n".join(lines).lstrip()


def _is_bureau(name: str) -> bool:
    return _bureau_names().search(name) is not None


def _issuer_in_title(title: str | None) -> str | None:
    """The organisation a title names before what it is (XX县发展和改革局2022年工作总结): its full name."""
    if not title:
        return None
    i = _rules()["issuer"]
    m = re.search(i["title"].replace("{org}", i["org"]), title)
    if m is None or not re.search(i["title_needs"], m["org"]) or re.fullmatch(i["portal_line"], title.strip()):
        return None
    return m["org"]


def _issuer_signing(title: str | None, text: str) -> str | None:
    """The organisation signing the last lines (XX县科学技术局 / 2022年12月20日), or the line under the title
    of a speech or a briefing (某市科技局 （2010年4月23日）)."""
    i = _rules()["issuer"]
    body = _body(title, text)
    lines = [line.strip() for line in body.strip().splitlines() if line.strip()]
    opening = lines[: i["opening_lines"]]
    pattern = re.compile(i["signature"].replace("{org}", i["org"]))
    for line in [*reversed(lines[-i["closing_lines"] :]), *opening]:
        if m := pattern.fullmatch(line):
            return m["org"]
    return None


def _opening_subject(title: str | None, text: str) -> str | None:
    """The organisation opening the body as its subject (2021年，某区经济和科技促进局在区委……): the speaker,
    though it may never say 我局. No preposition before it (在市科技局的指导下 is the parent guiding someone)."""
    s = _rules()["opening_subject"]
    opening = _body(title, text)[: s["opening_chars"]]
    m = re.search(f"{s['before']}(?P<org>{_rules()['issuer']['org']})(?!{s['not_after']})", opening)
    if m is None or _alternation(*s["not_speakers"]).search(m["org"]):
        return None
    return m["org"]


def _reads_as_title(line: str) -> bool:
    """Short and without sentence punctuation."""
    t = _rules()["title"]
    return 0 < len(line) <= t["max_chars"] and not re.search(t["not_in"], line)


def _title_line(text: str) -> str | None:
    """The first line when it reads as a title (normalize names only the titles of reports; a regulation's
    or a plan's title line is still its title here)."""
    first = text.lstrip().split("\n", 1)[0].strip()
    return first if _reads_as_title(first) else None


def _title_lines(title: str | None, text: str) -> list[str]:
    """The title and the short lines opening the text, up to its first sentence or section heading: a scraped
    page's title may stand below its header and breadcrumbs."""
    r = _rules()
    short = []
    for line in text.lstrip().split("\n", r["decision"]["title_lines"])[: r["decision"]["title_lines"]]:
        line = line.strip()
        if line and (not _reads_as_title(line) or re.match(r["title"]["heading"], line)):
            break
        if line:
            short.append(line)
    return [title, *short] if title else short


def features(title: str | None, text: str) -> dict[str, float]:
    """Named scores for and against a bureau report (bureau_* and other_* keys), for the call and for tests."""
    return dict(_features(title or _title_line(text), text))


@lru_cache(maxsize=16)
def _features(title: str | None, text: str) -> dict[str, float]:
    """Cached: a report's region and its figures both ask for its genre, in the same analysis pass."""
    r = _rules()
    full = f"{title or ''}\n{text}"
    issuers = [
        (_issuer_in_title(title), r["issuer"]["title_weight"]),
        (_opening_subject(title, text), r["opening_subject"]["weight"]),
        (_issuer_signing(title, text), r["issuer"]["signature_weight"]),
    ]
    scores = {
        "bureau_issuer": sum(w for org, w in issuers if org and _is_bureau(org)),
        "other_issuer": sum(w for org, w in issuers if org and not _is_bureau(org)),
        "bureau_names": _hits(r["bureau_names"], full),
        "bureau_reported": _hits(r["bureau_reported"], full),
        "bureau_topic": _hits(r["topic"], full),
        "other_self": _hits(r["other_self"], full),
    }
    # 我局 is what any bureau writes: it speaks for an S&T body only when no other office issues the text.
    scores["bureau_self"] = 0.0 if scores["other_issuer"] > scores["bureau_issuer"] else _hits(r["bureau_self"], full)
    titles = _title_lines(title, text)
    for genre in r["other_genres"]:
        titled = genre.get("title") and any(re.search(genre["title"], t) for t in titles)
        scores[f"other_{genre['name']}"] = _hits(genre, full) + (genre["title_weight"] if titled else 0.0)
    return scores


def genre(title: str | None, text: str) -> str:
    """`bureau_report`, else the other genre whose structure weighs most (`regulation`, `plan`,
    `government_work`), else `other` where another speaker or issuer shows, else `unknown` (nothing tells:
    a fragment). Extraction reads the money of texts of other genres more strictly."""
    scores = features(title, text)
    bureau = sum(v for k, v in scores.items() if k.startswith("bureau_"))
    other = sum(v for k, v in scores.items() if k.startswith("other_"))
    d = _rules()["decision"]
    for g in _rules()["other_genres"]:
        if "decisive" in g and scores[f"other_{g['name']}"] >= g["decisive"]:
            return g["genre"]
    if (bureau >= d["min_bureau"] and bureau > other) or (other == 0 and scores["bureau_topic"] >= d["topic_only"]):
        return "bureau_report"
    by_genre: dict[str, float] = {}
    for g in _rules()["other_genres"]:
        by_genre[g["genre"]] = by_genre.get(g["genre"], 0.0) + scores[f"other_{g['name']}"]
    best = max(by_genre, key=by_genre.__getitem__)
    if by_genre[best] >= d["min_other_genre"]:
        return best
    return "other" if other > 0 else "unknown"


def classify_doc_kind(title: str | None, text: str) -> str:
    return "bureau_report" if genre(title, text) == "bureau_report" else "other"
