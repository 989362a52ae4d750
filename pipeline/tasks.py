"""The work of one item, as the engine runs it: a file normalized, a report analysed.

These are the tasks `pipeline.engine` sends to its workers (processes of this machine or of a Dask
cluster), so the module imports only the stage modules they call and Polars: a worker never loads
the warehouse's DuckDB code, the memo or the checks that `pipeline.tables` needs in the run's process.
The schemas are those of the memo's rows each task returns.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict
from pathlib import Path

import polars as pl

from pipeline import doc_kind, duplicates, extract, ingest, normalize, periods, regions, segment

_NOT_ALNUM = re.compile(r"[\W_]+")  # what str.isalnum() rejects

REPORT_STRUCT = pl.Struct(
    {
        "segment_no": pl.Int32,
        "title": pl.String,
        "n_chars": pl.Int32,
        "was_traditional": pl.Boolean,
        "rules": pl.List(pl.String),
        "damaged_spans": pl.List(pl.List(pl.Int32)),
        "text_hash": pl.String,
        "report_key": pl.String,
        "publisher": pl.String,
        "published": pl.String,
        "sentences": pl.List(duplicates.SENTENCE_STRUCT),
    }
)
# The texts are a column of their own, in the order of `reports`: every run reads the reports' small fields
# (to list them, name them and judge duplicates), and only the reports it analyses or loads read their texts.
NORMALIZED_SCHEMA = {
    "key": pl.String,
    "source_encoding": pl.String,
    "rejected_reason": pl.String,
    "reports": pl.List(REPORT_STRUCT),
    "texts": pl.List(pl.String),
}
RESOLVED_SCHEMA = {
    "key": pl.String,
    "doc_kind": pl.String,
    "province": pl.String,
    "city": pl.String,
    "county": pl.String,
    "region_code": pl.String,
    "region_confidence": pl.Float64,
    "region_evidence": pl.String,
    "year": pl.Int32,
    "period": pl.String,
    "period_evidence": pl.String,
    "analysis_error": pl.String,  # why the rules failed on this report, which then has no region, period or facts
}
TERMS_STRUCT = pl.Struct({"term": pl.String, "n": pl.Int32})
FACT_STRUCT = pl.Struct(
    {
        "indicator": pl.String,
        "measure": pl.String,
        "value": pl.Float64,
        "status": pl.String,
        "approx": pl.String,
        "detail": pl.String,
        "is_component": pl.Boolean,
        "is_redacted": pl.Boolean,
        "is_suspect": pl.Boolean,
        "yoy_pct": pl.Float64,
        "enterprise_names": pl.List(pl.String),
        "evidence": pl.String,
        "span_start": pl.Int32,
        "span_end": pl.Int32,
        "is_restatement": pl.Boolean,
        "is_cumulative": pl.Boolean,
        "recipient": pl.Int32,
    }
)
ANALYZED_SCHEMA = {
    **RESOLVED_SCHEMA,
    "n_facts": pl.Int32,  # how many facts: the coverage check counts reports without any, without reading them
    "terms": pl.List(TERMS_STRUCT),
    "facts": pl.List(FACT_STRUCT),
}


def _hash(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def _text_hash(text: str) -> str:
    """Duplicates are judged on the characters that carry meaning, not on spacing or punctuation."""
    return _hash(_NOT_ALNUM.sub("", text))


def normalize_item(data: bytes) -> dict:
    """One file's reports, or the reason it cannot give any."""
    try:
        decoded = ingest.decode_bytes(data)
    except ingest.RejectedInput as exc:
        return {"source_encoding": None, "rejected_reason": exc.reason, "reports": [], "texts": []}
    try:
        reports = normalize.normalize_document(decoded.text)
    except MemoryError:  # says nothing about the file: the task fails rather than quarantine it for good
        raise
    except Exception as exc:  # a defect met on one file must not stop the others: quarantine it, say why
        reason = f"normalization failed: {exc!r}"
        return {"source_encoding": decoded.encoding, "rejected_reason": reason, "reports": [], "texts": []}
    sentences = duplicates.sentence_hashes([r.text for r in reports])
    rows = [
        {
            **{k: v for k, v in asdict(r).items() if k != "text"},
            "n_chars": len(r.text),
            "sentences": sentences[i],
            # The audit trail also says when bytes were lost before normalization (a truncated download).
            "rules": list(r.rules)
            + ([f"undecodable_bytes:{decoded.damaged}"] if decoded.damaged and "\ufffd" in r.text else []),
            "damaged_spans": [list(s) for s in r.damaged_spans],
            "text_hash": _text_hash(r.text),
            # Exact content of the report, with the page's publisher where it names one (it helps place the
            # report): the key of the per-report memo (text_hash ignores punctuation, so two reports it
            # calls duplicates may still differ in their offsets).
            "report_key": _hash(
                r.title, r.text, *([r.publisher] if r.publisher else []), *([r.published] if r.published else [])
            ),
        }
        for i, r in enumerate(reports)
    ]
    reason = None if rows else "no report text left after normalization"
    texts = [r.text for r in reports]
    return {"source_encoding": decoded.encoding, "rejected_reason": reason, "reports": rows, "texts": texts}


def normalize_batch(files: pl.DataFrame, root: str) -> pl.DataFrame:
    """One row per content of `files` (content_hash, source_file, source_path), read from `root`: a task of
    the engine."""
    rows = []
    for content_hash, source_file, path in files.select("content_hash", "source_file", "source_path").iter_rows():
        data = ingest.reread(Path(root), path, content_hash)
        if data is None:
            raise RuntimeError(
                f"{source_file} changed or disappeared after raw_files listed it: materialize raw_files again"
            )
        rows.append({"key": content_hash, **normalize_item(data)})
    return pl.DataFrame(rows, schema=NORMALIZED_SCHEMA)


def _resolve_row(report: dict) -> dict:
    title, text = report["title"], report["text"]
    region = regions.resolve_region(title, text, publisher=report.get("publisher"))
    period = periods.resolve_period(title, text, published=report.get("published"))
    return {
        "doc_kind": doc_kind.classify_doc_kind(title, text),
        "province": region.province,
        "city": region.city,
        "county": region.county,
        "region_code": region.region_code,
        "region_confidence": region.confidence,
        "region_evidence": region.evidence,
        "year": period.year,
        "period": period.period,
        "period_evidence": period.evidence,
    }


def _segment_row(report: dict) -> dict:
    return {"terms": [{"term": t, "n": n} for t, n in sorted(segment.term_counts(report["text"]).items())]}


def _extract_row(report: dict) -> dict:
    damaged = tuple((s[0], s[1]) for s in report["damaged_spans"] or [])
    facts = extract.extract_facts(report["text"], damaged_spans=damaged)
    # Fields one level deep (dataclasses.asdict deep-copies every value, a tenth of extraction's time).
    return {"facts": [{**vars(f), "enterprise_names": list(f.enterprise_names)} for f in facts]}


def _analyze_row(report: dict) -> dict:
    """One report's analysis; a defect the rules meet on its text is recorded on the report (as
    `analysis_error`, genre `other`, nothing placed or extracted) instead of failing the batch, so the
    corpus's other reports are still analysed and published. The memo keeps the error until the code
    changes; running out of memory says nothing about the text, so it fails the task instead."""
    try:
        return {**_resolve_row(report), **_segment_row(report), **_extract_row(report), "analysis_error": None}
    except MemoryError:
        raise
    except Exception as exc:
        return {"doc_kind": "other", "terms": [], "facts": [], "analysis_error": f"analysis failed: {exc!r}"}


def analyze_batch(reports: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Region, period and genre, domain terms and facts of each report: a task of the engine. A lazy
    slice of the stage file is read where the task runs (the run's process does not hold the texts)."""
    rows = []
    for report in reports.lazy().collect().iter_rows(named=True):
        row = _analyze_row(report)
        rows.append({"key": report["report_key"], **row, "n_facts": len(row["facts"])})
    return pl.DataFrame(rows, schema=ANALYZED_SCHEMA)
