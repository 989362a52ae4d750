"""Content-addressed memo of per-item stage results, so work per run grows with what changed.

Every stage of the text pipeline is a pure function of one item's content (a raw file's bytes,
a report's text) and of the pipeline's own code and data files. Its results are kept in one
Parquet file per stage, keyed by the content hash and named after the pipeline version, so:
a new or changed file is the only one computed; a deleted file's results simply stop being
selected; any change to the code or the rules gives a new version and recomputes everything.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import polars as pl

PACKAGE_DIR = Path(__file__).resolve().parent


# The modules whose code decides the stages' results, and the libraries whose behaviour does.
STAGE_MODULES = (
    "ingest", "normalize", "gazetteer", "regions", "periods", "doc_kind", "segment", "numbers", "extract",
    "extract_text", "extract_money", "extract_counts", "extract_parts", "tables",
)  # fmt: skip
STAGE_LIBRARIES = ("jieba", "opencc-python-reimplemented", "cn2an", "polars")


@cache
def pipeline_version() -> str:
    """Hash of the stage modules, their data files and library versions: other results are not reused."""
    digest = hashlib.sha256()
    files = [PACKAGE_DIR / f"{name}.py" for name in STAGE_MODULES] + sorted((PACKAGE_DIR / "data").rglob("*"))
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    for library in STAGE_LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class MemoStats:
    reused: int
    computed: int
    dropped: int


def memo_keys(stage: str, cache_dir: Path | None, key: str = "key") -> frozenset[str]:
    """The items the stage's memo holds for this pipeline version (only the key column is read)."""
    path = cache_dir / f"{stage}-{pipeline_version()}.parquet" if cache_dir else None
    if path is None or not path.exists():
        return frozenset()
    return frozenset(pl.read_parquet(path, columns=[key])[key].to_list())


def memoized(
    stage: str,
    keys: Iterable[str],
    compute: Callable[[list[str]], pl.DataFrame],
    cache_dir: Path | None,
    key: str = "key",
) -> tuple[pl.DataFrame, MemoStats]:
    """Rows for `keys`, computing only the keys the stage's memo does not hold.

    `compute` must return exactly one row per key it is given (results that are lists go in a
    list column), so that an item with no result is remembered as such.
    """
    wanted = list(dict.fromkeys(keys))
    path = cache_dir / f"{stage}-{pipeline_version()}.parquet" if cache_dir else None
    previous = pl.read_parquet(path) if path and path.exists() else None
    if previous is not None:
        kept = previous.filter(pl.col(key).is_in(wanted))
        missing = sorted(set(wanted) - set(kept[key].to_list()))
    else:
        kept, missing = None, wanted
    fresh = compute(missing) if missing else None
    if fresh is not None and sorted(fresh[key].to_list()) != sorted(missing):
        raise ValueError(f"stage {stage!r}: compute() must return one row per key")
    parts = [frame for frame in (kept, fresh) if frame is not None]
    result = pl.concat(parts, how="vertical") if parts else compute([])
    dropped = previous.height - kept.height if previous is not None and kept is not None else 0
    if path and (missing or dropped):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # two processes never share a temporary file
        result.write_parquet(tmp)
        os.replace(tmp, path)
        for stale in path.parent.glob(f"{stage}-*.parquet"):
            if stale != path:  # results of other code versions can never be reused
                stale.unlink(missing_ok=True)
    stats = MemoStats(reused=0 if kept is None else kept.height, computed=len(missing), dropped=dropped)
    return result, stats
