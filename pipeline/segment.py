"""Split normalized report text into sentences, semicolon groups and clauses; count domain terms.

Extraction reads a figure in three nested scopes: the sentence (a topic word such as 专利 said once
covers 申请149件；授权99件), the semicolon group (a status marker such as 拟 or 预计 governs the figures
after it up to the next ；) and the clause (the figure's own trigger words). Scraped reports often
arrive as one long line, so enumerators (" 二、", "（三）", " 4.") also end a sentence.
"""

import logging
import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

import jieba

_DATA = Path(__file__).parent / "data"
USER_DICT = _DATA / "jieba_user_dict.txt"  # the domain words, in jieba's format: word [freq [tag]]

_SENTENCE_END = re.compile(
    r"[。！？!?\n]+"
    r"|(?<=\s)>?(?=[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d{1,2}[、.．](?!\d))"
)
_GROUP_END = re.compile(r"[；;]")
# ASCII ',' and ':' only separate clauses when they are not inside a number (1,200 / 10:30).
_ITEM_END = re.compile(r"[，：！？；;、]|,(?!\d{3})|:(?!\d)")
_CLAUSE_END = re.compile(_ITEM_END.pattern.replace("、", ""))


def _spans(pattern: re.Pattern, text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    spans, pos = [], start
    for m in pattern.finditer(text, start, end):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = max(pos, m.end())
    if pos < end:
        spans.append((pos, end))
    return tuple(spans)


@lru_cache(maxsize=64)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans: ended by 。！？, a line break or an enumerator that starts a new item."""
    return _spans(_SENTENCE_END, text, 0, len(text))


@lru_cache(maxsize=1024)
def groups(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Semicolon-delimited groups inside a sentence span."""
    return _spans(_GROUP_END, text, start, end)


@lru_cache(maxsize=1024)
def clauses(text: str, start: int, end: int, *, split_enumeration: bool = False) -> tuple[tuple[int, int], ...]:
    """Comma-delimited clauses inside a span; with split_enumeration, 、 separates too."""
    return _spans(_ITEM_END if split_enumeration else _CLAUSE_END, text, start, end)


@lru_cache(maxsize=64)
def _delimiter_positions(text: str, delimiters: str) -> tuple[int, ...]:
    return tuple(m.start() for m in re.finditer(f"[{re.escape(delimiters)}]", text))


def clause_around(text: str, start: int, end: int, delimiters: str) -> str:
    """The text between the last of `delimiters` before `start` and the first at or after `end`.

    Found by bisecting the delimiters' positions, listed once per text: looking each delimiter up with
    str.rfind/str.find scanned the whole text whenever one of them was absent, for every place or year
    mentioned (a 1.3-million-character page took 25 s in the region resolver alone)."""
    positions = _delimiter_positions(text, delimiters)
    i = bisect_left(positions, start)
    j = bisect_left(positions, end)
    return text[(positions[i - 1] + 1 if i else 0) : (positions[j] if j < len(positions) else len(text))]


@cache
def stock_tokenizer() -> jieba.Tokenizer:
    """jieba's stock dictionary, without the bureau's words: normalize and regions judge word boundaries
    with it (user words must not move where a broken line is joined). One per process: a jieba
    dictionary is some 100 MB of Python objects."""
    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer()


@cache
def tokenizer() -> jieba.Tokenizer:
    """A private jieba instance with the domain dictionary (the global one is left alone).

    It starts from a copy of the stock tokenizer's word table, which is what loading jieba's dictionary
    again would give: the copy shares the words' strings (15 MB and 0.01 s here, against 74 MB and 0.8 s
    for a second load in every worker process)."""
    stock = stock_tokenizer()
    stock.check_initialized()
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = dict(stock.FREQ), stock.total, True
    for line in USER_DICT.read_text(encoding="utf-8").splitlines():
        word, freq, tag = ([*line.split(), None, None])[:3]
        if word:
            tok.add_word(word, int(freq) if freq else None, tag)
    return tok


@cache
def domain_terms() -> tuple[str, ...]:
    lines = (_DATA / "domain_terms.txt").read_text(encoding="utf-8").splitlines()
    return tuple(t.strip() for t in lines if t.strip() and not t.startswith("#"))


@cache
def _any_term() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(domain_terms(), key=len, reverse=True))))


def term_counts(text: str) -> dict[str, int]:
    """How often each domain term occurs as a jieba token (so 高企 inside 高企业 is not counted).

    jieba cuts a text block by block (runs of hanzi and ASCII letters and digits, `jieba.re_han_default`),
    each on its own, so segmenting only the blocks that contain a term gives the tokens whole-text
    segmentation gives there: the same counts for a fraction of the work.
    """
    wanted, tok = set(domain_terms()), tokenizer()
    counts = dict.fromkeys(domain_terms(), 0)
    for block in jieba.re_han_default.findall(text):
        if _any_term().search(block):
            for token in block_tokens(tok, block):
                if token in wanted:
                    counts[token] += 1
    return {term: n for term, n in counts.items() if n}


def block_tokens(tok: jieba.Tokenizer, block: str) -> Iterator[str]:
    """The tokens `tok.cut(block, HMM=False)` yields for one block of `jieba.re_han_default`: the route of
    highest probability through the block's word graph, runs of single ASCII letters and digits joined.
    Walked here without cut's layers around it (splitting the block again, two generators): a fifth of the
    term counts' time."""
    route: dict[int, tuple[float, int]] = {}
    tok.calc(block, tok.get_DAG(block), route)
    x, n, ascii_run = 0, len(block), ""
    while x < n:
        y = route[x][1] + 1
        word = block[x:y]
        if len(word) == 1 and jieba.re_eng.match(word):
            ascii_run += word
        else:
            if ascii_run:
                yield ascii_run
                ascii_run = ""
            yield word
        x = y
    if ascii_run:
        yield ascii_run
