"""Turn one decoded raw file into clean simplified-Chinese reports for segmentation and extraction.

Order matters: pinyin glosses go first (they break OpenCC's phrase matching), then traditional -> simplified
(so boilerplate patterns are written once, in simplified), then teasers and boilerplate, then lines broken by
the page layout are rejoined, and only then is a compilation split, because its boundaries are layout facts
(indented lines, numbered titles, a site's "篇N" header lines) that later steps erase. Each report is then
tidied on its own: paragraph breaks, full-width figures, punctuation, redaction markers, figure spacing,
repeated sentences.
Every step records what it changed in `Report.rules`, so a surprising fact can be traced to its cause.
Mojibake is never repaired (the bytes are gone); it is flagged in `damaged_spans` for extraction to skip.
"""

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import opencc

from pipeline import segment
from pipeline.normalize_layout import (
    HAN,
    HAN_RE,
    SPACE,
    Line,
    cfg,
    drop_teasers,
    is_title,
    join_broken_lines,
    list_marker_re,
    split,
    strip_boilerplate,
    unit_table_cells,
)

_TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ", "aaaaeeeeiiiioooouuuuüüüü")
_FULLWIDTH_ALNUM = {
    c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(r[0], r[1] + 1)
}


@dataclass(frozen=True)
class Report:
    segment_no: int
    title: str | None
    text: str
    was_traditional: bool
    rules: tuple[str, ...]
    damaged_spans: tuple[tuple[int, int], ...]
    publisher: str | None = None  # the page's 来源 from a header line dropped as boilerplate, for the region
    published: str | None = None  # the page's publication date from such a line (2024-07-16), for a news year


def normalize_document(text: str) -> list[Report]:
    """One decoded file -> its reports, in file order; [] when nothing but boilerplate is left."""
    rules: Counter[str] = Counter()
    text = _clean_chars(text)
    text = _count(rules, "pinyin_gloss", *_strip_glosses(text))
    was_traditional = _is_traditional(text)
    if was_traditional:
        text = _t2s().convert(text)
        rules["t2s"] += 1
    text = _count(rules, "spinner", *_unspin(text))
    lines = [Line(raw.strip(SPACE), indented=raw[:1] in SPACE) for raw in text.split("\n")]
    lines, publisher, published = strip_boilerplate(drop_teasers(lines))
    lines = join_broken_lines(lines)
    segments = split(lines)
    if len(segments) > 1:
        # A page title above a compilation ("XX工作总结（精选4篇）") is a segment of one title line: no report.
        kept = [seg for seg in segments if not (len(seg) == 1 and is_title(seg[0].text))] or segments
        if len(kept) < len(segments):
            rules["drop_page_title"] += len(segments) - len(kept)
        segments = kept
        rules["split:compilation"] += 1
    return [_finish(no, seg, was_traditional, rules, publisher, published) for no, seg in enumerate(segments, 1)]


# --- whole-file steps ---------------------------------------------------------------------------------


def _clean_chars(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub("[\u200b-\u200d\u2060\ufeff]", "", text)


def _strip_glosses(text: str) -> tuple[str, int]:
    n = 0

    def drop(m: re.Match[str]) -> str:
        nonlocal n
        if _is_pinyin(m.group(1)):
            n += 1
            return ""
        return m.group(0)

    return _gloss_re().sub(drop, text), n


def _unspin(text: str) -> tuple[str, int]:
    """Put back the domain words a synonym spinner swapped (normalize.toml [spinner])."""
    n = 0
    for pattern, word in _spinner_pairs():
        text, k = pattern.subn(word, text)
        n += k
    return text, n


@cache
def _spinner_pairs() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), word) for pattern, word in cfg()["spinner"]["pairs"])


def _is_pinyin(gloss: str) -> bool:
    """Every syllable of the gloss is valid pinyin carrying its tone, as a mark (jié) or a digit (jie2)."""
    return all(_is_syllable(syllable) for syllable in gloss.split())


def _is_syllable(syllable: str) -> bool:
    if syllable[-1] in "12345":
        return syllable[:-1] in _syllables()
    if not any(c in cfg()["pinyin"]["tone_marks"] for c in syllable):
        return False
    return syllable.translate(_TONELESS) in _syllables()


@cache
def _syllables() -> frozenset[str]:
    p = cfg()["pinyin"]
    return frozenset(i + f for i in ["", *p["initials"]] for f in p["finals"])


def _is_traditional(text: str) -> bool:
    # Counted per distinct character: a report repeats a few hundred characters thousands of times.
    hanzi = Counter(HAN_RE.findall(text))
    if not hanzi:
        return False
    changed = sum(n for c, n in hanzi.items() if _t2s_char(c) != c)
    return changed / hanzi.total() >= cfg()["script"]["traditional_share"]


# --- per-report steps ---------------------------------------------------------------------------------


def _finish(
    no: int,
    seg: list[Line],
    was_traditional: bool,
    file_rules: Counter[str],
    publisher: str | None,
    published: str | None,
) -> Report:
    rules = Counter(file_rules)
    rules.update(e for x in seg for e in x.events)
    text = "\n".join(x.text for x in seg)
    text = _count(rules, "para_break", *_break_paragraphs(text))
    text = _count(rules, "fullwidth", *_fullwidth(text))
    text = _count(rules, "punct", *_punctuation(text))
    text = _count(rules, "redaction", *_redact(text))
    text = _count(rules, "figure_space", *_figure_spaces(text))
    text = _count(rules, "table_units", *unit_table_cells(text))
    lines = [ln.strip(SPACE) for ln in text.split("\n")]
    lines = _dedupe(lines, rules)
    text = "\n".join(ln for ln in lines if ln)
    spans = _damaged_spans(text)
    return Report(no, _title(text), text, was_traditional, tuple(_rule_names(rules)), spans, publisher, published)


def _break_paragraphs(text: str) -> tuple[str, int]:
    """Scraped pages often flatten paragraphs into one line separated by spaces; restore the breaks."""
    marker = list_marker_re()
    clause_end = cfg()["layout"]["clause_end"]
    n = 0

    def brk(m: re.Match[str]) -> str:
        nonlocal n
        s, i, j = m.string, m.start(), m.end()
        sentence_over = s[i - 1] in clause_end and not s[j].isascii()
        if sentence_over or marker.match(s, j) or is_title(s[s.rfind("\n", 0, i) + 1 : i]):
            n += 1
            return "\n"
        return m.group(0)

    return re.sub(f"(?<=[^\\s{SPACE}])[{SPACE}]+(?=[^\\s])", brk, text), n


def _fullwidth(text: str) -> tuple[str, int]:
    out = text.translate(_FULLWIDTH_ALNUM)
    out = re.sub(r"(?<=\d)．(?=\d)", ".", out)
    out = out.replace("％", "%")
    out = re.sub(r"(?<=\d)，(?=\d{3}(?!\d))", ",", out)
    if out == text:  # most texts: nothing to count
        return out, 0
    return out, sum(a != b for a, b in zip(text, out, strict=True))


def _punctuation(text: str) -> tuple[str, int]:
    """ASCII , ; : ! ? and () used as Chinese punctuation become full-width; ',' inside numbers stays.

    A '?' becomes '？' only after a question particle: elsewhere between hanzi it marks mojibake.
    """
    n = 0
    full = {",": "，", ";": "；", ":": "：", "!": "！"}

    def punct(m: re.Match[str]) -> str:
        nonlocal n
        s, i = m.string, m.start()
        before, after = s[i - 1 : i], s[i + 1 : i + 2]
        if before.isdigit() and after.isdigit():
            return m.group(0)
        if (before and not before.isascii()) or (after and not after.isascii()) or m.group(0) == ",":
            n += 1
            return full[m.group(0)]
        return m.group(0)

    def paren(m: re.Match[str]) -> str:
        nonlocal n
        n += 1
        return f"（{m.group(1)}）"

    text = re.sub("[,;:!]", punct, text)
    text, q = re.subn(f"(?<=[{cfg()['mojibake']['question_particles']}])\\?", "？", text)
    n += q
    text = re.sub(f"\\(([^()（）\\n]*[{HAN}][^()（）\\n]*)\\)", paren, text)
    return text, n


def _redact(text: str) -> tuple[str, int]:
    r = cfg()["redaction"]
    letters = re.escape(r["letters"])
    n = 0

    def canon(m: re.Match[str]) -> str:
        nonlocal n
        n += m.group(0) != "xx"
        return "xx"

    text = re.sub(f"(?<![A-Za-z])[{letters}]{{{r['min_letters']},}}(?![A-Za-z])", canon, text)
    text = re.sub(f"(?<![A-Za-z])[{re.escape(r['underscores'])}]+(?![A-Za-z])", canon, text)
    near = f"[{HAN}0-9]"
    text = re.sub(f"(?<={near}){re.escape(r['lone_letter'])}(?={near})", canon, text)
    text = re.sub(f"(?<![A-Za-z.．])[{re.escape(r['placeholders'])}]+{r['unit_after']}", canon, text)
    return text, n


def _figure_spaces(text: str) -> tuple[str, int]:
    """'4543 万元' -> '4543万元', '资金 12万元' -> '资金12万元': the space splits one figure from its unit."""
    text, a = re.subn(f"(?:(?<=\\d)|(?<=xx)|(?<=%))[{SPACE}]+(?=[{HAN}])", "", text)
    text, b = re.subn(f"(?<=[{HAN}])[{SPACE}]+(?=\\d+(?:\\.\\d+)?[%{HAN}])", "", text)
    return text, a + b


def _dedupe(lines: list[str], rules: Counter[str]) -> list[str]:
    """Keep a repeated paragraph, or a repeated long sentence, once (sites paste blocks twice)."""
    min_len, min_paragraph = cfg()["dedupe"]["min_sentence"], cfg()["dedupe"]["min_paragraph"]
    seen_lines: set[str] = set()
    kept: list[str] = []
    seen = ""
    for line in lines:
        if len(line) >= min_paragraph and line in seen_lines:
            rules["dedupe_paragraph"] += 1
            continue
        seen_lines.add(line)
        sentences = re.findall(r"[^。！？；]+[。！？；]*", line)
        out = []
        for s in sentences:
            body = s[m.end() :] if (m := list_marker_re().match(s)) else s
            if len(body) >= min_len and body in seen:
                rules["dedupe_sentence"] += 1
                continue
            out.append(s)
            seen += s
        seen += "\n"
        kept.append("".join(out))
    return kept


def _title(text: str) -> str | None:
    first = text.split("\n", 1)[0]
    if not is_title(first):
        return None
    return re.sub(r"^\d{1,2}[、.]", "", first)


def _damaged_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of mojibake: '?' between hanzi or U+FFFD, grown over the wordless characters around them."""
    mj = cfg()["mojibake"]
    spans: list[tuple[int, int]] = []
    for m in re.finditer(f"\ufffd+|(?<=[{HAN}])\\?+(?=[{HAN}])", text):
        lo = max(0, m.start() - mj["window"])
        window = text[lo : m.end() + mj["window"]]
        tokens = [(w, lo + a, lo + b) for w, a, b in segment.stock_tokenizer().tokenize(window, HMM=False)]
        start, end = m.start(), m.end()
        for w, a, b in reversed([t for t in tokens if t[2] <= m.start()]):
            if not _wordless(w, mj["stop_chars"]) or b != start:
                break
            start = a
        for w, a, b in [t for t in tokens if t[1] >= m.end()]:
            if not _wordless(w, mj["stop_chars"]) or a != end:
                break
            end = b
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return tuple(spans)


def _wordless(token: str, stop_chars: str) -> bool:
    return token in ("?", "\ufffd") or (len(token) == 1 and token not in stop_chars and HAN_RE.match(token) is not None)


# --- helpers ------------------------------------------------------------------------------------------


def _count(rules: Counter[str], name: str, text: str, n: int) -> str:
    if n:
        rules[name] += n
    return text


def _rule_names(rules: Counter[str]) -> list[str]:
    """'t2s' and 'split:compilation' are flags; the others carry how often they fired."""
    return [k if k in ("t2s", "split:compilation") else f"{k}:{v}" for k, v in rules.items()]


@cache
def _gloss_re() -> re.Pattern[str]:
    syllable = f"[a-zêü{cfg()['pinyin']['tone_marks']}]{{1,6}}[1-5]?"
    return re.compile(f"(?<=[{HAN}])[(（]({syllable}(?: {syllable}){{0,3}})[)）]")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def _t2s_char(c: str) -> str:
    return _t2s().convert(c)
