"""Bureau reports versus other texts scraped beside them."""

import pytest

from pipeline.doc_kind import classify_doc_kind, genre


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


# ---------------------------------------------------------------- bureau reports told in other voices


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (  # a merged bureau naming itself in its title only, never saying 我局
            "某县经信科技局2023年上半年工作情况",
            "上半年，围绕工业稳增长和科技创新两条主线，全县新增高新技术企业4家，"
            "组织申报科技项目11项，登记技术合同3项，推动产学研合作。",
        ),
        (
            None,
            "2022年，某县科技和工业信息化局坚持创新驱动，规上工业企业研发活动覆盖率提高，"
            "新认定高新技术企业7家，专利授权186件。",
        ),
        (  # a report to visiting deputies
            "关于全县科技创新工作情况的汇报",
            "尊敬的各位人大代表：\n欢迎各位代表莅临我局视察指导。下面，我就全县科技创新工作作简要汇报。"
            "今年以来，我局新增科技型中小企业23家，高新技术企业总数达到41家。",
        ),
        (  # a county intellectual property office
            "某县知识产权局2021年工作总结",
            "2021年，某县知识产权局以专利创造和保护为重点，全县专利申请量1203件，授权量688件，"
            "开展知识产权执法检查12次。",
        ),
        (  # a yearbook entry, third person
            "科学技术",
            "【概况】2020年，县科学技术局内设办公室、科技股2个股室。该局全年组织申报科技项目16项，"
            "争取上级资金420万元；新增高新技术企业5家。\n【科普工作】该局开展科技活动周活动，发放资料3000份。",
        ),
        (  # a news write-up of a bureau's results
            "我市高新技术企业数量创新高",
            "近日，记者从市科技局获悉，今年我市有28家企业通过高新技术企业认定，全市高新技术企业达到196家，"
            "科技型中小企业入库312家。",
        ),
    ],
)
def test_bureau_reports_in_other_voices(title, text):
    assert classify_doc_kind(title, text) == "bureau_report"


# ---------------------------------------------------------------- other genres that talk about S&T


def test_provincial_government_work_report_is_other():
    text = (
        "各位代表：\n现在，我代表省人民政府，向大会报告政府工作，请予审议，并请省政协委员提出意见。\n"
        "一、过去一年工作回顾\n全省地区生产总值增长6.1%，一般公共预算收入增长8%，城镇新增就业52万人，"
        "居民人均可支配收入增长7.2%。科技创新取得新突破，省科技厅牵头实施重大科技专项，新增高新技术企业1500家，"
        "科技型中小企业评价入库1.2万家，全省专利授权量增长20%。我们深入实施创新驱动发展战略，"
        "支持省科技厅建设科技成果转化平台。"
    )
    assert classify_doc_kind("2023年某省政府工作报告", text) == "other"
    assert classify_doc_kind(None, text) == "other"


def test_local_regulation_naming_the_bureau_is_other():
    text = (
        "第一条 为了促进科技成果转化，根据有关法律法规，结合本县实际，制定本办法。\n"
        "第二条 县科技局是本县科技成果转化工作的主管部门，负责本办法的组织实施。\n"
        "第三条 县级以上人民政府科学技术行政部门应当建立科技成果转化项目库。\n"
        "第四条 对高新技术企业转化科技成果的，县科技局给予最高不超过50万元的奖励。\n"
        "第五条 本办法自2022年1月1日起施行。"
    )
    assert classify_doc_kind("某县促进科技成果转化办法", text) == "other"
    assert classify_doc_kind(None, text) == "other"


def test_plan_is_other():
    text = (
        "为加快建设创新型县，根据上级部署，结合我县实际，制定本规划。规划期为2021—2025年。"
        "到2025年，全县高新技术企业达到80家，R&D经费投入强度达到2.5%。县科技局负责本规划的组织实施，"
        "县科技局会同有关部门开展年度评估。"
    )
    assert classify_doc_kind("某县“十四五”科技创新规划", text) == "other"


def test_other_departments_summary_saying_our_bureau_is_other():
    text = (
        "2022年，县发展和改革局在县委、县政府的坚强领导下，我局重点项目建设扎实推进，"
        "我局配合县科技局做好高新技术企业培育，我局牵头编制产业规划。"
    )
    assert classify_doc_kind("某县发展和改革局2022年工作总结", text) == "other"
    assert classify_doc_kind(None, text) == "other"


def test_company_summary_signed_by_the_company_is_other():
    text = (
        "今年，在县科技局的大力支持下，研发投入持续增长，新申请发明专利6件，成功通过高新技术企业认定。\n"
        "下一步，将继续加大研发力度。\n某某新材料科技有限公司\n2022年12月20日"
    )
    assert classify_doc_kind("2022年度工作总结", text) == "other"


def test_a_bureau_signing_its_report_is_a_bureau():
    text = "今年以来，全县新增高新技术企业6家，组织申报科技项目9项，举办科技培训班5期。\n某县科学技术局\n2022年12月5日"
    assert classify_doc_kind("2022年工作总结", text) == "bureau_report"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("某县科技局2022年工作总结\n今年以来，我局新增高新技术企业6家。", "bureau_report"),
        ("第一条 为了规范管理，制定本办法。\n第二条 县科技局负责实施。\n第三条 本办法自公布之日起施行。", "regulation"),
        (
            "某区人民政府办公室\n关于印发某区科技创新行动方案的通知\n现将《行动方案》印发给你们，请认真贯彻执行。",
            "plan",
        ),
        ("各位代表：现在，我代表县人民政府向大会报告政府工作，请予审议。全县生产总值增长5%。", "government_work"),
        ("【概况】年末全市金融机构各项存款余额2100亿元，贷款余额1900亿元，全年转移支付资金80亿元。", "economy"),
        ("全年争取上级项目资金3500万元。", "unknown"),
    ],
)
def test_genre_names_the_other_genre(text, expected):
    assert genre(None, text) == expected


def test_a_text_saturated_with_science_work_and_no_other_speaker_is_a_bureaus():
    text = (
        "今年以来，全县新增高新技术企业9家，科技型中小企业入库56家；专利授权312件；登记技术合同18项；"
        "新建省级创新平台2个，选派科技特派员40名，科技成果转化项目落地6个。"
    )
    assert classify_doc_kind("我县科技创新取得新成效", text) == "bureau_report"


def test_a_spun_copy_of_a_bureau_name_still_names_the_bureau():
    text = "上半年，市科学技艺局在市委的率领下，新增高新手艺企业3家，科技项目到位资金800万元。"
    assert classify_doc_kind("某市科学技艺局2022年上半年事情总结", text) == "bureau_report"


def test_a_briefing_signed_under_its_title_is_the_bureaus():
    text = (
        "某市科技进步和创新工作情况汇报\n某市科技局 （2019年4月23日）\n"
        "近年来，在市委、市政府的领导下，全市深入实施创新驱动发展战略，新增高新技术企业35家，专利授权1200件。"
    )
    assert classify_doc_kind(None, text) == "bureau_report"


def test_a_place_speaking_of_its_own_science_work_is_its_bureau():
    text = (
        "2003年一季度某区高新技术产业运行情况分析\n"
        "今年以来，我区科技工作围绕区委区政府的总体目标，新认定高新技术企业6家。"
    )
    assert classify_doc_kind(None, text) == "bureau_report"


def test_news_of_one_event_is_other_and_a_write_up_of_results_is_a_bureau_report():
    event = "5月8日，活动在市区举行，共签约项目12个。仪式上，区科技局兑现奖补资金800万元。签约仪式后进行了参观。"
    assert classify_doc_kind("某区举行科技成果转化项目集中签约仪式", event) == "other"
    results = "记者从区科技局获悉，今年前三季度全区新增高新技术企业26家，专利授权量1300件。"
    assert classify_doc_kind("某区科技局前三季度科技创新工作成效明显", results) == "bureau_report"


def test_a_banks_summary_is_other():
    text = "2023年，我行与省科技厅合作推出科技贷，联合市科技局举办银企对接会。全行科技型企业贷款余额46.8亿元。"
    assert classify_doc_kind("xx银行某分行2023年科技金融工作总结", text) == "other"


def test_a_bureaus_plan_is_a_plan_whoever_issues_it():
    text = (
        "某市科学技术局\n首页 > 政务公开 > 规划计划\n\n2024年全市科技工作要点\n发布时间：2024-03-05\n"
        "总体要求是：深入实施创新驱动发展战略。主要预期目标是：新增高新技术企业200家。"
    )
    assert genre(None, text) == "plan"
    assert classify_doc_kind("某市科学技术局2024年工作要点", "我局将新增高新技术企业200家以上。") == "other"


def test_news_of_one_training_meeting_is_other():
    text = (
        "某市人民政府 > 部门动态\n某市科技局举办高新技术企业认定申报培训会\n"
        "4月17日，某市科技局在市行政服务中心举办高新技术企业认定申报培训会，共180余人参加培训。"
        "去年全市新增高新技术企业42家，总数达到156家。"
    )
    assert classify_doc_kind(None, text) == "other"


def test_a_congress_inspection_of_st_work_is_other_but_a_bureaus_report_to_it_is_not():
    title = "某区人大常委会视察组关于全区科技创新工作情况的视察报告"
    assert classify_doc_kind(title, "区科技局共争取上级科技资金1280万元，全区专利授权146件。") == "other"
    report = "某县科技局关于全县科技创新工作情况的汇报"
    text = "尊敬的人大常委会各位领导、人大代表：我局全年新认定高新技术企业12家，专利授权320件。"
    assert classify_doc_kind(report, text) == "bureau_report"


def test_a_report_without_its_issuer_line_and_a_portals_header():
    # the body opens with the bureau's work; a university named as a partner is no speaker
    text = (
        "2023年，我们紧扣市下达的目标任务，以科技城和某大学联合学院为支点，推动科技创新。全市申报高新技术企业198家，"
        "高企总数达到786家；新增科技型中小企业402家；专利授权4862件；组织科技特派员服务；建设创新平台12家；"
        "企业研发投入持续增长。"
    )
    assert classify_doc_kind("2023年科技工作总结", text) == "bureau_report"
    news = (
        "某区人民政府\n首页 > 新闻中心\n\n"
        "记者从区科信局获悉，今年上半年全区新认定国家高新技术企业38家，专利授权1650件。"
    )
    assert classify_doc_kind(None, news) == "bureau_report"
