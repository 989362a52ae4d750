"""Tell which reports repeat an earlier one, so their facts are counted once.

A repost of a report carries the same sentences under another site's boilerplate; an exact copy has the
same normalized text. Both are duplicates of the first copy in reading order (source file, position in
it). Thresholds live in data/duplicates.toml.
"""

import hashlib
import re
import tomllib
from functools import cache
from pathlib import Path

import polars as pl

DATA = Path(__file__).parent / "data"


@cache
def _rules() -> dict:
    with open(DATA / "duplicates.toml", "rb") as fh:
        return tomllib.load(fh)


# The informative sentences of a report, as the normalize stage keeps them beside it: each distinct
# sentence's 64-bit hash and length. Computed once per report where it is normalized, so that judging
# duplicates across the corpus on every run reads these hashes, never the texts.
SENTENCE_STRUCT = pl.Struct({"hash": pl.UInt64, "chars": pl.Int32})


@cache
def _sentence_end_re() -> re.Pattern[str]:
    return re.compile(f"[{re.escape(_rules()['sentence_end'])}]")


def sentence_hashes(texts: list[str]) -> list[list[dict]]:
    """Per text, the (hash, chars) of its informative sentences, each distinct sentence once. The hash is
    the first 8 bytes of the sentence's BLAKE2b: stable across processes and library versions (Python's
    own hash of a str is not), and cheap enough for every sentence of every file normalized."""
    min_chars = _rules()["min_sentence_chars"]
    per_text = []
    for text in texts:
        found: dict[int, int] = {}
        for sentence in _sentence_end_re().split(text):
            sentence = sentence.strip()
            if len(sentence) >= min_chars:
                digest = hashlib.blake2b(sentence.encode("utf-8"), digest_size=8).digest()
                found.setdefault(int.from_bytes(digest, "little"), len(sentence))
        per_text.append([{"hash": h, "chars": n} for h, n in found.items()])
    return per_text


def _sentences(keys: pl.DataFrame) -> pl.DataFrame:
    """(position, sentence hash, characters, reports holding it) of every informative sentence shared by few
    enough reports to tell copies apart; a report is named by its position in reading order."""
    return (
        keys.lazy()
        .select("position", "sentences")
        .explode("sentences")
        .drop_nulls("sentences")
        .unnest("sentences")
        .rename({"hash": "sentence_hash"})
        .with_columns(n_reports=pl.len().over("sentence_hash"))
        .filter(pl.col("n_reports") <= _rules()["max_sentence_reports"])
        .collect(engine="streaming")
    )


def find_duplicates(reports: pl.DataFrame) -> pl.DataFrame:
    """(document_id, duplicate_of) of every report of `reports` (source_file, segment_no, document_id,
    text_hash, sentences), in reading order: the document_id of the first copy of the same report, or null
    for a first copy."""
    keys = reports.sort("source_file", "segment_no").with_row_index("position")
    first = keys.group_by("text_hash", maintain_order=True).agg(first=pl.col("position").first())
    exact = keys.join(first, on="text_hash").select(
        "position", exact_first=pl.when(pl.col("first") != pl.col("position")).then("first")
    )

    sentences = _sentences(keys)
    totals = sentences.group_by("position").agg(total=pl.col("chars").sum()).lazy()
    # Only a sentence two reports share can make them copies: the others count in each report's total, but
    # pairing them (most sentences of a corpus are in one report) held the whole corpus's sentences twice.
    shared = sentences.lazy().filter(pl.col("n_reports") > 1).select("position", "sentence_hash", "chars")
    pairs = (
        shared.join(shared, on="sentence_hash", suffix="_other")
        .filter(pl.col("position_other") < pl.col("position"))  # only an earlier report can be the first copy
        .group_by("position", "position_other")
        .agg(shared=pl.col("chars").sum())
        .join(totals, on="position")
        .join(totals, left_on="position_other", right_on="position", suffix="_other")
        .filter(pl.col("shared") >= _rules()["min_shared_share"] * pl.max_horizontal("total", "total_other"))
        .group_by("position")
        .agg(near_first=pl.col("position_other").min())
        .collect(engine="streaming")
    )
    marked = (
        keys.select("position")
        .join(exact, on="position", how="left")
        .join(pairs, on="position", how="left")
        .select("position", first=pl.coalesce("exact_first", "near_first"))
    )
    # A copy of a copy points at the first copy.
    first_of = dict(marked.drop_nulls("first").iter_rows())
    ids = keys["document_id"].to_list()
    roots = {position: ids[_root(position, first_of)] for position in first_of}
    return keys.select(
        "document_id", duplicate_of=pl.col("position").replace_strict(roots, default=None, return_dtype=pl.String)
    )


def _root(doc: int, first_of: dict[int, int]) -> int:
    seen = {doc}
    while (doc := first_of[doc]) in first_of and doc not in seen:
        seen.add(doc)
    return doc
