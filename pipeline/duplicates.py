"""Tell which reports repeat an earlier one, so their facts are counted once.

A repost of a report carries the same sentences under another site's boilerplate; an exact copy has the
same normalized text. Both are duplicates of the first copy in reading order (source file, position in
it). Thresholds live in data/duplicates.toml.
"""

import tomllib
from functools import cache
from pathlib import Path

import polars as pl

DATA = Path(__file__).parent / "data"


@cache
def _rules() -> dict:
    with open(DATA / "duplicates.toml", "rb") as fh:
        return tomllib.load(fh)


def _sentences(reports: pl.LazyFrame) -> pl.DataFrame:
    """(document_id, sentence hash, characters) for every informative sentence, once per report."""
    rules = _rules()
    ends = rules["sentence_end"].replace("\n", "\\n")
    sentences = (
        reports.select("document_id", sentence=pl.col("text"))
        .with_columns(pl.col("sentence").str.replace_all(f"[{ends}]", "\x00").str.split("\x00"))
        .explode("sentence")
        .with_columns(pl.col("sentence").str.strip_chars())
        .filter(pl.col("sentence").str.len_chars() >= rules["min_sentence_chars"])
        .select("document_id", sentence_hash=pl.col("sentence").hash(seed=0), chars=pl.col("sentence").str.len_chars())
        .unique(["document_id", "sentence_hash"])
    ).collect(engine="streaming")  # the texts are read in chunks; only the hashes are kept
    frequency = sentences.group_by("sentence_hash").agg(n_reports=pl.len())
    return sentences.join(
        frequency.filter(pl.col("n_reports") <= rules["max_sentence_reports"]), on="sentence_hash"
    ).drop("n_reports")


def find_duplicates(reports: pl.LazyFrame) -> pl.DataFrame:
    """(document_id, duplicate_of) of every report of `reports` (source_file, segment_no, document_id,
    text_hash, text): the document_id of the first copy of the same report in reading order, or null
    for a first copy."""
    keys = reports.select("source_file", "segment_no", "document_id", "text_hash").collect()
    keys = keys.sort("source_file", "segment_no").with_row_index("position")
    order = keys.select("document_id", "position")
    exact = keys.join(
        keys.group_by("text_hash", maintain_order=True).agg(first=pl.col("document_id").first()), on="text_hash"
    ).select("document_id", exact_first=pl.when(pl.col("first") != pl.col("document_id")).then("first"))

    sentences = _sentences(reports)
    totals = sentences.group_by("document_id").agg(total=pl.col("chars").sum())
    pairs = (
        sentences.join(sentences, on="sentence_hash", suffix="_other")
        .filter(pl.col("document_id") != pl.col("document_id_other"))
        .group_by("document_id", "document_id_other")
        .agg(shared=pl.col("chars").sum())
        .join(totals, on="document_id")
        .join(totals, left_on="document_id_other", right_on="document_id", suffix="_other")
        .filter(pl.col("shared") >= _rules()["min_shared_share"] * pl.max_horizontal("total", "total_other"))
        .join(order, on="document_id")
        .join(order, left_on="document_id_other", right_on="document_id", suffix="_other")
        .filter(pl.col("position_other") < pl.col("position"))
        .sort("position_other")
        .group_by("document_id")
        .agg(near_first=pl.col("document_id_other").first())
    )
    marked = (
        order.join(exact, on="document_id", how="left")
        .join(pairs, on="document_id", how="left")
        .with_columns(duplicate_of=pl.coalesce("exact_first", "near_first"))
        .drop("exact_first", "near_first")
    )
    # A copy of a copy points at the first copy.
    first_of = dict(
        marked.filter(pl.col("duplicate_of").is_not_null()).select("document_id", "duplicate_of").iter_rows()
    )
    roots = {doc: _root(doc, first_of) for doc in first_of}
    return marked.sort("position").select(
        "document_id", duplicate_of=pl.col("document_id").replace_strict(roots, default=None)
    )


def _root(doc: str, first_of: dict[str, str]) -> str:
    seen = {doc}
    while (doc := first_of[doc]) in first_of and doc not in seen:
        seen.add(doc)
    return doc
