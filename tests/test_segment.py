"""Sentence/group/clause spans and domain term counts."""

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
