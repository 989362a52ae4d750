"""Reposts under other boilerplate, exact copies and look-alike reports of other periods."""

import random

import polars as pl

from pipeline import duplicates
from pipeline.duplicates import find_duplicates

BODY = (
    "一季度，县科技局围绕茶产业发展组织企业申报省级科技计划项目6项，争取资金85万元。"
    "举办茶园管护技术培训班4期，培训茶农320人次。"
    "新增国家高新技术企业培育入库企业3家，指导2家企业建立研发辅助账。"
    "一季度全县申请专利41件，其中发明专利9件。"
    "组织科技特派员深入12个乡镇开展春耕生产技术服务，发放技术资料1500余份。"
    "兑现上年度科技创新奖补资金46万元，惠及企业17家。"
    "配合县委组织部做好科技副县长挂职服务工作，协调解决企业技术难题5个。"
)
OTHER_PERIOD = (
    "上半年，县科技局围绕茶产业发展组织企业申报省级科技计划项目11项，争取资金190万元。"
    "举办茶园管护技术培训班9期，培训茶农780人次。"
    "新增国家高新技术企业培育入库企业5家，指导4家企业建立研发辅助账。"
    "上半年全县申请专利96件，其中发明专利20件。"
    "组织科技特派员深入15个乡镇开展夏季田间管理技术服务，发放技术资料2600余份。"
    "兑现上年度科技创新奖补资金46万元，惠及企业17家。"
    "配合县委组织部做好科技副县长挂职服务工作，协调解决企业技术难题9个。"
)


def frame(texts: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "source_file": [f"f{i:03}.txt" for i in range(len(texts))],
            "segment_no": [0] * len(texts),
            "document_id": [f"d{i}" for i in range(len(texts))],
            "text_hash": [str(hash("".join(c for c in t if c.isalnum()))) for t in texts],
            "sentences": duplicates.sentence_hashes(texts),
        },
        schema_overrides={"sentences": pl.List(duplicates.SENTENCE_STRUCT)},
    )


def duplicate_of(texts: list[str]) -> list[str | None]:
    return find_duplicates(frame(texts))["duplicate_of"].to_list()


def test_a_repost_under_other_boilerplate_is_a_duplicate_of_the_first_copy() -> None:
    repost = "某县科技局一季度工作总结_范文网\n导语：本文由网友上传，仅供参考。\n" + BODY + "\n扫一扫分享到朋友圈"
    assert duplicate_of(["某县科技局一季度工作总结\n" + BODY, repost]) == [None, "d0"]


def test_another_period_of_the_same_bureau_is_not_a_duplicate() -> None:
    assert duplicate_of([BODY, OTHER_PERIOD]) == [None, None]


def test_a_copy_of_a_copy_points_at_the_first_copy() -> None:
    assert duplicate_of([BODY, BODY + "\n责任编辑：张三", BODY + "\n责任编辑：张三"]) == [None, "d0", "d0"]


def test_a_reports_sentence_hashes_do_not_depend_on_its_batch() -> None:
    """They are computed where files are normalized, a batch at a time, and compared across the corpus."""
    repost = "某县科技局一季度工作总结_范文网\n导语：本文由网友上传，仅供参考。\n" + BODY
    alone = duplicates.sentence_hashes([repost])[0]
    assert alone and duplicates.sentence_hashes([OTHER_PERIOD, repost, BODY])[1] == alone
    assert duplicate_of([BODY, OTHER_PERIOD, repost, BODY]) == [None, None, "d0", "d0"]


def test_template_sentences_shared_by_many_reports_prove_nothing() -> None:
    template = "现将本季度科技工作开展情况和下一步工作打算总结报告如下。"
    reports = [template + f"本季度争取资金{i}万元，培训农民{i * 7}人次，走访企业{i + 3}家。" for i in range(60)]
    assert set(duplicate_of(reports)) == {None}


def brute_force(reports: pl.DataFrame) -> list[str | None]:
    """The rule of data/duplicates.toml, pair by pair, without any pruning: the reference for find_duplicates."""
    rules = duplicates._rules()
    rows = reports.sort("source_file", "segment_no").to_dicts()
    holders: dict[int, int] = {}
    for row in rows:
        for sentence in row["sentences"]:
            holders[sentence["hash"]] = holders.get(sentence["hash"], 0) + 1
    kept = [
        {s["hash"]: s["chars"] for s in row["sentences"] if holders[s["hash"]] <= rules["max_sentence_reports"]}
        for row in rows
    ]
    first_of: dict[int, int] = {}
    for i, row in enumerate(rows):
        exact = next((j for j in range(i) if rows[j]["text_hash"] == row["text_hash"]), None)
        near = next(
            (
                j
                for j in range(i)
                if sum(n for h, n in kept[i].items() if h in kept[j] and holders[h] > 1)
                >= rules["min_shared_share"] * max(sum(kept[i].values()), sum(kept[j].values()))
                and kept[i]
            ),
            None,
        )
        if (first := exact if exact is not None else near) is not None:
            first_of[i] = first
    ids = [row["document_id"] for row in rows]
    by_id = dict.fromkeys(ids)
    for i in first_of:
        by_id[ids[i]] = ids[duplicates._root(i, first_of)]
    return [by_id[d] for d in reports["document_id"]]


def test_pairing_only_prefixes_finds_every_copy_the_rule_defines() -> None:
    """Sentences drawn from a small pool, so that reports overlap by every share around the threshold; some
    reports are exact copies, some lose or gain a sentence, one pool sentence is in most reports."""
    rng = random.Random(11)
    pool = [f"第{k}项工作：县科技局组织开展专项服务活动，涉及企业{k * 3}家，资金{k * 7}万元。" for k in range(40)]
    texts: list[str] = []
    for _ in range(120):
        if texts and rng.random() < 0.4:
            base = rng.choice(texts).split("。")[:-1]
            kept = [s for s in base if rng.random() > 0.1] + ([rng.choice(pool)[:-1]] if rng.random() < 0.3 else [])
            texts.append("。".join(kept) + "。")
        else:
            texts.append("".join(rng.sample(pool, rng.randint(3, 9))) + pool[0])
    reports = frame(texts).sample(fraction=1.0, shuffle=True, seed=5)
    assert any(brute_force(reports)), "the draw should hold copies"
    assert find_duplicates(reports)["duplicate_of"].to_list() == brute_force(reports)
