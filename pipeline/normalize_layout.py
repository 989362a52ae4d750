"""The page's layout, line by line: what normalization reads before it tidies each report.

A scraped page is lines: teasers previewing the report, site boilerplate around it, sentences the layout
broke across lines, and in a compilation the boundaries between reports (a site's "篇N" headers, indented
first lines, numbered titles). These steps work on those lines and their layout facts (indentation, a
teaser just removed), which the per-report tidying in `pipeline.normalize` then erases.
"""

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipeline import segment

_DATA = Path(__file__).parent / "data"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")
SPACE = " \t\u3000\xa0"


@dataclass(frozen=True)
class Line:
    text: str
    indented: bool = False  # began with whitespace in the raw file
    after_teaser: bool = False  # followed a teaser line that was removed
    events: tuple[str, ...] = ()  # rules that fired on this line or on dropped lines just before it


def drop_teasers(lines: list[Line]) -> list[Line]:
    """A teaser ("first words of the report..."), listed above the report it repeats, adds nothing.

    It may also run over the page's title and intro into the first report, worded a little differently:
    a line cut off by "..." whose first and last words both recur below is such a preview too.
    """
    out: list[Line] = []
    teaser_next = False
    for i, line in enumerate(lines):
        body = re.sub(r"(\.{3,}|…+)$", "", line.text)
        if body != line.text and len(_key(body)) >= 10:
            following = _key("".join(x.text for x in lines[i + 1 : i + 1 + 40]))
            key, t = _key(body), cfg()["teaser"]
            if (
                following.startswith(key)
                or (
                    len(key) >= t["head"] + t["tail"]
                    and key[: t["head"]] in following
                    and key[-t["tail"] :] in following
                )
                or _excerpts_recur(body, following)
            ):
                teaser_next = True
                continue
        if teaser_next and line.text:
            line = Line(line.text, line.indented, True, ("teaser",))
            teaser_next = False
        out.append(line)
    return out


def _excerpts_recur(body: str, following: str) -> bool:
    """A labelled preview of excerpts (导读：…开头……中间一句……): every excerpt between its ellipses recurs below."""
    t = cfg()["teaser"]
    label = re.match(f"(?:{'|'.join(t['labels'])})[:：]", body)
    if label is None:
        return False
    pieces = [_key(p) for p in re.split(r"\.{3,}|…+", body[label.end() :])]
    pieces = [p for p in pieces if p]
    return bool(pieces) and all(len(p) >= t["head"] and p in following for p in pieces)


def _key(text: str) -> str:
    """Letters, digits and hanzi only: what two copies of a passage share despite spacing and markup."""
    return re.sub(r"[\W_]", "", text)


def strip_boilerplate(lines: list[Line]) -> tuple[list[Line], str | None, str | None]:
    """The lines without the site's boilerplate, and the first publisher and publication date (2024-07-16)
    a dropped header line names: the page's, kept aside for the region and for a news item's year."""
    out: list[Line] = []
    pending: list[str] = []
    publisher = published = None
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
            if published is None and (dated := _published_re().search(text)):
                published = dated["published"]
            continue
        for r in _boilerplate() if _boilerplate_screen(inline=True).search(text) else ():
            if r["scope"] == "inline":
                text, n = r["re"].subn("", text)
                pending += [f"boilerplate:{r['name']}"] * n
        text = text.strip(SPACE)
        if not text:
            if not line.text:
                out.append(line)  # a blank line still separates paragraphs
            continue
        out.append(Line(text, line.indented, line.after_teaser, line.events + tuple(pending)))
        pending = []
    return _absorb(out, pending), publisher, published


def _absorb(lines: list[Line], pending: list[str]) -> list[Line]:
    """Events of dropped trailing lines belong to the last line with text."""
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].text), None)
    if pending and last is not None:
        x = lines[last]
        lines[last] = Line(x.text, x.indented, x.after_teaser, x.events + tuple(pending))
    return lines


def join_broken_lines(lines: list[Line]) -> list[Line]:
    """Rejoin a sentence the page layout cut in two, dropping a page number pasted into the cut."""
    lay = cfg()["layout"]
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        starts_report = line.indented or line.after_teaser
        if prev is not None and _cuts_figure(prev.text, line.text):
            out[-1] = Line(
                prev.text + line.text, prev.indented, prev.after_teaser, (*prev.events, "join_figure", *line.events)
            )
            continue
        if prev is not None and line.text and not starts_report and _splits_word(prev.text, line.text):
            out[-1] = Line(prev.text + line.text, prev.indented, prev.after_teaser, (*prev.events, "join_word"))
            continue
        if prev is not None and _is_broken(prev.text) and line.text and not starts_report:
            paged = re.match(r"\d{1,2}、", line.text)
            # an item's heading may end open ("四、组织开展创新大赛，营造创新氛围"); one holding a sentence
            # ("（二）项目争取。全年争取项目11项，获得资金") is running text
            heading = list_marker_re().match(prev.text) and "。" not in prev.text
            min_len = lay["min_broken_item" if heading else "min_broken_line"]
            if paged and len(prev.text) >= lay["min_paged_line"]:
                rest = line.text[paged.end() :]
            elif _figure_tail_re().match(line.text) or (
                not list_marker_re().match(line.text) and len(prev.text) >= min_len
            ):  # running text broken right before a figure ("总数达到" / "20家以上") runs on, however short
                rest = line.text
            else:
                out.append(line)
                continue
            out[-1] = Line(
                prev.text + rest, prev.indented, prev.after_teaser, (*prev.events, "join_lines", *line.events)
            )
            continue
        out.append(line)
    return out


def _splits_word(before: str, after: str) -> bool:
    """The break falls inside a dictionary word ("高新技术企" / "业300家"): no layout breaks a word."""
    width = cfg()["layout"]["word_window"]
    left, right = before[-width:], after[:width]
    if not (left and right and HAN_RE.match(left[-1]) and HAN_RE.match(right[0])):
        return False
    cut = len(left)
    return any(a < cut < b for _w, a, b in segment.stock_tokenizer().tokenize(left + right, HMM=False))


def _cuts_figure(before: str, after: str) -> bool:
    """The break falls inside a number ("授权3" / "816件"): digits run on and end in a unit."""
    return re.search(r"[^\d\s.,]\d+$", before) is not None and _figure_tail_re().match(after) is not None


def _is_broken(text: str) -> bool:
    """Ends mid-clause although it holds clause punctuation, i.e. is running text, not a heading."""
    ends_open = bool(text) and text[-1] not in cfg()["layout"]["clause_end"]
    return ends_open and re.search("[，、,]", text) is not None


def split(lines: list[Line]) -> list[list[Line]]:
    sp = cfg()["split"]
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
    segments: list[list[Line]] = []
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
            return (m.group("rest") or "").strip(SPACE)
    return None


def _split_at_headers(lines: list[Line], headers: list[str | None]) -> list[list[Line]]:
    """Each header starts a report. What it says besides its marker is the report's title line, unless the
    next line is a title of its own, or several headers say it: then it merely repeats the page's topic
    ("科技局上半年工作总结 篇1", "篇2" …), and a report of another period or by a school must not inherit it."""
    shared = {rest for rest, n in Counter(h for h in headers if h).items() if n >= 2}
    segments: list[list[Line]] = [[]]
    pending: tuple[str, ...] = ()
    for i, (x, rest) in enumerate(zip(lines, headers, strict=True)):
        if rest is None:
            segments[-1].append(Line(x.text, x.indented, x.after_teaser, pending + x.events))
            pending = ()
            continue
        segments.append([])
        following = lines[i + 1].text if i + 1 < len(lines) else ""
        pending = (*x.events, "split_header")
        if rest and rest not in shared and not (is_title(following) and not list_marker_re().match(following)):
            segments[-1].append(Line(rest, x.indented, x.after_teaser, pending))
            pending = ()
    return [seg for seg in segments if seg]


def unit_table_cells(text: str) -> tuple[str, int]:
    """A table flattened into lines of cells (指标 | 2020年 | 2021年 | 增长(%) / 专利授权量(件) | 1011 | 1265 |
    25.1): the unit its row's label holds is written after the cell of the latest year, so that cell reads as
    the figure of the report's year (1265件) and the other cells stay bare numbers."""
    t = cfg()["table"]
    sep = re.compile(t["separator"])
    lines = text.split("\n")
    year_col = None
    n = 0
    for i, line in enumerate(lines):
        cells = sep.split(line)
        years = [j for j, c in enumerate(cells) if re.fullmatch(t["year_cell"], c.strip())]
        if len(years) >= 2:
            year_col, width = max(years, key=lambda j: cells[j].strip()), len(cells)
            continue
        if year_col is None or len(cells) != width:
            year_col = None
            continue
        unit = re.search(t["label_unit"], cells[0])
        if unit and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", cells[year_col]):
            cells[year_col] = cells[year_col].rstrip() + unit["unit"] + (" " if cells[year_col].endswith(" ") else "")
            lines[i] = "|".join(cells)
            n += 1
    return "\n".join(lines), n


def is_title(line: str) -> bool:
    lay = cfg()["layout"]
    return (
        0 < len(line) <= lay["max_title"]
        and not re.search("[，。；！？：,;:!?]", line)
        and any(w in line for w in lay["title_words"])
    )


@cache
def cfg() -> dict[str, Any]:
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
def _published_re() -> re.Pattern[str]:
    return re.compile(cfg()["page"]["published"])


@cache
def list_marker_re() -> re.Pattern[str]:
    return re.compile(cfg()["layout"]["list_marker"])


@cache
def _figure_tail_re() -> re.Pattern[str]:
    units = "|".join(sorted(map(re.escape, cfg()["layout"]["figure_units"]), key=len, reverse=True))
    return re.compile(f"\\d+(?:[.,]\\d+)*(?:{units})")


@cache
def _header_res() -> tuple[re.Pattern[str], ...]:
    sp = cfg()["split"]
    marker = sp["header_marker"].replace("N", sp["header_number"])
    words = "(?:" + "|".join(sorted(map(re.escape, cfg()["layout"]["title_words"]), key=len, reverse=True)) + ")"
    return tuple(re.compile(p.replace("MARK", marker).replace("TITLE", words)) for p in sp["header_patterns"])


@cache
def _numbered_title_re() -> re.Pattern[str]:
    words = "|".join(sorted(map(re.escape, cfg()["layout"]["title_words"]), key=len, reverse=True))
    return re.compile(f"^[^，。；：,;:]{{2,{cfg()['layout']['max_title']}}}?(?:{words})\\d{{1,2}}$")
