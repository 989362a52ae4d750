"""Regression guard: the stages on the labelled report sets stay above a floor of F1 and attribute accuracy.

Matching follows the evaluation scorer: a figure matches a gold row when file, indicator, measure and
value (money rounded to the yuan) agree, as multisets; gold rows graded `dont_care` or `suspect` neither
reward nor penalize; redacted gold rows (value null) are matched by a redacted figure of the same
indicator and measure. Attributes are scored over matched pairs where the gold states them.
"""

import json
from collections import Counter, defaultdict
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import analysed

SETS = sorted((Path(__file__).parent / "fixtures" / "labelled").glob("set*"))


def observations(raw: Path, cache_dir: Path) -> list[dict]:
    resolved, facts, _rejected = analysed(raw, cache_dir)
    counted = resolved.filter(pl.col("duplicate_of").is_null()).select(
        "document_id", "source_file", "province", "city", "county", "year", "period"
    )
    return facts.join(counted, on="document_id").collect().to_dicts()


def key(file: str, indicator: str, measure: str, value: float) -> tuple:
    return (file, indicator, measure, round(value) if measure == "amount_cny" else round(value, 2))


def gold_detail(g: dict) -> str | None:
    attrs = g.get("attrs") or {}
    return attrs.get("kind") or attrs.get("action") or ("invention" if attrs.get("invention") else None)


def score(system: list[dict], gold: list[dict]) -> dict[str, float]:
    by_key: dict[tuple, list[dict]] = defaultdict(list)
    for s in system:
        if s["value"] is not None:
            by_key[key(s["source_file"], s["indicator"], s["measure"], s["value"])].append(s)
    tp = fn = 0
    pairs = []
    for g in sorted((g for g in gold if g["value"] is not None), key=lambda g: g["grade"] != "core"):
        candidates = by_key.get(key(g["file"], g["indicator"], g["measure"], g["value"]), [])
        if candidates:
            s = candidates.pop(0)
            if g["grade"] == "core":
                tp += 1
                pairs.append((g, s))
        elif g["grade"] == "core":
            fn += 1
    fp = sum(len(rest) for rest in by_key.values())
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    result = {"f1": 2 * precision * recall / (precision + recall) if tp else 0.0}
    checks = {
        "status": lambda g, s: (g["status"], s["status"]),
        "approx": lambda g, s: (g["approx"], s["approx"]),
        "detail": lambda g, s: (gold_detail(g), s["detail"]),
        "is_component": lambda g, s: (g["component"], s["is_component"]),
        "province": lambda g, s: (g["region"]["province"], s["province"]),
        "period": lambda g, s: (g["period"], s["period"]),
    }
    for name, get in checks.items():
        stated = [get(g, s) for g, s in pairs if get(g, s)[0] is not None]
        result[name] = sum(want == got for want, got in stated) / len(stated) if stated else 0.0
    redacted_gold = Counter(
        (g["file"], g["indicator"], g["measure"]) for g in gold if g["value"] is None and g["grade"] == "core"
    )
    redacted_sys = Counter((s["source_file"], s["indicator"], s["measure"]) for s in system if s["is_redacted"])
    if redacted_gold:
        found = sum(min(n, redacted_sys[k]) for k, n in redacted_gold.items())
        result["redacted_recall"] = found / sum(redacted_gold.values())
    return result


# Floors a little under what the stages reach today, so a regression fails and noise does not.
FLOORS = {
    "f1": 0.97,
    "status": 0.9,
    "approx": 0.9,
    "detail": 0.85,
    "is_component": 0.9,
    "province": 0.85,
    "period": 0.85,
    "redacted_recall": 0.8,
}


@pytest.mark.parametrize("labelled", SETS, ids=lambda p: p.name)
def test_labelled_set_stays_above_the_floor(labelled: Path, tmp_path: Path) -> None:
    gold = [json.loads(line) for line in (labelled / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line]
    result = score(observations(labelled / "raw", tmp_path), gold)
    below = {name: round(value, 3) for name, value in result.items() if value < FLOORS[name]}
    assert not below, f"{labelled.name}: {result}"
