"""Resolve which province / city / county a report comes from.

Place names are found in one pass of the gazetteer's automaton (pipeline/gazetteer.py);
how much each name counts, and the words that make a name the reporter's own or a mere
mention, live in data/region_clues.toml. Every clue adds to a score per
level; a level is named only when one candidate clearly wins, so ambiguous or masked
names (朝阳区, xx县) leave it NULL. The reporting unit itself (the place its bureau is named
after in the title, or in the opening's subject) overrides the counts for city and county:
a county-level city's report names its parent city more often than itself. A report that
speaks as a province (全省, 我省) stays at province level. `confidence` is the raw strength
of the winning evidence mapped through a calibration table fitted on labelled documents
(data/region_calibration.toml, written by benchmarks/regions_labelled.py --fit).
"""

import bisect
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from pipeline import gazetteer, segment
from pipeline.gazetteer import Gazetteer, Place

DATA = Path(__file__).parent / "data"
CLAUSE_END = "，。；！？\n,;!?"
BOUNDARY_WINDOW = 4  # characters of context on each side when jieba checks a short name's word boundaries


@dataclass(frozen=True)
class RegionResolution:
    province: str | None
    city: str | None
    county: str | None
    region_code: str | None
    confidence: float
    evidence: str


@dataclass(frozen=True)
class _Mention:
    surface: str
    places: tuple[Place, ...]
    weight: float
    hint_only: bool
    label: str
    unit: bool = False  # the bureau is named after it (江山市科学技术局) in the title or as the opening's subject
    in_title: bool = False


def _clause(text: str, start: int, end: int) -> str:
    return segment.clause_around(text, start, end, CLAUSE_END)


def _scan_names(text: str, gaz: Gazetteer) -> Iterator[tuple[int, int, str, bool]]:
    """Longest gazetteer names, left to right, never overlapping (金溪县 before 金溪).

    A short name must sit on jieba word boundaries: 利通 inside 顺利通过, or 织金 across
    组织金溪, is no place and must not hide the real one next to it.
    """
    matcher, surfaces = gazetteer.name_matcher()
    by_start: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for index, start, end in matcher.find_matches_as_indexes(text, overlapping=True):
        if end - start >= 2:
            by_start[start].append((end, surfaces[index]))
    cursor = 0
    for start in sorted(by_start):
        if start < cursor:
            continue
        for end, surface in sorted(by_start[start], reverse=True):
            is_short = end - start == 2 or all(short for _, short in gaz.names[surface])
            if is_short and not _on_word_boundaries(text, start, end):
                continue
            yield start, end, surface, is_short
            cursor = end
            break


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    """jieba, on a few characters around the name only, puts word boundaries at both its ends.

    Cutting a small window per short name costs a fraction of a pass over the whole text."""
    lo, hi = max(0, start - BOUNDARY_WINDOW), min(len(text), end + BOUNDARY_WINDOW)
    pos, bounds = lo, {lo}
    for token in segment.stock_tokenizer().cut(text[lo:hi], HMM=False):
        pos += len(token)
        bounds.add(pos)
    return start in bounds and end in bounds


def _bracket_title(text: str, start: int) -> str | None:
    """The title around `start` when it is inside 《...》 or “...” (a document, newspaper or event)."""
    for left, right in (("《", "》"), ("“", "”")):
        opened = text.rfind(left, 0, start)
        if opened > text.rfind(right, 0, start):
            closed = text.find(right, start)
            return text[opened + 1 : closed if 0 <= closed - opened <= 60 else opened + 60]
    return None


def _is_partner(text: str, start: int, end: int) -> bool:
    """与上海…合作: a place the report works with, not the report's own."""
    only = gazetteer.clues()["mention_only"]
    clause = _clause(text, start, end)
    before = text[max(0, start - 20) : start]
    if re.match(only["partner_after"], text[end : end + 12]):
        return True
    return bool(re.search(only["partner_before"], before)) and any(w in clause for w in only["partner_words"])


def _inside(places: tuple[Place, ...], parent: tuple[Place, ...]) -> tuple[Place, ...]:
    """The places lying in one of `parent` (普陀区 after 上海市), or all of them when none does."""
    provinces = {p.province for p in parent if p.level == "province"}
    cities = {(p.province, p.city) for p in parent if p.level == "city"}
    kept = tuple(
        p for p in places if p.level != "province" and (p.province in provinces or (p.province, p.city) in cities)
    )
    return kept or places


def _name_mentions(text: str, in_title: bool, *, publisher: bool = False) -> list[_Mention]:
    """Place names of a title, a body or a page's publisher (来源：某市某区融媒体中心: a name counted as in
    the body, never as a mere mention, the reporter's own unit or a weak clue)."""
    gaz, clues = gazetteer.load(), gazetteer.clues()
    weights, only = clues["weights"], clues["mention_only"]
    scanned = list(_scan_names(text, gaz))
    surfaces = [s for _, _, s, _ in scanned]
    out = []
    previous: tuple[int, tuple[Place, ...]] = (-1, ())
    for start, end, surface, is_short in scanned:
        entries = gaz.names[surface]
        places = tuple(p for p, _ in entries)
        # A compound name (上海市普陀区, 舟山市普陀区) decides the part that is ambiguous alone.
        if previous[0] == start:
            places = _inside(places, previous[1])
        previous = (end, places)
        after = text[end : end + 8]
        if any(after.startswith(w) for w in only["landmark_after"]):
            continue
        # A short name shared by a city and one of its own districts (广安/广安区) means the city.
        city_names = {(p.province, p.city) for p in places if p.level == "city"}
        places = tuple(p for p in places if not (p.level == "county" and (p.province, p.city) in city_names))
        weight = weights["short_name"] if is_short else weights["full_name"]
        window = re.split(f"[{CLAUSE_END}、与和及]", after)[0][:6]
        bracket = _bracket_title(text, start)
        # The reporter's own policy document (《某县科技创新券实施办法》) names the reporter's place; a
        # quoted project, platform or co-operative (“某县科技服务站”) is a thing of that place.
        policy = bracket is not None and re.search(clues["own_body"]["policy_title"], bracket) is not None
        named_thing = bracket is not None and re.search(clues["own_body"]["quoted_thing"], bracket) is not None
        partner = not in_title and not publisher and _is_partner(text, start, end)
        own = (
            not partner
            and not publisher
            and (
                policy
                or bool(re.match(clues["own_body"]["after"], after))
                or _bureau_after(text, end) is not None
                or bool(re.search(clues["own_body"]["before"], text[max(0, start - 3) : start]))
            )
        )
        mention_only = (
            not own
            and not publisher
            and (
                any(w in window for w in only["institution_after"])
                or any(m in _clause(text, start, end) for m in only["clause_markers"])
                or (bracket is not None and not named_thing)
            )
        )
        partner = partner and not mention_only
        hint = mention_only or partner
        # A short name seen once in the body may be a brand or a partner's home town: a weak clue.
        single = is_short and not in_title and not own and not publisher and surfaces.count(surface) == 1
        if in_title:
            weight *= weights["title_factor"]
        elif own:
            weight *= weights["own_body_factor"]
        elif single:
            weight = weights["single_short"]
        if hint:  # counts toward its province only
            weight = weights["partner"] if partner else weights["hint_only"]
        kind = "title" if in_title else ("hint" if hint else ("own" if own else ("weak" if single else "name")))
        kind = "publisher" if publisher else kind
        unit = not publisher and _is_unit(text, start, end, in_title)
        out.append(_Mention(surface, places, weight, hint, f"{kind}:{surface}", unit, in_title))
    return out


def _is_unit(text: str, start: int, end: int, in_title: bool) -> bool:
    """The bureau is named after this place, in the title or as the subject of the body's opening
    ("2021年，某市科技局在市委……"); a bureau after 在/和 or before 的 is the parent guiding it."""
    unit = gazetteer.clues()["unit"]
    bureau = _bureau_after(text, end)
    if bureau is None or in_title:
        return bureau is not None
    return (
        start < unit["opening_chars"]
        and re.search(unit["subject_before"], text[:start]) is not None
        and re.match(unit["not_after"], text[bureau.end() :]) is None
    )


def _bureau_after(text: str, end: int) -> re.Match[str] | None:
    """The S&T bureau named right after a place, also through a development zone (某市高新区管委会科技局)."""
    unit = gazetteer.clues()["unit"]
    return re.match(unit["zone"] + unit["bureau"], text[end:])


def _town_hits(text: str) -> tuple[set[str], set[str]]:
    """Town stems in the text: (written with their suffix, as in 合心镇; all, bare ones included)."""
    matcher, stems = gazetteer.town_matcher()
    suffixed, found = set(), set()
    for index, _, end in matcher.find_matches_as_indexes(text, overlapping=True):
        stem = stems[index]
        found.add(stem)
        if text.startswith(gazetteer.TOWN_SUFFIXES, end):
            suffixed.add(stem)
    return suffixed, found


def _bare_stems(found: set[str], province: str) -> dict[Place, set[str]]:
    """Town stems written with or without suffix, counted only inside the chosen province (a weak clue)."""
    out: dict[Place, set[str]] = defaultdict(set)
    for stem in found:
        for county in gazetteer.load().towns[stem]:
            if county.province == province:
                out[county].add(stem)
    return out


def _report_level(text: str) -> str | None:
    """The level the report speaks as, from its self-references (我县, 全市, 全省...)."""
    ref = gazetteer.clues()["self_reference"]
    counts = {lvl: sum(len(re.findall(p, text)) for p in ref[lvl]) for lvl in ("county", "district", "city")}
    province = sum(len(re.findall(p, text)) for p in ref["province"])
    if province >= ref["province_min"] and province >= ref["province_ratio"] * sum(counts.values()):
        return "province"
    counts["city"] *= ref["city_discount"]  # weighs 全市 against 全县, not against 全省
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > 0 else None


def _pick(scores: dict, min_score: float, margin: float) -> tuple[object | None, float]:
    """The clear winner and the share of the evidence it holds (0 when there is none)."""
    if not scores:
        return None, 0.0
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    top, score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if score < min_score or score < margin * second:
        return None, 0.0
    return top, score / (score + second)


@dataclass
class _Scores:
    """Evidence per candidate at each level, and the labels that say where it came from."""

    prov: dict[str, float]
    city: dict[tuple[str, str], float]
    county: dict[Place, float]
    evidence: list[str]

    def add(self, place: Place, weight: float, levels: str = "pcx") -> None:
        if "p" in levels:
            self.prov[place.province] += weight
        if "c" in levels and place.level != "province":
            self.city[(place.province, place.city)] += weight
        if "x" in levels and place.level == "county":
            self.county[place] += weight


def _by_named_parent(mentions: list[_Mention]) -> list[_Mention]:
    """A name shared by places of several cities (朝阳区 of 北京 and of 长春) means the one whose city the
    text names elsewhere (长春市委…), a compound name (长春市朝阳区) spread over the text. Only a name that
    counts as the report's decides: not a mere mention, nor a short name seen once (在长春举行), which may
    be anybody's town. Left shared when no candidate's city, or more than one, is named."""
    cities_of = [{(p.province, p.city) for p in m.places if p.level != "province"} for m in mentions]
    named = set()
    for m, cities in zip(mentions, cities_of, strict=True):
        if not m.hint_only and not m.label.startswith("weak:") and len(cities) == 1:
            named |= cities
    out = []
    for m, cities in zip(mentions, cities_of, strict=True):
        if len(cities) > 1 and len(cities & named) == 1:
            m = replace(m, places=tuple(p for p in m.places if (p.province, p.city) in named))
        out.append(m)
    return out


def _collect(
    title: str | None, text: str, level: str | None, publisher: str | None = None
) -> tuple[_Scores, list[_Mention], set[str], set[str]]:
    """Every clue of the report, weighed: names (with the page's publisher's), programme clues, document
    numbers, towns."""
    gaz, clues = gazetteer.load(), gazetteer.clues()
    weights = clues["weights"]
    mentions = _name_mentions(title, True) if title else []
    mentions += _name_mentions(publisher, False, publisher=True) if publisher else []
    mentions = _by_named_parent(mentions + _name_mentions(text, False))
    full = f"{title or ''}\n{text}"
    sc = _Scores(defaultdict(float), defaultdict(float), defaultdict(float), [])
    labels: dict[str, int] = defaultdict(int)
    own_suffixes = tuple(clues["level_suffixes"][level]) if level in ("county", "district") else ()
    hinted: dict[str, float] = defaultdict(float)
    for m in mentions:
        provs = {p.province for p in m.places}
        weight = m.weight
        # A report speaking as a 县 (我县, 全县) that names a 县 in its body most likely names itself.
        if own_suffixes and not (m.hint_only or m.in_title) and all(p.county.endswith(own_suffixes) for p in m.places):
            weight *= weights["level_match_factor"]
        labels[m.label] += 1
        if m.hint_only:
            for p in provs:
                hinted[p] += weight / len(provs)
            continue
        for p in provs:
            sc.prov[p] += weight / len(provs)
        cits = {(p.province, p.city) for p in m.places if p.level != "province"}
        for c in cits:
            sc.city[c] += weight / len(cits)
        cnts = [p for p in m.places if p.level == "county"]
        for c in cnts:
            sc.county[c] += weight / len(cnts)
    # Places merely mentioned hint at their province, however often: a partner named on every page is
    # still somebody else.
    for p, hint in hinted.items():
        sc.prov[p] += min(hint, weights["hint_cap"])
    sc.evidence += [f"{k}×{n}" if n > 1 else k for k, n in labels.items()]

    for word, target in clues["province_clues"].items():
        n = full.count(word)
        if n and target in gaz.provinces:
            sc.prov[target] += weights["province_clue"] * n
            sc.evidence.append(f"clue:{word}")
        elif n and target == "AUTONOMOUS":
            for p in sc.prov:
                if "自治区" not in p:
                    sc.prov[p] *= 0.5
    doc = clues["doc_number"]
    for m in re.finditer(doc["pattern"], full):
        letter = m.group(1)
        if letter in doc["ignore"]:
            continue
        if letter in clues["doc_number_abbrev"]:
            sc.prov[clues["doc_number_abbrev"][letter]] += weights["doc_number_province"]
            sc.evidence.append(f"doc:{m.group(0)}")
        elif letter in gaz.city_by_initial:
            sc.add(gaz.city_by_initial[letter], weights["doc_number_city"], "pc")
            sc.evidence.append(f"doc:{m.group(0)}")

    # Towns: two or more distinct towns of one county pin it; province not needed.
    suffixed, found = _town_hits(full)
    for place, towns in _by_county(suffixed).items():
        if len(towns) >= 2:
            sc.add(place, weights["town"] * len(towns))
            sc.evidence.append("towns:" + "/".join(sorted(towns)))
    return sc, mentions, suffixed, found


def _by_county(stems: set[str]) -> dict[Place, set[str]]:
    out: dict[Place, set[str]] = defaultdict(set)
    for stem in stems:
        for place in gazetteer.load().towns[stem]:
            out[place].add(stem)
    return out


def _resolve(title: str | None, text: str, publisher: str | None = None) -> tuple[RegionResolution, float]:
    """The region and the raw strength of its evidence (before calibration)."""
    clues = gazetteer.clues()
    weights = clues["weights"]
    level = _report_level(f"{title or ''}\n{text}")
    sc, mentions, suffixed, found = _collect(title, text, level, publisher)
    evidence = sc.evidence
    if level:
        evidence.append(f"level:{level}")
    province, prov_share = _pick(sc.prov, weights["min_score"], weights["margin"])
    if province is None:
        return RegionResolution(None, None, None, None, 0.0, "; ".join(evidence)), 0.0
    strength = prov_share * min(1.0, sc.prov[province] / weights["strong_score"])

    # Within the province, a lone town unique to it, or several towns named bare, add weight.
    by_county = _by_county(suffixed)
    for stem in suffixed:
        hits = {p for p in gazetteer.load().towns[stem] if p.province == province}
        if len(hits) == 1 and len(by_county[next(iter(hits))]) < 2:
            place = next(iter(hits))
            sc.add(place, weights["town"], "cx")
            evidence.append(f"town:{stem}")
    if suffixed:
        for place, towns in _bare_stems(found, province).items():
            if len(towns) >= 3 and towns & suffixed:
                sc.add(place, weights["town"] * len(towns), "cx")
                evidence.append("towns:" + "/".join(sorted(towns)))

    unit = _title_unit(mentions, province)
    if unit is not None:
        # The title's own bureau name outranks every body count: a report of 江山市科学技术局 often
        # names its parent 衢州市 more often than itself, and one of 赣州市科技局 names its districts.
        evidence.append(f"unit:{unit.county or unit.city or unit.province}")
        chosen_city = (unit.province, unit.city) if unit.level != "province" else None
        chosen_county = unit if unit.level == "county" else None
        return _resolution(province, chosen_city, chosen_county, evidence), max(strength, weights["unit_strength"])
    if level != "province" and _speaks_as_province(mentions, province, level, sc):
        level = "province"
        evidence.append("level:province")
    if level == "province":
        # A province speaks of its capital and its zones often; it is placed in none of them.
        return _resolution(province, None, None, evidence), strength

    suffixes = tuple(clues["level_suffixes"][level]) if level else None
    city_scores = {c: s for c, s in sc.city.items() if c[0] == province}
    chosen_city, city_share = _pick(city_scores, weights["min_score"], weights["margin"])
    county_scores = {
        c: s
        for c, s in sc.county.items()
        if c.province == province
        and (chosen_city is None or (c.province, c.city) == chosen_city)
        and (suffixes is None or c.county.endswith(suffixes))
    }
    chosen_county, county_share = _pick(county_scores, weights["min_score"], weights["margin"])
    # A city-level report names its own city; a county-level city wins only when the
    # city's evidence is mostly that county's own.
    if (
        chosen_county is not None
        and level == "city"
        and chosen_city is not None
        and county_scores[chosen_county] < 0.8 * city_scores[chosen_city]
    ):
        chosen_county = None
    if chosen_city is not None:
        strength *= city_share * min(1.0, city_scores[chosen_city] / weights["strong_score"])
    if chosen_county is not None:
        strength *= county_share * min(1.0, county_scores[chosen_county] / weights["strong_score"])
    u = clues["unnamed_unit"]
    if chosen_county is None and re.search(u["pattern"], f"{title or ''}\n{text[: u['opening_chars']]}"):
        # The report's own unit is hidden (xx县科技局): its figures are not those of the place found above it.
        # It keeps the place for browsing, never enters a comparison.
        evidence.append("level_unnamed")
        strength = 0.0
    return _resolution(province, chosen_city, chosen_county, evidence), strength


def raw_resolution(title: str | None, text: str, publisher: str | None = None) -> tuple[RegionResolution, float]:
    """The resolution with its uncalibrated strength in [0, 1] (what the calibration table is fitted on)."""
    return _resolve(title, text, publisher)


def resolve_region(title: str | None, text: str, publisher: str | None = None) -> RegionResolution:
    """The report's region from its title and text, and from the page's publisher where it names one."""
    res, strength = _resolve(title, text, publisher)
    if res.province is None:
        return res
    return RegionResolution(res.province, res.city, res.county, res.region_code, calibrated(strength), res.evidence)


def _speaks_as_province(mentions: list[_Mention], province: str, level: str | None, sc: _Scores) -> bool:
    """A title that names the province and nothing below it (2017年湖南省政府工作报告); or an autonomous
    region's 全区 / 我区 (the self-reference of a district too) where no district of it is in evidence and
    no city is named often enough to be the report's own."""
    in_title = [m for m in mentions if m.in_title and not m.hint_only]
    if in_title and all(p.level == "province" for m in in_title for p in m.places if p.province == province):
        return any(p.province == province for m in in_title for p in m.places)
    if level == "district" and province.endswith("自治区"):
        weights = gazetteer.clues()["weights"]
        districts = any(
            p.province == province and p.county.endswith("区") and s >= weights["min_score"]
            for p, s in sc.county.items()
        )
        cities = max((s for c, s in sc.city.items() if c[0] == province), default=0.0)
        return not districts and cities < weights["strong_score"]
    return False


def _title_unit(mentions: list[_Mention], province: str) -> Place | None:
    """The place the reporting bureau is named after (苏州市吴中区科学技术局 -> 吴中区), when it is one place:
    the title's last such name, else the opening's first. A province's own bureau (浙江省科技厅) is the unit
    only when no city or county bureau is named (a county report may cite 省科技厅); it gives the province
    alone. A statistical zone listed as a county gives its city (the zone is no county)."""
    in_title = [m for m in mentions if m.unit and m.in_title]
    in_body = [m for m in mentions if m.unit and not m.in_title]
    if not (in_title or in_body):
        return None
    chosen = in_title[::-1] if in_title else in_body
    inside = [{p for p in m.places if p.province == province} for m in chosen]
    below = [{p for p in places if p.level != "province"} for places in inside]
    places = next((p for p in below if p), inside[0])
    if len(places) != 1:
        return None
    place = places.pop()
    if place.level == "county" and re.search(gazetteer.clues()["unit"]["zone_name"], place.county):
        return gazetteer.load().cities.get((place.province, place.city))
    return place


def _resolution(
    province: str,
    chosen_city: tuple[str, str] | None,
    chosen_county: Place | None,
    evidence: list[str],
) -> RegionResolution:
    gaz = gazetteer.load()
    if chosen_county is not None and re.search(gazetteer.clues()["unit"]["zone_name"], chosen_county.county):
        chosen_county = None  # a development zone listed as a county is no division: it places the city
    if chosen_county is None and chosen_city is not None and chosen_city[1] in gazetteer.clues()["no_city"]["names"]:
        chosen_city = None
    if chosen_county is not None:
        chosen_city = (chosen_county.province, chosen_county.city)
        code = chosen_county.code
    elif chosen_city is not None:
        code = gaz.cities[chosen_city].code if chosen_city in gaz.cities else None
    else:
        code = gaz.provinces[province].code
    if province in gazetteer.clues()["municipalities"]["names"] or (
        chosen_city and chosen_city[1] in gazetteer.clues()["no_city"]["names"]
    ):
        chosen_city = None  # a municipality has no city level: 上海市 / NULL / 普陀区; nor has 琼中 one
    return RegionResolution(
        province=province,
        city=chosen_city[1] if chosen_city else None,
        county=chosen_county.county if chosen_county else None,
        region_code=code,
        confidence=0.0,
        evidence="; ".join(evidence),
    )


@cache
def _calibration() -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Upper edges of raw-strength bins and the share of labelled documents right in each."""
    with open(DATA / "region_calibration.toml", "rb") as fh:
        table = tomllib.load(fh)["bins"]
    return tuple(table["upper"]), tuple(table["right"])


def calibrated(strength: float) -> float:
    """The probability that a resolution of this raw strength is right, from the calibration table."""
    upper, right = _calibration()
    return right[min(bisect.bisect_left(upper, strength), len(right) - 1)]


def reload_calibration() -> None:
    """Read the table again (after benchmarks/regions_labelled.py --fit rewrote it)."""
    _calibration.cache_clear()
