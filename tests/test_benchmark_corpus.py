"""The throughput benchmark's simplified corpus is what it claims: plain simplified reports (no traditional
characters, no pinyin glosses, no site boilerplate) that the pipeline splits into as many reports as the samples
give, so that bare jieba is timed on the text a bureau's plain report has."""

from pathlib import Path

from benchmarks.throughput import REPORTS_PER_FILE, SAMPLE_DIR, generate
from pipeline.normalize import normalize_document


def test_simplified_corpus_has_no_traditional_text_or_glosses(tmp_path: Path) -> None:
    files = generate(SAMPLE_DIR, tmp_path, 8, seed=7, lengthen=3.5, corpus="simplified")
    reports = [r for f in files for r in normalize_document(f.read_text(encoding="utf-8"))]
    assert len(reports) == round(8 * REPORTS_PER_FILE)
    assert not [r.title for r in reports if r.was_traditional]
    assert not [rule for r in reports for rule in r.rules if rule.startswith(("pinyin_gloss", "t2s", "boilerplate"))]


def test_generator_is_deterministic(tmp_path: Path) -> None:
    first = generate(SAMPLE_DIR, tmp_path / "a", 3, seed=7, lengthen=2.0, corpus="simplified")
    second = generate(SAMPLE_DIR, tmp_path / "b", 3, seed=7, lengthen=2.0, corpus="simplified")
    assert [f.read_bytes() for f in first] == [f.read_bytes() for f in second]
