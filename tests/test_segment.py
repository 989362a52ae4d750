"""Sentence/group/clause spans and domain term counts."""

import jieba

from pipeline import segment


def texts(text, spans):
    return [text[s:e] for s, e in spans]


def test_sentences_end_at_punctuation_lines_and_enumerators():
    text = "一、主要工作 1.新增高企5家。申报专利20件\n二、下一步打算 2.举办培训3期"
    got = [t.strip() for t in texts(text, segment.sentences(text))]
    assert got == ["一、主要工作", "1.新增高企5家", "申报专利20件", "二、下一步打算", "2.举办培训3期"]


def test_decimal_is_not_an_enumerator():
    text = "研发投入 1.51亿元"
    assert texts(text, segment.sentences(text)) == [text]


def test_groups_and_clauses():
    text = "拟申报高企8家，新增专利12件；培训1,200人次、举办培训3期"
    groups = segment.groups(text, 0, len(text))
    assert texts(text, groups) == ["拟申报高企8家，新增专利12件", "培训1,200人次、举办培训3期"]
    clauses = segment.clauses(text, *groups[1])
    assert texts(text, clauses) == ["培训1,200人次、举办培训3期"]  # the thousands comma does not split
    items = segment.clauses(text, *groups[1], split_enumeration=True)
    assert texts(text, items) == ["培训1,200人次", "举办培训3期"]


def test_term_counts_use_whole_tokens():
    counts = segment.term_counts("全县新增高新技术企业5家，高企总数30家；申请发明专利12件，开展科技培训3期。")
    assert counts["高新技术企业"] == 1
    assert counts["高企"] == 1
    assert counts["发明专利"] == 1
    assert "专利" not in counts  # 发明专利 is one token
    assert "瞪羚企业" not in counts


def test_domain_tokenizer_is_a_fresh_dictionary_plus_the_domain_words():
    """Built on a copy of the stock word table: the same table as loading jieba's dictionary again and
    adding the domain words, while the stock tokenizer that normalize and regions judge boundaries with
    keeps none of them."""
    fresh = jieba.Tokenizer()
    fresh.initialize()
    stock, domain = segment.stock_tokenizer(), segment.tokenizer()
    assert stock.FREQ == fresh.FREQ and stock.total == fresh.total
    lines = [line.split() for line in segment.USER_DICT.read_text(encoding="utf-8").splitlines()]
    for word, freq, *tag in filter(None, lines):
        fresh.add_word(word, int(freq), *tag)
    assert domain.FREQ == fresh.FREQ and domain.total == fresh.total
    assert domain.FREQ != stock.FREQ and domain.total > stock.total


def test_clause_around_is_the_text_between_the_nearest_delimiters() -> None:
    """Every start/end pair of a text (with delimiters at both ends, side by side, and absent ones) gives what
    the nearest delimiter before `start` and the first one at or after `end` enclose."""
    delimiters = "，。；！？\n,;!?"
    text = "，2023年，全县高企30家；。新增专利12件\n培训3期，学员200人次。"

    def reference(start: int, end: int) -> str:
        left = max((text.rfind(c, 0, start) for c in delimiters), default=-1)
        rights = [i for i in (text.find(c, end) for c in delimiters) if i >= 0]
        return text[left + 1 : min(rights) if rights else len(text)]

    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert segment.clause_around(text, start, end, delimiters) == reference(start, end), (start, end)
    assert segment.clause_around("没有标点的句子", 2, 3, delimiters) == "没有标点的句子"


def test_block_tokens_are_what_jieba_cut_gives() -> None:
    """The route walked by hand equals jieba's own cut without HMM, ASCII runs and domain words included."""
    tok = segment.tokenizer()
    text = (
        "全县新增高新技术企业5家，高企总数30家；申请发明专利12件。R&D投入2.5亿元，A类B级企业3家，"
        "科技型中小企业入库AB12CD家，开展科技培训3期，培训1200人次，GDP增长6.5%。苏科贷ab支持"
    )
    blocks = jieba.re_han_default.findall(text)
    assert len(blocks) > 5
    for block in blocks:
        assert list(segment.block_tokens(tok, block)) == list(tok.cut(block, HMM=False)), block
