"""The stage tables, without Dagster: ids, duplicates and evidence offsets."""

import os
import time
from pathlib import Path

import polars as pl
import pytest

from pipeline import quality, tables, tasks
from tests.conftest import core_rows

REPORT = "某县科技局2023年工作总结\n全年{sep}兑现科技奖补资金80万元，组织申报高新技术企业6家。\n"


def raw_folder(tmp_path: Path, **texts: str) -> Path:
    """A raw folder holding one file per keyword (a_txt -> a.txt) with that text."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in texts.items():
        (raw / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return raw


def build(raw: Path, cache: Path) -> dict[str, pl.DataFrame]:
    return core_rows(raw, cache)


def test_near_copy_is_a_duplicate_but_keeps_its_own_offsets(tmp_path: Path) -> None:
    raw = raw_folder(tmp_path, a_txt=REPORT.format(sep=""), b_txt=REPORT.format(sep="，"))
    frames = build(raw, tmp_path / "cache")
    docs = frames["documents"].sort("source_file")
    assert docs["duplicate_of"].to_list() == [None, docs["document_id"][0]]
    assert quality.evidence_matches_spans(frames).passed
    assert frames["fact_funding"]["document_id"].n_unique() == 2


def test_ids_are_stable_across_runs_and_caches(tmp_path: Path) -> None:
    raw = raw_folder(tmp_path, a_txt=REPORT.format(sep=""))
    first = build(raw, tmp_path / "cache")
    again = build(raw, tmp_path / "cache")
    uncached = build(raw, tmp_path / "another_cache")
    for frames in (again, uncached):
        assert frames["documents"]["document_id"].to_list() == first["documents"]["document_id"].to_list()
        assert sorted(frames["fact_funding"]["fact_id"]) == sorted(first["fact_funding"]["fact_id"])
        assert frames["load_state"]["fingerprint"][0] == first["load_state"]["fingerprint"][0]


def test_a_file_that_breaks_normalization_is_quarantined_and_the_others_land(tmp_path: Path, monkeypatch) -> None:
    from pipeline import normalize

    raw = raw_folder(tmp_path, a_txt=REPORT.format(sep=""), b_txt="触发缺陷的报告\n" + REPORT.format(sep=""))
    real = normalize.normalize_document

    def flaky(text: str):
        if text.startswith("触发缺陷"):
            raise ValueError("simulated defect")
        return real(text)

    monkeypatch.setattr(normalize, "normalize_document", flaky)
    frames = build(raw, tmp_path / "cache")
    assert frames["documents"]["source_file"].to_list() == ["a.txt"]
    (reason,) = frames["rejected_inputs"].filter(pl.col("source_file") == "b.txt")["reason"]
    assert "normalization failed" in reason and "simulated defect" in reason


def test_a_report_that_breaks_analysis_keeps_its_error_and_the_others_land(tmp_path: Path, monkeypatch) -> None:
    from pipeline import extract

    raw = raw_folder(tmp_path, a_txt=REPORT.format(sep=""), b_txt=REPORT.format(sep="触发缺陷，"))
    real = extract.extract_facts

    def flaky(text: str, **kwargs):
        if "触发缺陷" in text:
            raise ValueError("simulated defect")
        return real(text, **kwargs)

    monkeypatch.setattr(extract, "extract_facts", flaky)
    frames = build(raw, tmp_path / "cache")
    a, b = frames["documents"].sort("source_file").iter_rows(named=True)
    assert a["analysis_error"] is None and a["year"] == 2023
    assert "analysis failed" in b["analysis_error"] and "simulated defect" in b["analysis_error"]
    assert (b["doc_kind"], b["province"], b["year"], b["period"]) == ("other", None, None, None)
    assert frames["fact_funding"]["document_id"].to_list() == [a["document_id"]]
    assert frames["document_terms"].filter(pl.col("document_id") == b["document_id"]).is_empty()
    warned = quality.no_analysis_errors(frames)
    assert not warned.passed and warned.metadata["reports"].startswith("b.txt #1: analysis failed")
    assert quality.no_analysis_errors(
        {**frames, "documents": frames["documents"].filter(pl.col("source_file") == "a.txt")}
    ).passed


def test_ids_hashed_by_duckdb_equal_the_python_hash(tmp_path: Path) -> None:
    """Ids must not change with the engine that computes them: missing parts and floats included."""
    facts = pl.DataFrame(
        {
            "document_id": ["d1", "d1", "d2", "d2"],
            "indicator": ["funding", "patent", "training", "funding"],
            "measure": ["amount_cny", "grants", "sessions", "amount_cny"],
            "value": [None, 1e16, 12.0, 0.1],
            "status": ["actual", "target", "actual", "expected"],
            "detail": [None, "invention", None, "subsidy"],
            "span_start": [0, 5, 17, 230],
            "span_end": [4, 9, 20, 241],
            "recipient": [0, 0, 0, 2],  # the second of two recipients of one sum: its number joins the hash
        },
        schema_overrides={"span_start": pl.Int32, "span_end": pl.Int32, "recipient": pl.Int32},
    )
    (tmp_path / "parts").mkdir()
    facts.write_parquet(tmp_path / "parts" / "part-00001.parquet")
    with_ids = tables._fact_ids(tmp_path / "parts", tmp_path).collect()
    assert with_ids.drop("fact_id").equals(facts), "the other columns come back unchanged"
    expected = [tasks._hash(*row[:-1], *([row[-1]] if row[-1] else [])) for row in facts.iter_rows()]
    assert with_ids["fact_id"].to_list() == expected
    # A document's id: its file's bytes (content hash) and its place in the file; a byte-identical file at a
    # later path adds its copy number.
    reports = pl.DataFrame(
        {"source_file": ["a/b.txt", "c.txt", "z.txt"], "segment_no": [2, 2, 1], "content_hash": ["h1", "h1", "h2"]}
    )
    expected = [tasks._hash("h1", 2), tasks._hash("h1", 2, 2), tasks._hash("h2", 1)]
    with_ids = tables._document_ids(reports).sort("source_file")
    assert with_ids.drop("document_id").equals(reports.select("source_file", "segment_no"))
    assert with_ids["document_id"].to_list() == expected


def test_the_listing_carries_no_bytes(tmp_path: Path) -> None:
    """Step outputs stay small whatever the corpus: normalize reads each new file where it runs."""
    raw = raw_folder(tmp_path, a_txt=REPORT.format(sep=""))
    assert "data" not in tables.read_raw_files(raw, tmp_path / "cache").columns


def test_contents_the_memo_lost_after_listing_are_read_again_if_unchanged(tmp_path: Path) -> None:
    raw = raw_folder(tmp_path, a_txt=REPORT.format(sep=""), b_txt=REPORT.format(sep="，"))
    build(raw, tmp_path / "cache")
    files = tables.read_raw_files(raw, tmp_path / "cache")
    # Another cache stands for a memo that lost them (a new pipeline version between the two steps).
    reports, _, stats = tables.normalize_files(files, tmp_path / "other_cache", raw)
    assert sorted(reports.collect()["source_file"]) == ["a.txt", "b.txt"] and stats.computed == 2
    (raw / "b.txt").write_text(REPORT.format(sep="、"), encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"b\.txt changed or disappeared after raw_files listed it"):
        tables.normalize_files(files, tmp_path / "third_cache", raw)


def test_an_unreadable_file_is_quarantined_and_the_others_go_on(tmp_path: Path, monkeypatch) -> None:
    raw = raw_folder(tmp_path, a_txt=REPORT.format(sep=""), locked_txt=REPORT.format(sep="，"))
    read_bytes = Path.read_bytes

    def refuse_locked(path: Path) -> bytes:  # tests run as root, whom file modes do not stop
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse_locked)
    frames = build(raw, tmp_path / "cache")
    assert frames["documents"]["source_file"].to_list() == ["a.txt"]
    assert frames["rejected_inputs"].select("source_file", "content_hash", "reason").rows() == [
        ("locked.txt", None, "unreadable: Permission denied")
    ]


def test_a_changed_file_is_hashed_again_even_with_its_size(tmp_path: Path) -> None:
    raw, cache = tmp_path / "raw", tmp_path / "cache"
    raw.mkdir()
    report = raw / "a.txt"
    report.write_text(REPORT.format(sep="，"), encoding="utf-8")
    long_ago = time.time() - 60
    os.utime(report, (long_ago, long_ago))  # settled: remembered by its stat key
    first = tables.read_raw_files(raw, cache)
    assert tables.read_raw_files(raw, cache)["content_hash"].to_list() == first["content_hash"].to_list()
    report.write_text(REPORT.format(sep="、"), encoding="utf-8")  # same length, other bytes
    os.utime(report, (long_ago + 1, long_ago + 1))
    assert tables.read_raw_files(raw, cache)["content_hash"].to_list() != first["content_hash"].to_list()


def test_texts_and_figures_read_a_batch_at_a_time_are_the_same_rows(tmp_path: Path, monkeypatch) -> None:
    """The load reads the memo's texts and figures in batches (as many Parquet parts): batches of one memo
    row give the rows that batches holding the whole memo give."""
    raw = raw_folder(
        tmp_path, a_txt=REPORT.format(sep=""), b_txt=REPORT.format(sep="，"), c_txt=REPORT.replace("80", "95")
    )
    whole = {name: frame.sort(frame.columns) for name, frame in build(raw, tmp_path / "whole").items()}
    monkeypatch.setattr(tables, "ROW_GROUP_ROWS", 1)
    parts = []
    spy = tables._in_batches

    def counting(batches, empty: pl.LazyFrame, steps: dict) -> dict:
        result = spy(batches, empty, steps)
        parts.extend(len(list(folder.glob("*.parquet"))) for folder in steps)
        return result

    monkeypatch.setattr(tables, "_in_batches", counting)
    batched = {name: frame.sort(frame.columns) for name, frame in build(raw, tmp_path / "batched").items()}
    assert max(parts) > 2, "one part per memo row, besides the empty first one"
    for name, frame in whole.items():
        assert batched[name].equals(frame), name
