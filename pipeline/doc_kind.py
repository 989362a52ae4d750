"""Tell a government S&T body's work report from other texts scraped beside it.

Compilations mix bureau reports with a college's, a company's or a person's summaries;
only the bureaus' facts describe a region. Word lists live in data/doc_kind.toml.
"""

import re
import tomllib
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@cache
def _rules() -> dict:
    with open(DATA / "doc_kind.toml", "rb") as fh:
        return tomllib.load(fh)


def _score(group: dict, text: str) -> float:
    return group["weight"] * sum(len(re.findall(p, text)) for p in group["patterns"])


def _subject_score(title: str | None, text: str) -> float:
    """A bureau opening the body as its subject is the speaker, though it may never say 我局."""
    subject = _rules()["bureau_subject"]
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()
    names = "|".join(_rules()["bureau_names"]["patterns"])
    pattern = f"{subject['before']}(?:{names})(?!{subject['not_after']})"
    return subject["weight"] if re.search(pattern, text[: subject["opening_chars"]]) else 0.0


def classify_doc_kind(title: str | None, text: str) -> str:
    rules = _rules()
    full = f"{title or ''}\n{text}"
    bureau = _score(rules["bureau_names"], full) + _score(rules["bureau_self"], full) + _subject_score(title, text)
    other = _score(rules["other_self"], full)
    return "bureau_report" if bureau >= rules["decision"]["min_bureau"] and bureau > other else "other"
