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


def test_province_department_reporting_its_own_work():
    text = "2021年，全省科技系统深入实施创新驱动发展战略，省科技厅办公室汇总各地数据。"
    assert classify_doc_kind("江西省科学技术厅2021年工作总结", text) == "bureau_report"


def test_commission_and_zone_bureaus_are_government_bodies():
    assert classify_doc_kind("某区科学技术委员会工作小结", "区科委聚焦企业培育，全区新增高企20家。") == "bureau_report"
    text = "在管委会领导下，科技局强化企业创新主体地位，园区新增高企12家。"
    assert classify_doc_kind("某高新区管委会科技创新局2022年工作总结", text) == "bureau_report"


def test_company_citing_the_provincial_department_is_other():
    text = "我公司积极对接省科技厅，本公司研发投入增长20%，我公司获评高新技术企业。"
    assert classify_doc_kind("某科技有限公司2022年工作总结", text) == "other"


def test_bureau_with_a_combined_remit_opening_the_body_is_a_bureau():
    text = "2022年上半年，南海区经济和科技促进局在区委的领导下，组织企业申报高企300家。"
    assert classify_doc_kind("2022年上半年科技工作总结", text) == "bureau_report"
    text = "2021年，某县科学技术和信息化局扎实推进科技创新，新增高企6家。"
    assert classify_doc_kind(None, text) == "bureau_report"
    text = "今年以来，某县工业和科技局紧扣产业发展，兑现奖补资金400万元。"
    assert classify_doc_kind(None, text) == "bureau_report"


def test_company_guided_by_a_bureau_in_its_opening_is_other():
    text = "2022年，在市科技局的指导下，研发中心围绕生产目标开展技术攻关，申请专利8项。"
    assert classify_doc_kind("技术研发中心2022年工作总结", text) == "other"
