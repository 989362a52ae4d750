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


def _repeated_sentences(sentences: pl.Series, positions: pl.Series) -> pl.DataFrame:
    """(position, sentence_hash, chars, n_reports) of every informative sentence more than one report holds,
    a report named by its position in reading order. Only such a sentence can make two reports copies, and
    most sentences of a corpus are in one report: they are counted by sorting their hashes (at 3.7 million
    sentences, 0.08 s and 50 MB, where a hash table took 0.26 s and 150 MB), and only the repeated ones
    are kept with their reports."""
    hashes = sentences.explode().struct.field("hash").drop_nulls()  # a report lists each sentence once
    repeated = (
        hashes.sort().rle().struct.unnest().filter(pl.col("len") > 1).select(sentence_hash="value", n_reports="len")
    )
    return (
        pl.DataFrame({"position": positions, "sentences": sentences})
        .lazy()
        .explode("sentences")
        .drop_nulls("sentences")
        .unnest("sentences")
        .rename({"hash": "sentence_hash"})
        .join(repeated.lazy(), on="sentence_hash")
        .collect(engine="streaming")
    )


def find_duplicates(reports: pl.DataFrame) -> pl.DataFrame:
    """(document_id, duplicate_of) of every report of `reports` (source_file, segment_no, document_id,
    text_hash, sentences), in reading order: the document_id of the first copy of the same report, or null
    for a first copy. A near copy shares informative sentences of at least `min_shared_share` of the
    larger report's characters with an earlier report."""
    positions = reports.select(position=pl.arg_sort_by("source_file", "segment_no").arg_sort().cast(pl.UInt32))
    repeated = _repeated_sentences(reports["sentences"], positions["position"])
    max_reports = _rules()["max_sentence_reports"]
    keys = pl.concat(
        [
            reports.select("document_id", "text_hash"),
            positions,
            reports.select(chars=pl.col("sentences").list.eval(pl.element().struct.field("chars")).list.sum()),
        ],
        how="horizontal",
    )
    first = keys.group_by("text_hash").agg(first=pl.col("position").min())
    exact = keys.join(first, on="text_hash").select(
        "position", exact_first=pl.when(pl.col("first") != pl.col("position")).then("first")
    )
    # A sentence in very many reports is boilerplate: it counts neither as shared nor in a report's total.
    weights = repeated.group_by("position").agg(
        boilerplate=pl.col("chars").filter(pl.col("n_reports") > max_reports).sum(),
        shared=pl.col("chars").filter(pl.col("n_reports") <= max_reports).sum(),
    )
    totals = (
        keys.join(weights, on="position", how="left")
        .select("position", total=pl.col("chars") - pl.col("boilerplate").fill_null(0), shared=pl.col("shared"))
        .select("position", "total", unique=pl.col("total") - pl.col("shared").fill_null(0))
    )
    countable = repeated.filter(pl.col("n_reports") <= max_reports)
    shared = countable.select("position", "sentence_hash", "chars")
    pairs = (
        _candidates(countable, totals)
        .join(shared.lazy(), on="position")
        .join(shared.lazy(), left_on=["position_other", "sentence_hash"], right_on=["position", "sentence_hash"])
        .group_by("position", "position_other")
        .agg(shared=pl.col("chars").sum())
        .join(totals.lazy(), on="position")
        .join(totals.lazy(), left_on="position_other", right_on="position", suffix="_other")
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
    root_of = {position: _root(position, first_of) for position in first_of}
    roots = set(root_of.values())
    id_at = dict(keys.filter(pl.col("position").is_in(roots)).select("position", "document_id").iter_rows())
    return keys.select(
        "document_id",
        duplicate_of=pl.col("position").replace_strict(
            {position: id_at[root] for position, root in root_of.items()}, default=None, return_dtype=pl.String
        ),
    )


def _candidates(shared: pl.DataFrame, totals: pl.DataFrame) -> pl.LazyFrame:
    """(position, position_other) of the pairs of reports that may be copies, the other one earlier: those
    whose prefixes share a sentence (prefix filtering, as in set-similarity joins). Order each report's
    sentences the same way, those in no other report first, then by how few reports hold them. If two
    reports share at least `min_shared_share` of their characters, the first shared sentence in that order
    lies within the first `1 - min_shared_share` of each one's characters (the sentences before it are
    not shared). Pairing only these prefixes keeps a corpus of like reports, which share many sentences
    pairwise, from pairing every report with every other."""
    room = 1 - _rules()["min_shared_share"]
    prefixes = (
        shared.lazy()
        .join(totals.lazy(), on="position")
        .sort("position", pl.col("n_reports"), "sentence_hash")
        .with_columns(before=pl.col("unique") + pl.col("chars").cum_sum().over("position") - pl.col("chars"))
        # A small margin: a float rounding can only admit one more candidate, never lose a pair.
        .filter(pl.col("before") <= room * pl.col("total") + 1e-6)
        .select("position", "sentence_hash")
    )
    return (
        prefixes.join(prefixes, on="sentence_hash", suffix="_other")
        .filter(pl.col("position_other") < pl.col("position"))
        .select("position", "position_other")
        .unique()
    )


def _root(doc: int, first_of: dict[int, int]) -> int:
    seen = {doc}
    while (doc := first_of[doc]) in first_of and doc not in seen:
        seen.add(doc)
    return doc
