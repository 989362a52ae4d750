"""Read raw files and decode their bytes to text, whatever the encoding.

Decoding order: byte-order mark (UTF-8/UTF-16/UTF-32), then NUL-byte check (binary), then strict UTF-8,
then every legacy Chinese codec that decodes the bytes strictly, ranked by how plausible the resulting
text is as Chinese (share of characters that are in the 3,755 most common hanzi, GB2312 level 1, after
folding traditional to simplified).

Why no detector library: on short Chinese snippets written for this purpose (10 phrases of 4-12 characters,
each encoded as GB18030, Big5, and traditional-in-GB18030) charset-normalizer 3.5 named the right codec in
13 of 30 cases (cp949 / utf_16_be / big5hkscs guesses), chardet 7.7 in 27 of 30 (koi8-r, cp864, euc_jis
guesses); both were right on every text longer than 30 characters. Big5 bytes nearly always *decode*
as GBK too, so whatever a detector says the text must still be checked; the plausibility ranking alone
picks the right codec on all 30 snippets, so neither library is needed, and the set of candidates stays
the three codecs these reports actually come in.
"""

import hashlib
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Container, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import opencc

from pipeline import listing

# Legacy codecs tried after UTF-8, with the canonical name reported. GB18030 is a superset of GBK and
# GB2312; cp950 is Microsoft's Big5 with the extensions common in Taiwanese files; Big5-HKSCS also has the
# tone-marked vowels of pinyin glosses (總結(jié)), which plain Big5 lacks.
_LEGACY = (("gb18030", "gb18030"), ("big5", "big5"), ("cp950", "big5"), ("big5hkscs", "big5-hkscs"))
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "utf-32"),
    (b"\xff\xfe", "utf-16", "utf-16"),
    (b"\xfe\xff", "utf-16", "utf-16"),
)
# Below this share of common characters a decoding is garbage (mis-decoded bytes score ~0.2-0.4,
# real text 0.9+).
_MIN_PLAUSIBLE = 0.6
# Control characters other than tab/newline/carriage return/form feed betray binary content.
_MAX_CONTROL_SHARE = 0.01
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # category Cc but tab, line ends and form feed
_WIDE_RE = re.compile(r"[^\x00-\u024f\s]")
# A download cut off mid-character, or a few flipped bytes, leaves a handful of undecodable sequences in
# otherwise good text; text in the wrong codec leaves one on nearly every character. Up to this many
# (and this share of the characters) the text is decoded with U+FFFD in their place, which normalization
# flags in damaged_spans, instead of losing the whole file.
_MAX_DAMAGED = 8
_MAX_DAMAGED_SHARE = 0.005


@dataclass(frozen=True, slots=True)
class RawFile:
    # The path relative to the raw folder as shown (see `display_name`); `path` is its bytes on disk.
    source_file: str
    # None when the file could not be read.
    content_hash: str | None
    size_bytes: int
    # Size, modification and change times and inode: equal keys mean an unchanged file.
    stat_key: str
    # The later of the modification and change (metadata) times.
    changed_ns: int
    # Why the file could not be read (permissions, I/O error); None for a file that was read.
    read_error: str | None = None
    # The relative path's bytes as the file system has them (what the file is read by).
    path: bytes = b""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    # Byte sequences that did not decode (a truncated download) and were replaced by U+FFFD.
    damaged: int = 0


class RejectedInput(Exception):
    """A raw file that is not text we can read; `reason` says why, for the run log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def list_raw_files(
    root: Path, known: Mapping[str, tuple[str, str]] | None = None, reusable: Container[str] = frozenset()
) -> list[RawFile]:
    """Every regular file under `root`, sorted, with its SHA-256.

    `known` maps a source_file to the (stat key, content hash) of an earlier listing: a file whose
    stat key is unchanged and whose content hash is in `reusable` (the contents whose results are
    kept) is not read again, as git's index does; any other file is read and hashed. Callers should
    remember only files last modified a while before the listing (see `settled`), so that a write
    within the file system's timestamp granularity cannot go unnoticed. A file deleted while the
    folder is listed is left out; a file that cannot be read is listed with `read_error` set.
    """
    known = known or {}
    files = []
    for raw_rel, st in listing.regular_files(os.fsencode(root)):
        rel = display_name(raw_rel)
        key = listing.stat_key(st)
        changed_ns = max(st.st_mtime_ns, st.st_ctime_ns)
        remembered = known.get(rel)
        if remembered is not None and remembered[0] == key and remembered[1] in reusable:
            files.append(RawFile(rel, remembered[1], st.st_size, key, changed_ns, path=raw_rel))
            continue
        try:
            data = (root / os.fsdecode(raw_rel)).read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            reason = f"unreadable: {exc.strerror or exc}"
            files.append(RawFile(rel, None, st.st_size, key, changed_ns, reason, path=raw_rel))
            continue
        # Only the hash is kept: the bytes are read again where they are decoded (a worker process),
        # so a listing of any size holds no file contents.
        files.append(RawFile(rel, content_hash(data), len(data), key, changed_ns, path=raw_rel))
    return sorted(_unique_names(files), key=lambda f: f.source_file)


def display_name(path: bytes) -> str:
    """How a relative path is shown in `source_file`: its UTF-8 text; else its GB18030 reading where that
    is plausible Chinese (names from an archive made on Chinese Windows are GBK bytes); else the bytes
    that are not UTF-8 as escapes (\\xb1). Python's own str for such a name holds lone surrogates, which
    no Parquet file, DuckDB table or log line can take."""
    try:
        return path.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        name = path.decode("gb18030")
    except UnicodeDecodeError:
        name = None
    if name is not None and plausibility(name) >= _MIN_PLAUSIBLE:
        return name
    return path.decode("utf-8", "backslashreplace")


def _unique_names(files: list[RawFile]) -> list[RawFile]:
    """A name read as GB18030 can equal another file's UTF-8 name: such a file is shown with escapes."""
    seen = Counter(f.source_file for f in files)
    return [
        replace(f, source_file=f.path.decode("utf-8", "backslashreplace"))
        if seen[f.source_file] > 1 and f.source_file != f.path.decode("utf-8", "replace")
        else f
        for f in files
    ]


def content_hash(data: bytes) -> str:
    """The identity of a file's content: the unit of incremental work."""
    return hashlib.sha256(data).hexdigest()


def reread(root: Path, path: str | bytes, listed_hash: str) -> bytes | None:
    """The file's bytes (`path` relative to `root`, as bytes for a name that is not UTF-8) if it still
    holds the content listed as `listed_hash`; None if it changed or disappeared since, or can no
    longer be read."""
    try:
        data = (root / os.fsdecode(path)).read_bytes()
    except OSError:
        return None
    return data if content_hash(data) == listed_hash else None


def settled(file: RawFile, now_ns: int, margin_ns: int = 2_000_000_000) -> bool:
    """Last modified or changed more than `margin_ns` before `now_ns`: safe to remember by its stat key."""
    return file.changed_ns < now_ns - margin_ns


def decode_bytes(data: bytes) -> Decoded:
    if not data.strip():
        raise RejectedInput("empty file")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), name)
            except UnicodeDecodeError as e:
                if damaged := _decode_damaged(data, codec, name):
                    return damaged
                raise RejectedInput(f"undecodable: {name} byte-order mark, bad {name} ({e.reason})") from e
    if b"\x00" in data:
        raise RejectedInput("binary content (NUL bytes)")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        # Good UTF-8 with a cut-off tail is far likelier than a legacy codec that happens to decode it.
        if damaged := _decode_damaged(data, "utf-8", "utf-8"):
            return damaged
    scored = []
    for codec, name in _LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        scored.append((plausibility(text), name, text))
    if scored:
        score, name, text = max(scored, key=lambda s: s[0])  # max keeps the first of equals: gb18030
        if score >= _MIN_PLAUSIBLE:
            return _checked(text, name)
    damaged = [d for codec, name in _LEGACY if (d := _decode_damaged(data, codec, name))]
    if damaged:
        return max(damaged, key=lambda d: plausibility(d.text))
    if not scored:
        raise RejectedInput("undecodable: not UTF-8, GB18030 or Big5")
    raise RejectedInput(f"undecodable: best guess {name} gives {score:.0%} common characters")


def _decode_damaged(data: bytes, codec: str, name: str) -> Decoded | None:
    """The text with its few undecodable sequences replaced by U+FFFD, if they are few and the rest is
    plausible text in this codec; None otherwise."""
    text = data.decode(codec, errors="replace")
    damaged = text.count("\ufffd") - data.decode(codec, errors="ignore").count("\ufffd")
    if not 0 < damaged <= min(_MAX_DAMAGED, max(1, _MAX_DAMAGED_SHARE * len(text))):
        return None
    readable = text.replace("\ufffd", "")
    if not readable.strip() or plausibility(readable) < _MIN_PLAUSIBLE:
        return None
    return replace(_checked(text, name), damaged=damaged)


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters that are common hanzi (after folding to simplified) or punctuation.

    Mis-decoded bytes come out as rare hanzi, kana, Cyrillic, private-use or box-drawing characters.
    """
    wide = "".join(_WIDE_RE.findall(text))  # Latin (pinyin glosses) is neutral
    if not wide:
        return 1.0
    simplified = Counter(_t2s().convert(wide))  # judged per distinct character: reports repeat a few hundred
    good = sum(n for c, n in simplified.items() if c in _common_hanzi() or unicodedata.category(c).startswith("P"))
    return good / simplified.total()


def _checked(text: str, encoding: str) -> Decoded:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise RejectedInput("empty file")
    control = len(_CONTROL_RE.findall(text))
    if control / len(text) > _MAX_CONTROL_SHARE:
        raise RejectedInput(f"binary content ({control} control characters)")
    return Decoded(text, encoding)


@cache
def _common_hanzi() -> frozenset[str]:
    """GB2312 level 1: the 3,755 most frequent hanzi (rows 0xB0-0xD7)."""
    chars = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")
