"""Bureau reports versus other texts scraped beside them."""

from pipeline.doc_kind import classify_doc_kind


def test_bureau_speaking_of_itself():
    text = "上半年，我局认真贯彻县委县政府部署，县科技局组织企业申报项目12项，我局还开展了科普活动。"
    assert classify_doc_kind("科技局上半年工作总结", text) == "bureau_report"


def test_college_summary_is_other():
    text = "我院大学生科技创新工作取得新进展，我院学生在科技大赛中获奖3项，校科技局予以表彰。"
    assert classify_doc_kind("大学生科技创新工作总结", text) == "other"


def test_personal_summary_is_other():
    text = "本人于今年3月进入公司，负责科技项目申报，协助科技局完成材料报送。本人将继续努力。"
    assert classify_doc_kind("个人工作总结", text) == "other"
