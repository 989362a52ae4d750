"""Resolve which province / city / county a report comes from.

Place names are looked up in a gazetteer built from a package's data (see
data/gazetteer.SOURCE.md); how much each name counts, and the words that make a name
the reporter's own or a mere mention, live in data/region_clues.toml. Scores add up per
level; a level is named only when one candidate clearly wins, so ambiguous or masked
names (朝阳区, xx县) leave it NULL. The reporting unit itself (the place its bureau is named
after in the title, or in the opening's subject) overrides the counts for city and county:
a county-level city's report names its parent city more often than itself.
"""

import csv
import gzip
import logging
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jieba

DATA = Path(__file__).parent / "data"
CLAUSE_END = "，。；！？\n,;!?"
TOWN_SUFFIXES = ("街道", "镇", "乡", "苏木")
MAX_TOWN_COUNTIES = 10  # a town name shared by more counties (城关镇) tells nothing


@dataclass(frozen=True)
class RegionResolution:
    province: str | None
    city: str | None
    county: str | None
    region_code: str | None
    confidence: float
    evidence: str


@dataclass(frozen=True)
class Place:
    code: str
    level: str  # province / city / county
    province: str
    city: str
    county: str


@dataclass(frozen=True)
class Gazetteer:
    names: dict[str, tuple[tuple[Place, bool], ...]]  # surface -> (place, is_short_name)
    towns: dict[str, frozenset[Place]]  # town stem (合心 of 合心镇) -> counties having it
    city_by_initial: dict[str, Place]  # first letter -> the only prefecture city starting with it
    cities: dict[tuple[str, str], Place]
    provinces: dict[str, Place]
    max_len: int


@cache
def _clues() -> dict:
    with open(DATA / "region_clues.toml", "rb") as fh:
        return tomllib.load(fh)


def _town_stem(name: str) -> str:
    for suffix in TOWN_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


@cache
def _gazetteer() -> Gazetteer:
    common = set(_clues()["short_names"]["common_words"])
    names: dict[str, list[tuple[Place, bool]]] = defaultdict(list)
    towns: dict[str, set[Place]] = defaultdict(set)
    cities: dict[tuple[str, str], Place] = {}
    provinces: dict[str, Place] = {}
    initials: dict[str, set[Place]] = defaultdict(set)
    counties: dict[tuple[str, str, str], Place] = {}
    with gzip.open(DATA / "gazetteer.csv.gz", "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    corrections = (DATA / "gazetteer_corrections.csv").read_text(encoding="utf-8").splitlines()
    fixed = list(csv.DictReader(line for line in corrections if not line.startswith("#")))
    corrected = {row["name"] for row in fixed}
    rows = [row for row in rows if row["name"] not in corrected] + fixed
    for row in rows:
        if row["level"] == "town":
            continue
        # An old name points at today's unit (its current names are in the row).
        historic = row["status"] == "historic"
        level = ("county" if row["county"] else "city") if historic else row["level"]
        place = Place(
            row["code"],
            level,
            row["province"],
            row["city"] if level != "province" else "",
            row["county"] if level == "county" else "",
        )
        names[row["name"]].append((place, False))
        short = row["short_name"]
        if len(short) >= 2 and short not in common and short != row["name"]:
            names[short].append((place, True))
        if row["status"] == "current":
            if level == "province":
                provinces[place.province] = place
            elif level == "city":
                cities[(place.province, place.city)] = place
                if short:
                    initials[short[0]].add(place)
            else:
                counties[(place.province, place.city, place.county)] = place
    for row in rows:
        if row["level"] == "town":
            stem = _town_stem(row["name"])
            county = counties.get((row["province"], row["city"], row["county"]))
            if len(stem) >= 2 and county is not None:
                towns[stem].add(county)
    return Gazetteer(
        names={k: tuple(dict.fromkeys(v)) for k, v in names.items()},
        towns={k: frozenset(v) for k, v in towns.items() if len(v) <= MAX_TOWN_COUNTIES},
        city_by_initial={k: next(iter(v)) for k, v in initials.items() if len(v) == 1},
        cities=cities,
        provinces=provinces,
        max_len=max(len(k) for k in names),
    )


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
    left = max((text.rfind(c, 0, start) for c in CLAUSE_END), default=-1)
    rights = [i for i in (text.find(c, end) for c in CLAUSE_END) if i >= 0]
    return text[left + 1 : min(rights) if rights else len(text)]


def _scan_names(text: str, gaz: Gazetteer, bounds: set[int]) -> Iterator[tuple[int, int, str, bool]]:
    """Longest gazetteer names, left to right, never overlapping (金溪县 before 金溪).

    A short name must sit on jieba word boundaries: 利通 inside 顺利通过, or 织金 across
    组织金溪, is no place and must not hide the real one next to it.
    """
    i = 0
    while i < len(text):
        for size in range(min(gaz.max_len, len(text) - i), 1, -1):
            surface = text[i : i + size]
            entries = gaz.names.get(surface)
            if not entries:
                continue
            is_short = all(short for _, short in entries) or size == 2
            if is_short and not (i in bounds and i + size in bounds):
                continue
            yield i, i + size, surface, is_short
            i += size
            break
        else:
            i += 1


@cache
def _segmenter() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer()


def _word_boundaries(text: str) -> set[int]:
    """Offsets where jieba puts a word boundary: 利通 inside 顺利通过 is not a place."""
    bounds, pos = {0}, 0
    for token in _segmenter().cut(text, HMM=False):
        pos += len(token)
        bounds.add(pos)
    return bounds


def _in_brackets(text: str, start: int) -> bool:
    """Inside 《...》 or “...”: a newspaper, book or event title, not a place being reported on."""
    return any(text.rfind(left, 0, start) > text.rfind(right, 0, start) for left, right in (("《", "》"), ("“", "”")))


def _name_mentions(text: str, in_title: bool) -> list[_Mention]:
    gaz, clues = _gazetteer(), _clues()
    weights, only = clues["weights"], clues["mention_only"]
    scanned = list(_scan_names(text, gaz, _word_boundaries(text)))
    surfaces = [s for _, _, s, _ in scanned]
    out = []
    for start, end, surface, is_short in scanned:
        entries = gaz.names[surface]
        after = text[end : end + 8]
        if any(after.startswith(w) for w in only["landmark_after"]):
            continue
        places = tuple(p for p, _ in entries)
        # A short name shared by a city and one of its own districts (广安/广安区) means the city.
        city_names = {(p.province, p.city) for p in places if p.level == "city"}
        places = tuple(p for p in places if not (p.level == "county" and (p.province, p.city) in city_names))
        weight = weights["short_name"] if is_short else weights["full_name"]
        window = re.split(f"[{CLAUSE_END}、与和及]", after)[0][:6]
        own = (
            bool(re.match(clues["own_body"]["after"], after))
            or _bureau_after(text, end) is not None
            or bool(re.search(clues["own_body"]["before"], text[max(0, start - 3) : start]))
        )
        hint = not own and (
            any(w in window for w in only["institution_after"])
            or any(m in _clause(text, start, end) for m in only["clause_markers"])
            or _in_brackets(text, start)
            # A short name seen once in the body may be a brand or a partner's home town.
            or (is_short and not in_title and surfaces.count(surface) == 1)
        )
        if in_title:
            weight *= weights["title_factor"]
        elif own:
            weight *= weights["own_body_factor"]
        kind = "title" if in_title else ("hint" if hint else "name")
        out.append(
            _Mention(surface, places, weight, hint, f"{kind}:{surface}", _is_unit(text, start, end, in_title), in_title)
        )
    return out


def _is_unit(text: str, start: int, end: int, in_title: bool) -> bool:
    """The bureau is named after this place, in the title or as the subject of the body's opening
    ("2021年，某市科技局在市委……"); a bureau after 在/和 or before 的 is the parent guiding it."""
    unit = _clues()["unit"]
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
    unit = _clues()["unit"]
    return re.match(unit["zone"] + unit["bureau"], text[end:])


def _town_stems(text: str) -> dict[str, bool]:
    """Town stems found in the text -> whether one was written with its suffix (合心镇)."""
    gaz = _gazetteer()
    found: dict[str, bool] = {}
    for m in re.finditer(r"(?=([\u4e00-\u9fff]{2,6}?)(街道|镇|乡|苏木))", text):
        stem = m.group(1)
        for k in range(len(stem) - 1):
            if stem[k:] in gaz.towns:
                found[stem[k:]] = True
                break
    return found


@cache
def _province_towns(province: str) -> dict[str, frozenset[Place]]:
    """Town stem -> the counties of one province having it."""
    out = {}
    for stem, places in _gazetteer().towns.items():
        inside = frozenset(p for p in places if p.province == province)
        if inside:
            out[stem] = inside
    return out


def _bare_stems(text: str, province: str) -> dict[Place, set[str]]:
    """Town stems written without suffix, counted only inside the chosen province (a weak clue)."""
    out: dict[Place, set[str]] = defaultdict(set)
    for stem, places in _province_towns(province).items():
        if stem in text:
            for county in places:
                out[county].add(stem)
    return out


def _report_level(text: str) -> str | None:
    ref = _clues()["self_reference"]
    counts = {lvl: sum(len(re.findall(p, text)) for p in ref[lvl]) for lvl in ("county", "district", "city")}
    counts["city"] *= ref["city_discount"]
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > 0 else None


def _pick(scores: dict, min_score: float, margin: float) -> tuple[object | None, float]:
    if not scores:
        return None, 0.0
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    top, score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if score < min_score or score < margin * second:
        return None, 0.0
    return top, min(1.0, score / (score + second) * min(1.0, score / 2))


def resolve_region(title: str | None, text: str) -> RegionResolution:
    gaz, clues = _gazetteer(), _clues()
    weights = clues["weights"]
    mentions = _name_mentions(title, True) if title else []
    mentions += _name_mentions(text, False)
    full = f"{title or ''}\n{text}"
    evidence: list[str] = []

    prov: dict[str, float] = defaultdict(float)
    city: dict[tuple[str, str], float] = defaultdict(float)
    county: dict[Place, float] = defaultdict(float)
    labels: dict[str, int] = defaultdict(int)
    for m in mentions:
        provs = {p.province for p in m.places}
        for p in provs:
            prov[p] += (weights["hint_only"] if m.hint_only else m.weight) / len(provs)
        labels[m.label] += 1
        if m.hint_only:
            continue
        cits = {(p.province, p.city) for p in m.places if p.level != "province"}
        for c in cits:
            city[c] += m.weight / len(cits)
        cnts = [p for p in m.places if p.level == "county"]
        for c in cnts:
            county[c] += m.weight / len(cnts)
    evidence += [f"{k}×{n}" if n > 1 else k for k, n in labels.items()]

    for word, target in clues["province_clues"].items():
        n = full.count(word)
        if n and target in gaz.provinces:
            prov[target] += weights["province_clue"] * n
            evidence.append(f"clue:{word}")
        elif n and target == "AUTONOMOUS":
            for p in prov:
                if "自治区" not in p:
                    prov[p] *= 0.5
    doc = clues["doc_number"]
    for m in re.finditer(doc["pattern"], full):
        letter = m.group(1)
        if letter in doc["ignore"]:
            continue
        if letter in clues["doc_number_abbrev"]:
            prov[clues["doc_number_abbrev"][letter]] += weights["doc_number_province"]
            evidence.append(f"doc:{m.group(0)}")
        elif letter in gaz.city_by_initial:
            place = gaz.city_by_initial[letter]
            prov[place.province] += weights["doc_number_city"]
            city[(place.province, place.city)] += weights["doc_number_city"]
            evidence.append(f"doc:{m.group(0)}")

    # Towns: two or more distinct towns of one county pin it; province not needed.
    stems = _town_stems(full)
    by_county: dict[Place, set[str]] = defaultdict(set)
    for stem in stems:
        for place in gaz.towns[stem]:
            by_county[place].add(stem)
    for place, found in by_county.items():
        if len(found) >= 2:
            bonus = weights["town"] * len(found)
            prov[place.province] += bonus
            city[(place.province, place.city)] += bonus
            county[place] += bonus
            evidence.append("towns:" + "/".join(sorted(found)))

    level = _report_level(full)
    if level:
        evidence.append(f"level:{level}")
    province, conf = _pick(prov, weights["min_score"], weights["margin"])
    if province is None:
        return RegionResolution(None, None, None, None, 0.0, "; ".join(evidence))

    # Within the province, a lone town unique to it, or several towns named bare, add weight.
    in_prov = _province_towns(province) if stems else {}
    for stem in stems:
        hits = in_prov.get(stem, frozenset())
        if len(hits) == 1 and len(by_county[next(iter(hits))]) < 2:
            place = next(iter(hits))
            county[place] += weights["town"]
            city[(place.province, place.city)] += weights["town"]
            evidence.append(f"town:{stem}")
    if stems:
        for place, found in _bare_stems(full, province).items():
            if len(found) >= 3 and found & set(stems):
                county[place] += weights["town"] * len(found)
                city[(place.province, place.city)] += weights["town"] * len(found)
                evidence.append("towns:" + "/".join(sorted(found)))

    suffixes = tuple(clues["level_suffixes"][level]) if level else None
    city_scores = {c: s for c, s in city.items() if c[0] == province}
    chosen_city, _ = _pick(city_scores, weights["min_score"], weights["margin"])
    unit = _title_unit(mentions, province)
    if unit is not None:
        # The title's own bureau name outranks every body count: a report of 江山市科学技术局 often
        # names its parent 衢州市 more often than itself, and one of 赣州市科技局 names its districts.
        evidence.append(f"unit:{unit.county or unit.city or unit.province}")
        chosen_city = (unit.province, unit.city) if unit.level != "province" else None
        chosen_county = unit if unit.level == "county" else None
        return _resolution(province, chosen_city, chosen_county, conf, evidence)
    county_scores = {
        c: s
        for c, s in county.items()
        if c.province == province
        and (chosen_city is None or (c.province, c.city) == chosen_city)
        and (suffixes is None or c.county.endswith(suffixes))
    }
    chosen_county, _ = _pick(county_scores, weights["min_score"], weights["margin"])
    # A city-level report names its own city; a county-level city wins only when the
    # city's evidence is mostly that county's own.
    if (
        chosen_county is not None
        and level == "city"
        and chosen_city is not None
        and county_scores[chosen_county] < 0.8 * city_scores[chosen_city]
    ):
        chosen_county = None
    return _resolution(province, chosen_city, chosen_county, conf, evidence)


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
    if place.level == "county" and re.search(_clues()["unit"]["zone_name"], place.county):
        return _gazetteer().cities.get((place.province, place.city))
    return place


def _resolution(
    province: str,
    chosen_city: tuple[str, str] | None,
    chosen_county: Place | None,
    conf: float,
    evidence: list[str],
) -> RegionResolution:
    gaz = _gazetteer()
    if chosen_county is not None:
        chosen_city = (chosen_county.province, chosen_county.city)
        code = chosen_county.code
    elif chosen_city is not None:
        code = gaz.cities[chosen_city].code if chosen_city in gaz.cities else None
    else:
        code = gaz.provinces[province].code
    return RegionResolution(
        province=province,
        city=chosen_city[1] if chosen_city else None,
        county=chosen_county.county if chosen_county else None,
        region_code=code,
        confidence=round(conf, 3),
        evidence="; ".join(evidence),
    )
