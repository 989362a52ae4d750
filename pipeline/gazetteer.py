"""The gazetteer: every province, city, county and town name the region resolver looks for.

Built from a package's data (see data/gazetteer.SOURCE.md) with our corrections
(data/gazetteer_corrections.csv), zones, landmarks and products that name a place
(data/region_aliases.csv), and the resolver's clues (data/region_clues.toml); compiled once per process
into Aho-Corasick automata (ahocorasick-rs), so one pass over a text finds every name.
"""

import csv
import gzip
import hashlib
import os
import pickle
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick_rs

DATA = Path(__file__).parent / "data"
TOWN_SUFFIXES = ("街道", "镇", "乡", "苏木")
MAX_TOWN_COUNTIES = 10  # a town name shared by more counties (城关镇) tells nothing


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
def clues() -> dict:
    with open(DATA / "region_clues.toml", "rb") as fh:
        return tomllib.load(fh)


@cache
def aliases() -> list[dict[str, str]]:
    """Zones, landmarks and products that name a place without its division's name (杨凌 -> 杨陵区)."""
    lines = (DATA / "region_aliases.csv").read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader(line for line in lines if line and not line.startswith("#")))


def town_stem(name: str) -> str:
    for suffix in TOWN_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _rows() -> Iterator[dict[str, str]]:
    """The package's rows, then our corrections, which replace the package's rows of the same name.

    Streamed: the 43,000 rows held at once as dicts left some 40 MB of freed but unreturned memory in
    every process that loads the gazetteer (each engine worker does)."""
    corrections = (DATA / "gazetteer_corrections.csv").read_text(encoding="utf-8").splitlines()
    fixed = list(csv.DictReader(line for line in corrections if not line.startswith("#")))
    corrected = {row["name"] for row in fixed}
    with gzip.open(DATA / "gazetteer.csv.gz", "rt", encoding="utf-8") as fh:
        yield from (row for row in csv.DictReader(fh) if row["name"] not in corrected)
    yield from fixed


def _cache_file() -> Path:
    """Where the built gazetteer is kept between processes, named by the code and data it is built from:
    building it took 0.3 s in every new process (a sensor's run, each engine worker), reading it 0.04 s."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for name in ("gazetteer.csv.gz", "gazetteer_corrections.csv", "region_aliases.csv", "region_clues.toml"):
        digest.update((DATA / name).read_bytes())
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sti-warehouse"
    return folder / f"gazetteer-{digest.hexdigest()[:16]}.pickle"


@cache
def load() -> Gazetteer:
    """The gazetteer, from this user's cache when it holds this version (a private folder: a pickle runs code
    when read, so it is never read from a shared one), else built and cached."""
    path = _cache_file()
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    built = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
        for stale in path.parent.glob("gazetteer-*.pickle"):  # other versions' are never read again
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:  # a read-only home: build it in every process, as before
        pass
    return built


def _build() -> Gazetteer:
    common = set(clues()["short_names"]["common_words"])
    autonomous = tuple(clues()["autonomous_abbreviations"]["suffixes"])
    names: dict[str, list[tuple[Place, bool]]] = defaultdict(list)
    towns: dict[str, set[Place]] = defaultdict(set)
    cities: dict[tuple[str, str], Place] = {}
    provinces: dict[str, Place] = {}
    initials: dict[str, set[Place]] = defaultdict(set)
    counties: dict[tuple[str, str, str], Place] = {}
    town_stems: dict[tuple[str, str, str], list[str]] = defaultdict(list)  # county -> its towns' stems
    for row in _rows():
        if row["level"] == "town":
            town_stems[(row["province"], row["city"], row["county"])].append(town_stem(row["name"]))
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
        if len(short) >= 2 and row["name"].endswith(autonomous):
            names[short + row["name"][-1]].append((place, False))  # 黔东南州, 互助县
        if row["status"] == "current":
            if level == "province":
                provinces[place.province] = place
            elif level == "city":
                cities[(place.province, place.city)] = place
                if short:
                    initials[short[0]].add(place)
            else:
                counties[(place.province, place.city, place.county)] = place
    for alias in aliases():
        key = (alias["province"], alias["city"], alias["county"])
        place = counties.get(key) or cities.get(key[:2]) or provinces.get(key[0])
        if place is not None:
            names[alias["name"]].append((place, True))
    # A name shared with a division of 台湾省 (连江县) means the mainland one: the reports are mainland bureaus'.
    for name, entries in names.items():
        kept = [e for e in entries if e[0].province not in clues()["gazetteer"]["yield_to_others"]]
        if kept:
            names[name] = kept
    for key, stems in town_stems.items():
        if (county := counties.get(key)) is not None:
            for stem in stems:
                if len(stem) >= 2:
                    towns[stem].add(county)
    return Gazetteer(
        names={k: tuple(dict.fromkeys(v)) for k, v in names.items()},
        towns={k: frozenset(v) for k, v in towns.items() if len(v) <= MAX_TOWN_COUNTIES},
        city_by_initial={k: next(iter(v)) for k, v in initials.items() if len(v) == 1},
        cities=cities,
        provinces=provinces,
        max_len=max(len(k) for k in names),
    )


@cache
def name_matcher() -> tuple[ahocorasick_rs.AhoCorasick, tuple[str, ...]]:
    """Every gazetteer name in one automaton: one pass over a text finds them all."""
    surfaces = tuple(sorted(load().names))
    return ahocorasick_rs.AhoCorasick(surfaces), surfaces


@cache
def town_matcher() -> tuple[ahocorasick_rs.AhoCorasick, tuple[str, ...]]:
    stems = tuple(sorted(load().towns))
    return ahocorasick_rs.AhoCorasick(stems), stems
