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
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import opencc

from pipeline import segment

_DATA = Path(__file__).parent / "data"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{_HAN}]")
_SPACE = " \t\u3000\xa0"
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


@dataclass(frozen=True)
class _Line:
    text: str
    indented: bool = False  # began with whitespace in the raw file
    after_teaser: bool = False  # followed a teaser line that was removed
    events: tuple[str, ...] = ()  # rules that fired on this line or on dropped lines just before it


def normalize_document(text: str) -> list[Report]:
    """One decoded file -> its reports, in file order; [] when nothing but boilerplate is left."""
    rules: Counter[str] = Counter()
    text = _clean_chars(text)
    text = _count(rules, "pinyin_gloss", *_strip_glosses(text))
    was_traditional = _is_traditional(text)
    if was_traditional:
        text = _t2s().convert(text)
        rules["t2s"] += 1
    lines = [_Line(raw.strip(_SPACE), indented=raw[:1] in _SPACE) for raw in text.split("\n")]
    lines, publisher = _strip_boilerplate(_drop_teasers(lines))
    lines = _join_broken_lines(lines)
    segments = _split(lines)
    if len(segments) > 1:
        # A page title above a compilation ("XX工作总结（精选4篇）") is a segment of one title line: no report.
        kept = [seg for seg in segments if not (len(seg) == 1 and _is_title(seg[0].text))] or segments
        if len(kept) < len(segments):
            rules["drop_page_title"] += len(segments) - len(kept)
        segments = kept
        rules["split:compilation"] += 1
    reports = [_finish(no, seg, was_traditional, rules) for no, seg in enumerate(segments, 1)]
    return [replace(r, publisher=publisher) for r in reports] if publisher else reports


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


def _is_pinyin(syllable: str) -> bool:
    if not any(c in _cfg()["pinyin"]["tone_marks"] for c in syllable):
        return False
    return syllable.translate(_TONELESS) in _syllables()


@cache
def _syllables() -> frozenset[str]:
    p = _cfg()["pinyin"]
    return frozenset(i + f for i in ["", *p["initials"]] for f in p["finals"])


def _is_traditional(text: str) -> bool:
    # Counted per distinct character: a report repeats a few hundred characters thousands of times.
    hanzi = Counter(_HAN_RE.findall(text))
    if not hanzi:
        return False
    changed = sum(n for c, n in hanzi.items() if _t2s_char(c) != c)
    return changed / hanzi.total() >= _cfg()["script"]["traditional_share"]


def _drop_teasers(lines: list[_Line]) -> list[_Line]:
    """A teaser ("first words of the report..."), listed above the report it repeats, adds nothing.

    It may also run over the page's title and intro into the first report, worded a little differently:
    a line cut off by "..." whose first and last words both recur below is such a preview too.
    """
    out: list[_Line] = []
    teaser_next = False
    for i, line in enumerate(lines):
        body = re.sub(r"(\.{3,}|…+)$", "", line.text)
        if body != line.text and len(_key(body)) >= 10:
            following = _key("".join(x.text for x in lines[i + 1 : i + 1 + 40]))
            key, t = _key(body), _cfg()["teaser"]
            if following.startswith(key) or (
                len(key) >= t["head"] + t["tail"] and key[: t["head"]] in following and key[-t["tail"] :] in following
            ):
                teaser_next = True
                continue
        if teaser_next and line.text:
            line = _Line(line.text, line.indented, True, ("teaser",))
            teaser_next = False
        out.append(line)
    return out


def _key(text: str) -> str:
    """Letters, digits and hanzi only: what two copies of a passage share despite spacing and markup."""
    return re.sub(r"[\W_]", "", text)


def _strip_boilerplate(lines: list[_Line]) -> tuple[list[_Line], str | None]:
    """The lines without the site's boilerplate, and the first publisher a dropped header line names."""
    out: list[_Line] = []
    pending: list[str] = []
    publisher = None
    block_item: re.Pattern[str] | None = None
    for line in lines:
        text = line.text
        if block_item is not None:
            if block_item.search(text):
                continue
            block_item = None
        rule = None
        if _boilerplate_screen(inline=False).search(text):
            rule = next(r for r in _boilerplate() if r["scope"] != "inline" and r["re"].search(text))
        if rule is not None:
            pending.append(f"boilerplate:{rule['name']}")
            block_item = rule.get("item_re")
            if publisher is None and "publisher_re" in rule and (named := rule["publisher_re"].search(text)):
                publisher = named["publisher"]
            continue
        for r in _boilerplate() if _boilerplate_screen(inline=True).search(text) else ():
            if r["scope"] == "inline":
                text, n = r["re"].subn("", text)
                pending += [f"boilerplate:{r['name']}"] * n
        text = text.strip(_SPACE)
        if not text:
            if not line.text:
                out.append(line)  # a blank line still separates paragraphs
            continue
        out.append(_Line(text, line.indented, line.after_teaser, line.events + tuple(pending)))
        pending = []
    return _absorb(out, pending), publisher


def _absorb(lines: list[_Line], pending: list[str]) -> list[_Line]:
    """Events of dropped trailing lines belong to the last line with text."""
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].text), None)
    if pending and last is not None:
        x = lines[last]
        lines[last] = _Line(x.text, x.indented, x.after_teaser, x.events + tuple(pending))
    return lines


def _join_broken_lines(lines: list[_Line]) -> list[_Line]:
    """Rejoin a sentence the page layout cut in two, dropping a page number pasted into the cut."""
    lay = _cfg()["layout"]
    out: list[_Line] = []
    for line in lines:
        prev = out[-1] if out else None
        starts_report = line.indented or line.after_teaser
        if prev is not None and _cuts_figure(prev.text, line.text):
            out[-1] = _Line(
                prev.text + line.text, prev.indented, prev.after_teaser, (*prev.events, "join_figure", *line.events)
            )
            continue
        if prev is not None and line.text and not starts_report and _splits_word(prev.text, line.text):
            out[-1] = _Line(prev.text + line.text, prev.indented, prev.after_teaser, (*prev.events, "join_word"))
            continue
        if prev is not None and _is_broken(prev.text) and line.text and not starts_report:
            paged = re.match(r"\d{1,2}、", line.text)
            # an item's heading may end open ("四、组织开展创新大赛，营造创新氛围"); one holding a sentence
            # ("（二）项目争取。全年争取项目11项，获得资金") is running text
            heading = _list_marker_re().match(prev.text) and "。" not in prev.text
            min_len = lay["min_broken_item" if heading else "min_broken_line"]
            if paged and len(prev.text) >= lay["min_paged_line"]:
                rest = line.text[paged.end() :]
            elif _figure_tail_re().match(line.text) or (
                not _list_marker_re().match(line.text) and len(prev.text) >= min_len
            ):  # running text broken right before a figure ("总数达到" / "20家以上") runs on, however short
                rest = line.text
            else:
                out.append(line)
                continue
            out[-1] = _Line(
                prev.text + rest, prev.indented, prev.after_teaser, (*prev.events, "join_lines", *line.events)
            )
            continue
        out.append(line)
    return out


def _splits_word(before: str, after: str) -> bool:
    """The break falls inside a dictionary word ("高新技术企" / "业300家"): no layout breaks a word."""
    width = _cfg()["layout"]["word_window"]
    left, right = before[-width:], after[:width]
    if not (left and right and _HAN_RE.match(left[-1]) and _HAN_RE.match(right[0])):
        return False
    cut = len(left)
    return any(a < cut < b for _w, a, b in segment.stock_tokenizer().tokenize(left + right, HMM=False))


def _cuts_figure(before: str, after: str) -> bool:
    """The break falls inside a number ("授权3" / "816件"): digits run on and end in a unit."""
    return re.search(r"[^\d\s.,]\d+$", before) is not None and _figure_tail_re().match(after) is not None


def _is_broken(text: str) -> bool:
    """Ends mid-clause although it holds clause punctuation, i.e. is running text, not a heading."""
    ends_open = bool(text) and text[-1] not in _cfg()["layout"]["clause_end"]
    return ends_open and re.search("[，、,]", text) is not None


def _split(lines: list[_Line]) -> list[list[_Line]]:
    sp = _cfg()["split"]
    lines = [x for x in lines if x.text]
    headers = [_header_rest(x.text) for x in lines]
    if sum(h is not None for h in headers) >= sp["min_headers"]:
        return _split_at_headers(lines, headers)
    indented = sum(x.indented for x in lines)
    teasers = sum(x.after_teaser for x in lines)
    titles = sum(bool(_numbered_title_re().match(x.text)) for x in lines)
    use_indent = indented + teasers >= sp["min_indented_boundaries"] and indented <= sp["max_indented_share"] * len(
        lines
    )
    use_title = titles >= sp["min_numbered_titles"]
    use_teaser = teasers >= 2 or use_indent or use_title
    segments: list[list[_Line]] = []
    for x in lines:
        starts = (
            (x.indented and use_indent)
            or (x.after_teaser and use_teaser)
            or (use_title and _numbered_title_re().match(x.text) is not None)
        )
        if starts or not segments:
            segments.append([])
        segments[-1].append(x)
    return segments


def _header_rest(text: str) -> str | None:
    """What a compilation's header line ("季度工作总结 篇1", "【篇二】") says besides its marker; None if no header."""
    for pattern in _header_res():
        if m := pattern.match(text):
            return (m.group("rest") or "").strip(_SPACE)
    return None


def _split_at_headers(lines: list[_Line], headers: list[str | None]) -> list[list[_Line]]:
    """Each header starts a report. What it says besides its marker is the report's title line, unless the
    next line is a title of its own, or several headers say it: then it merely repeats the page's topic
    ("科技局上半年工作总结 篇1", "篇2" …), and a report of another period or by a school must not inherit it."""
    shared = {rest for rest, n in Counter(h for h in headers if h).items() if n >= 2}
    segments: list[list[_Line]] = [[]]
    pending: tuple[str, ...] = ()
    for i, (x, rest) in enumerate(zip(lines, headers, strict=True)):
        if rest is None:
            segments[-1].append(_Line(x.text, x.indented, x.after_teaser, pending + x.events))
            pending = ()
            continue
        segments.append([])
        following = lines[i + 1].text if i + 1 < len(lines) else ""
        pending = (*x.events, "split_header")
        if rest and rest not in shared and not (_is_title(following) and not _list_marker_re().match(following)):
            segments[-1].append(_Line(rest, x.indented, x.after_teaser, pending))
            pending = ()
    return [seg for seg in segments if seg]


# --- per-report steps ---------------------------------------------------------------------------------


def _finish(no: int, seg: list[_Line], was_traditional: bool, file_rules: Counter[str]) -> Report:
    rules = Counter(file_rules)
    rules.update(e for x in seg for e in x.events)
    text = "\n".join(x.text for x in seg)
    text = _count(rules, "para_break", *_break_paragraphs(text))
    text = _count(rules, "fullwidth", *_fullwidth(text))
    text = _count(rules, "punct", *_punctuation(text))
    text = _count(rules, "redaction", *_redact(text))
    text = _count(rules, "figure_space", *_figure_spaces(text))
    lines = [ln.strip(_SPACE) for ln in text.split("\n")]
    lines = _dedupe(lines, rules)
    text = "\n".join(ln for ln in lines if ln)
    return Report(no, _title(text), text, was_traditional, tuple(_rule_names(rules)), _damaged_spans(text))


def _break_paragraphs(text: str) -> tuple[str, int]:
    """Scraped pages often flatten paragraphs into one line separated by spaces; restore the breaks."""
    marker = _list_marker_re()
    clause_end = _cfg()["layout"]["clause_end"]
    n = 0

    def brk(m: re.Match[str]) -> str:
        nonlocal n
        s, i, j = m.string, m.start(), m.end()
        sentence_over = s[i - 1] in clause_end and not s[j].isascii()
        if sentence_over or marker.match(s, j) or _is_title(s[s.rfind("\n", 0, i) + 1 : i]):
            n += 1
            return "\n"
        return m.group(0)

    return re.sub(f"(?<=[^\\s{_SPACE}])[{_SPACE}]+(?=[^\\s])", brk, text), n


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
    text, q = re.subn(f"(?<=[{_cfg()['mojibake']['question_particles']}])\\?", "？", text)
    n += q
    text = re.sub(f"\\(([^()（）\\n]*[{_HAN}][^()（）\\n]*)\\)", paren, text)
    return text, n


def _redact(text: str) -> tuple[str, int]:
    r = _cfg()["redaction"]
    letters = re.escape(r["letters"])
    n = 0

    def canon(m: re.Match[str]) -> str:
        nonlocal n
        n += m.group(0) != "xx"
        return "xx"

    text = re.sub(f"(?<![A-Za-z])[{letters}]{{{r['min_letters']},}}(?![A-Za-z])", canon, text)
    text = re.sub(f"(?<![A-Za-z])[{re.escape(r['underscores'])}]+(?![A-Za-z])", canon, text)
    near = f"[{_HAN}0-9]"
    text = re.sub(f"(?<={near}){re.escape(r['lone_letter'])}(?={near})", canon, text)
    return text, n


def _figure_spaces(text: str) -> tuple[str, int]:
    """'4543 万元' -> '4543万元', '资金 12万元' -> '资金12万元': the space splits one figure from its unit."""
    text, a = re.subn(f"(?:(?<=\\d)|(?<=xx)|(?<=%))[{_SPACE}]+(?=[{_HAN}])", "", text)
    text, b = re.subn(f"(?<=[{_HAN}])[{_SPACE}]+(?=\\d+(?:\\.\\d+)?[%{_HAN}])", "", text)
    return text, a + b


def _dedupe(lines: list[str], rules: Counter[str]) -> list[str]:
    """Keep a repeated paragraph, or a repeated long sentence, once (sites paste blocks twice)."""
    min_len, min_paragraph = _cfg()["dedupe"]["min_sentence"], _cfg()["dedupe"]["min_paragraph"]
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
            body = s[m.end() :] if (m := _list_marker_re().match(s)) else s
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
    if not _is_title(first):
        return None
    return re.sub(r"^\d{1,2}[、.]", "", first)


def _is_title(line: str) -> bool:
    lay = _cfg()["layout"]
    return (
        0 < len(line) <= lay["max_title"]
        and not re.search("[，。；！？：,;:!?]", line)
        and any(w in line for w in lay["title_words"])
    )


def _damaged_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of mojibake: '?' between hanzi or U+FFFD, grown over the wordless characters around them."""
    mj = _cfg()["mojibake"]
    spans: list[tuple[int, int]] = []
    for m in re.finditer(f"\ufffd+|(?<=[{_HAN}])\\?+(?=[{_HAN}])", text):
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
    return token in ("?", "\ufffd") or (
        len(token) == 1 and token not in stop_chars and _HAN_RE.match(token) is not None
    )


# --- helpers ------------------------------------------------------------------------------------------


def _count(rules: Counter[str], name: str, text: str, n: int) -> str:
    if n:
        rules[name] += n
    return text


def _rule_names(rules: Counter[str]) -> list[str]:
    """'t2s' and 'split:compilation' are flags; the others carry how often they fired."""
    return [k if k in ("t2s", "split:compilation") else f"{k}:{v}" for k, v in rules.items()]


@cache
def _cfg() -> dict[str, Any]:
    with open(_DATA / "normalize.toml", "rb") as fh:
        return tomllib.load(fh)


@cache
def _boilerplate() -> tuple[dict[str, Any], ...]:
    with open(_DATA / "boilerplate.toml", "rb") as fh:
        rules = tomllib.load(fh)["rule"]
    return tuple(
        {
            **r,
            "re": re.compile(r["pattern"]),
            **({"item_re": re.compile(r["item"])} if "item" in r else {}),
            **({"publisher_re": re.compile(r["publisher"])} if "publisher" in r else {}),
        }
        for r in rules
    )


@cache
def _boilerplate_screen(*, inline: bool) -> re.Pattern[str]:
    """Every line (or inline) rule's pattern in one alternation: most lines match no rule, and one search
    says so where trying each rule took a fifth of normalization. A leading global flag such as (?i)
    becomes a scoped group."""
    patterns = [r["pattern"] for r in _boilerplate() if (r["scope"] == "inline") == inline]
    scoped = [re.sub(r"^\(\?([a-z]+)\)(.*)$", r"(?\1:\2)", p, flags=re.DOTALL) for p in patterns]
    return re.compile("|".join(f"(?:{p})" for p in scoped))


@cache
def _gloss_re() -> re.Pattern[str]:
    letters = "a-zêü" + _cfg()["pinyin"]["tone_marks"]
    return re.compile(f"(?<=[{_HAN}])[(（]([{letters}]{{1,7}})[)）]")


@cache
def _list_marker_re() -> re.Pattern[str]:
    return re.compile(_cfg()["layout"]["list_marker"])


@cache
def _figure_tail_re() -> re.Pattern[str]:
    units = "|".join(sorted(map(re.escape, _cfg()["layout"]["figure_units"]), key=len, reverse=True))
    return re.compile(f"\\d+(?:[.,]\\d+)*(?:{units})")


@cache
def _header_res() -> tuple[re.Pattern[str], ...]:
    sp = _cfg()["split"]
    marker = sp["header_marker"].replace("N", sp["header_number"])
    words = "(?:" + "|".join(sorted(map(re.escape, _cfg()["layout"]["title_words"]), key=len, reverse=True)) + ")"
    return tuple(re.compile(p.replace("MARK", marker).replace("TITLE", words)) for p in sp["header_patterns"])


@cache
def _numbered_title_re() -> re.Pattern[str]:
    words = "|".join(sorted(map(re.escape, _cfg()["layout"]["title_words"]), key=len, reverse=True))
    return re.compile(f"^[^，。；：,;:]{{2,{_cfg()['layout']['max_title']}}}?(?:{words})\\d{{1,2}}$")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def _t2s_char(c: str) -> str:
    return _t2s().convert(c)
