"""Region resolution on hand-written report fragments (no corpus text)."""

import pytest

from pipeline import gazetteer, regions
from pipeline.regions import resolve_region


def test_county_in_title_pins_city_and_province():
    text = "上半年，我市科技工作稳步推进，全市新增高新技术企业5家。"
    r = resolve_region("枝江市科技局2021年上半年工作总结", text)
    assert (r.province, r.city, r.county, r.region_code) == ("湖北省", "宜昌市", "枝江市", "420583")


def test_short_name_repeated_in_body_resolves_county():
    text = "今年以来，我县科技局深入推进创新驱动。组织金溪企业参加培训，金溪香料产业申报省级项目2项。"
    r = resolve_region("科技局一季度工作总结", text)
    assert (r.province, r.city, r.county) == ("江西省", "抚州市", "金溪县")


def test_shared_district_name_stays_unresolved():
    r = resolve_region("朝阳区科技局上半年工作总结", "我区科技工作取得新进展，全区专利申请120件。")
    assert r.province is None and r.city is None and r.county is None


def test_shared_district_name_decided_by_city_named_elsewhere():
    text = "我区组织15户企业申报长春市科技发展计划项目，长春市科技局已受理。"
    r = resolve_region("朝阳区科技局上半年工作总结", text)
    assert (r.province, r.city, r.county) == ("吉林省", "长春市", "朝阳区")


def test_shared_district_name_decided_by_its_city_named_once():
    """One full name of a candidate's city is a compound name spread over the text (长春市…朝阳区)."""
    text = "今年以来，朝阳区科技局在长春市委、市政府的坚强领导下，全区新增高新技术企业35家。朝阳区专利授权量1200件。"
    r = resolve_region(None, text)
    assert (r.province, r.city, r.county) == ("吉林省", "长春市", "朝阳区")
    # a short name seen once may be anybody's town: it decides nothing
    r = resolve_region(None, text.replace("在长春市委、市政府的坚强领导下", "赴长春考察后"))
    assert r.province is None


def test_places_merely_mentioned_hint_province_only():
    text = (
        "今年以来，我县科技局对接南京理工大学、四川大学等高校，组织企业赴无锡市考察学习。"
        "新增苏科贷合作银行2家，15家企业获批苏科贷2000万元。"
    )
    r = resolve_region("县科技局上半年工作总结", text)
    assert r.province == "江苏省"
    assert r.city is None and r.county is None


def test_comparison_region_is_not_the_report_region():
    text = "我区新认定高新技术企业8家，作为对比，武侯区则有20家，差距明显。我区在成都市排名靠后。"
    r = resolve_region(None, text)
    assert r.city == "成都市"
    assert r.county is None


def test_masked_county_gives_null_county():
    text = "xx县科技局紧紧围绕县委中心工作，组织企业申报江西省科技计划项目6项，江西省科技厅已立项。"
    r = resolve_region("xx县科技局年度工作总结", text)
    assert r.province == "江西省"
    assert r.city is None and r.county is None


def test_province_programme_and_document_number_clues():
    text = "我县组织企业学习《关于支持科技创新的若干措施》（苏科规发〔2021〕5号），开展苏科贷政策宣传。"
    r = resolve_region(None, text)
    assert r.province == "江苏省"
    assert "苏科贷" in r.evidence


def test_towns_of_one_county_pin_it():
    text = "科技特派员深入一六镇、笆篱镇、迎春镇开展技术培训，xx县科技局组织专家现场指导。"
    r = resolve_region(None, text)
    assert (r.province, r.city, r.county) == ("湖南省", "郴州市", "宜章县")


def test_historic_name_resolves_to_todays_unit():
    r = resolve_region("襄樊市科技局2009年工作总结", "全市科技工作取得新成绩。")
    assert (r.province, r.city) == ("湖北省", "襄阳市")


def test_short_names_that_are_ordinary_words_do_not_match():
    text = "据新华社报道，我局顺利通过考核，创新和新经济工作取得东方风来满眼春的局面。"
    r = resolve_region(None, text)
    assert r.province is None


def test_bureau_named_in_title_decides_the_county_level_city():
    # The parent city is named more often than the reporting county-level city itself.
    text = (
        "今年以来，市科技局在市委、市政府领导和宜昌市科技局指导下，全力推进创新。"
        "宜昌市科技局组织专家来我市调研；人民银行枝江市支行发放科技贷款800万元。"
        "我市企业参加宜昌市创新创业大赛获奖3项，宜昌市科技计划立项5项。"
    )
    r = resolve_region("枝江市科学技术局2022年工作总结", text)
    assert (r.province, r.city, r.county) == ("湖北省", "宜昌市", "枝江市")
    assert "unit:枝江市" in r.evidence


def test_city_bureau_in_title_leaves_county_null_despite_its_districts():
    text = "上半年，市科技局指导夷陵区、夷陵区科技局和枝江市开展科技特派员服务，夷陵区新增高企6家。"
    r = resolve_region("宜昌市科技局2022年上半年工作总结", text)
    assert (r.province, r.city, r.county) == ("湖北省", "宜昌市", None)


def test_bureau_opening_the_body_is_the_unit_when_the_title_names_none():
    text = (
        "2022年，当阳市科技局在市委、市政府的领导下，围绕主导产业推进创新。"
        "一、全年新认定高新技术企业9家，宜昌市科技型中小企业评价入库42家，获宜昌市科技进步奖2项。"
    )
    r = resolve_region("科技局工作总结2", text)
    assert (r.province, r.city, r.county) == ("湖北省", "宜昌市", "当阳市")


def test_parent_bureau_in_the_opening_is_not_the_unit():
    text = "今年以来，市科技局在市委领导和宜昌市科技局的指导下，新增高企5家，宜昌市科技计划立项3项。"
    r = resolve_region("科技局上半年工作总结", text)
    assert (r.city, r.county) == ("宜昌市", None)
    assert "unit:" not in r.evidence


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("荆门高新区管委会科技局2022年工作总结", ("湖北省", "荆门市", None)),
        ("襄阳经济技术开发区科技局2021年上半年工作总结", ("湖北省", "襄阳市", None)),
        ("枝江经济开发区管委会科技局2022年工作总结", ("湖北省", "宜昌市", "枝江市")),
        ("长春高新技术产业开发区管委会科技创新局2021年工作总结", ("吉林省", "长春市", None)),
        ("浦东新区科技和经济委员会工作总结", ("上海市", None, "浦东新区")),
    ],
)
def test_development_zone_bureau_reports_for_the_place_it_is_named_after(title, want):
    text = "2022年，在管委会的领导下，全区新增高新技术企业36家，园区争取上级资金900万元。"
    r = resolve_region(title, text)
    assert (r.province, r.city, r.county) == want


def test_zone_bureau_opening_the_body_places_the_report():
    text = "科技局工作总结（精选）\n荆门高新区管委会科技局2022年工作总结\n2022年，科技局围绕园区主导产业推进创新。"
    r = resolve_region("科技局工作总结（精选）", text)
    assert (r.province, r.city, r.county) == ("湖北省", "荆门市", None)


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("江西省科学技术厅2021年工作总结", ("江西省", None, None)),
        ("江西省科技厅2021年上半年工作总结", ("江西省", None, None)),
        ("北京市科学技术委员会2021年工作总结", ("北京市", None, None)),
        ("静安区科学技术委员会2021年工作小结", ("上海市", None, "静安区")),
        ("成都市科技创新局2021年工作总结", ("四川省", "成都市", None)),
    ],
)
def test_bureaus_of_every_name_are_the_unit(title, want):
    text = "2021年，南昌市、赣州市、赣州市和九江市新增高新技术企业800家，全省研发投入增长12%。"
    if want[0] != "江西省":
        text = "2021年，全市科技工作稳步推进，新增高新技术企业800家。"
    r = resolve_region(title, text)
    assert (r.province, r.city, r.county) == want


def test_province_bureau_in_the_title_of_a_county_report_is_not_its_unit():
    r = resolve_region("兴国县科技局落实江西省科技厅部署工作汇报", "全县新增高企5家。")
    assert (r.province, r.city, r.county) == ("江西省", "赣州市", "兴国县")


@pytest.mark.parametrize(
    "bureau", ["经济和科技促进局", "工业和科技局", "科学技术和信息化局", "科技和工业信息化局", "新经济和科技局"]
)
def test_bureaus_with_a_combined_remit_are_the_unit(bureau):
    text = "2021年，宜昌市夷陵区、当阳市、当阳市企业新增高企8家，当阳市、宜都市专利授权增长。"
    r = resolve_region(f"枝江市{bureau}2021年工作总结", text)
    assert (r.province, r.city, r.county) == ("湖北省", "宜昌市", "枝江市")


def test_government_and_bureau_named_together_is_no_combined_bureau():
    text = "2021年，宜昌市夷陵区、当阳市、当阳市企业新增高企8家，当阳市、宜都市专利授权增长。"
    r = resolve_region("枝江市政府和科技局联合工作汇报", text)
    assert r.county != "枝江市"


def test_gazetteer_corrections_override_the_package_data():
    r = resolve_region("凤翔区科技局2023年第二季度工作总结", "二季度，区科技局组织申报高新技术企业6家。")
    assert (r.province, r.city, r.county, r.region_code) == ("陕西省", "宝鸡市", "凤翔区", "610305")
    old = resolve_region("凤翔县科技局2019年工作总结", "全年，县科技局组织申报高新技术企业4家。")
    assert (old.county, old.region_code) == ("凤翔区", "610305")


def test_compound_name_resolves_the_ambiguous_district():
    # 普陀区 is a district of 上海市 and of 舟山市: the name written before it decides which.
    body = "2021年，区科委围绕科创中心建设，全区新增高新技术企业40家。"
    r = resolve_region("上海市普陀区科学技术委员会2021年工作总结", body)
    assert (r.province, r.city, r.county) == ("上海市", None, "普陀区")
    r = resolve_region("舟山市普陀区科技局2021年工作总结", "全区新增省级科技型中小企业30家。")
    assert (r.province, r.city, r.county) == ("浙江省", "舟山市", "普陀区")


def test_municipality_has_no_city_level():
    r = resolve_region("闵行区科学技术委员会2022年工作小结", "全区技术合同成交额增长15%。")
    assert (r.province, r.city, r.county, r.region_code) == ("上海市", None, "闵行区", "310112")


def test_own_policy_document_title_names_the_county():
    text = (
        "今年以来，我县出台《宁都县科技创新券实施办法（试行）》，全县发放创新券60万元，"
        "组织企业参加省里的科技活动周，新增高新技术企业6家。"
    )
    r = resolve_region("科技局2022年工作总结", text)
    assert (r.province, r.city, r.county) == ("江西省", "赣州市", "宁都县")


def test_provincial_programme_title_tells_the_province_only():
    text = "我县组织12家企业对照《2021年度湖南省科技计划项目申报指南》申报项目，获立项3项。"
    r = resolve_region("县科技局2021年工作总结", text)
    assert (r.province, r.city, r.county) == ("湖南省", None, None)


def test_partner_named_often_does_not_beat_the_own_county_named_once():
    text = (
        "2022年，我县与上海市农业科学院合作共建示范基地，与上海市两家企业签约技术转移项目，"
        "组织企业赴上海市参加对接会。全县新增科技型中小企业15家，攸县油茶产业获评省级创新平台。"
    )
    r = resolve_region("科技局2022年工作总结", text)
    assert (r.province, r.city, r.county) == ("湖南省", "株洲市", "攸县")


def test_county_inside_company_and_cooperative_names():
    text = (
        "全县新增高新技术企业4家，其中江西金溪香料有限公司通过认定；"
        "指导金溪县蜜桔专业合作社建设科技示范基地，全县专利授权56件。"
    )
    r = resolve_region("县科技局工作总结", text)
    assert (r.province, r.city, r.county) == ("江西省", "抚州市", "金溪县")


def test_bare_short_name_in_a_phrase_about_its_own_development():
    text = "上半年，市科技局围绕中心工作，为洪湖跨越发展提供科技支撑，帮助企业申报项目10个。"
    r = resolve_region("科技局上半年工作总结", text)
    assert (r.province, r.city, r.county) == ("湖北省", "荆州市", "洪湖市")


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a county's development zone named after it
        ("我县全力推进宁都经济开发区建设，区内新增高新技术企业3家，县科技局组织企业申报项目。",
         ("江西省", "赣州市", "宁都县")),
        # a statistical zone of the gazetteer places its city: the zone is no county
        ("上半年，长春净月高新技术产业开发区新增科技型企业120家，长春净月高新技术产业开发区孵化器获评国家级。",
         ("吉林省", "长春市", None)),
    ],
)  # fmt: skip
def test_development_zones_place_the_report(text, want):
    r = resolve_region(None, text)
    assert (r.province, r.city, r.county) == want


def test_provincial_report_stays_at_province_level():
    text = (
        "2022年，全省科技工作取得新进展。省委、省政府高度重视科技创新，全省研发投入增长12%。"
        "杭州市、杭州高新区、杭州市滨江区集聚创新资源，杭州市新增高新技术企业2000家，"
        "宁波市新增800家。全省技术合同成交额突破2000亿元，我省区域创新能力居全国第四。"
    )
    r = resolve_region("2022年浙江省科技工作总结", text)
    assert (r.province, r.city, r.county) == ("浙江省", None, None)


def test_city_report_stays_at_city_level():
    text = (
        "今年以来，全市科技工作稳步推进，市科技局组织夷陵区、当阳市企业申报项目。"
        "宜昌市新增高新技术企业120家，夷陵区新增30家，宜昌市科技计划立项50项。"
    )
    r = resolve_region("科技局年度工作总结", text)
    assert (r.province, r.city, r.county) == ("湖北省", "宜昌市", None)


def test_confidence_is_a_probability_that_grows_with_the_evidence():
    weak = resolve_region(None, "上半年，为洪湖跨越发展提供科技支撑，帮助企业申报项目10个。")
    strong = resolve_region("金溪县科技局2022年工作总结", "全县新增高新技术企业8家，金溪县科技局组织企业申报项目。")
    assert 0.0 < weak.confidence <= strong.confidence <= 1.0
    assert resolve_region(None, "今年以来，我局扎实推进各项工作。").confidence == 0.0


def test_a_name_shared_with_a_taiwan_division_means_the_mainland_one():
    r = resolve_region("连江县科技局2022年工作总结", "全县新增科技型中小企业21家。")
    assert (r.province, r.city, r.county) == ("福建省", "福州市", "连江县")


def test_zone_known_by_a_name_of_its_own_places_its_district():
    text = "我区依托杨凌示范区建设，推广旱作农业技术12项，区科技局组织培训班8期，全区新增农业科技企业6家。"
    r = resolve_region(None, text)
    assert (r.province, r.city, r.county) == ("陕西省", "咸阳市", "杨陵区")


def test_autonomous_region_report_saying_quanqu_stays_at_province_level():
    text = (
        "2021年，全区科技系统围绕创新驱动发展，广西科技计划立项1200项，我区技术合同成交额增长30%，"
        "柳州市、桂林市各新增一个国家级创新平台。"
    )
    r = resolve_region("自治区科技厅2021年工作总结", text)
    assert (r.province, r.city, r.county) == ("广西壮族自治区", None, None)


def test_title_naming_only_the_province_keeps_the_report_there():
    text = "过去一年，长沙、株洲、湘潭协同创新，长沙新增高新技术企业1500家，高新技术产业增加值增长13%。"
    r = resolve_region("2018年湖南省政府工作报告（科技部分）", text)
    assert (r.province, r.city, r.county) == ("湖南省", None, None)


def test_literary_province_name_is_a_province_clue():
    r = resolve_region(None, "据楚天某报讯，全省科技工作会议提出，今年我省高新技术企业总数力争突破两万家。")
    assert r.province == "湖北省"
    assert (r.city, r.county) == (None, None)


def test_every_alias_names_a_place_of_the_gazetteer():
    # A row whose division is misspelt would silently place nothing.
    gaz = gazetteer.load()
    for alias in gazetteer.aliases():
        places = [p for p, _ in gaz.names.get(alias["name"], ())]
        want = (alias["province"], alias["city"] or "", alias["county"] or "")
        assert any((p.province, p.city, p.county) == want for p in places), alias


def test_calibration_table_is_a_rising_probability():
    upper, right = regions._calibration()
    assert len(upper) == len(right) and upper[-1] == 1.0
    assert list(upper) == sorted(upper) and list(right) == sorted(right)
    assert all(0.0 < p < 1.0 for p in right)
    assert regions.calibrated(0.0) == right[0] and regions.calibrated(1.0) == right[-1]


def test_city_report_ranking_itself_in_the_province_stays_a_city_report():
    text = (
        "2019年，全市科技工作位居全省前列。九江市新增高新技术企业90家，增速全省第二；"
        "全市技术合同成交额增长25%，九江市获省科技进步奖6项，占全省的十分之一，全市研发投入增长15%。"
    )
    r = resolve_region(None, text)
    assert (r.province, r.city, r.county) == ("江西省", "九江市", None)


def test_the_news_of_a_provinces_government_work_report_stays_at_province_level():
    text = (
        "1月20日，某省第十四届人民代表大会第二次会议在成都开幕，四川省省长作政府工作报告。"
        "报告说，成都高新区、成都天府新区创新能力显著增强，成都东部新区加快建设，全省新增高新技术企业2000家。"
        "省长在报告中提出，今年要支持成都建设科技创新中心。"
    )
    found = resolve_region("省长作政府工作报告", text)
    assert (found.province, found.city, found.county) == ("四川省", None, None)


def test_a_mayors_report_stays_at_city_level():
    text = (
        "各位代表：现在，我代表市人民政府，向市十六届人大三次会议报告工作。"
        "过去一年，绵阳高新区、游仙区、涪城区科技创新加快，全市新增高新技术企业120家。市长在报告中说，涪城区要建设科创走廊。"
    )
    found = resolve_region("绵阳市政府工作报告", text)
    assert (found.province, found.city, found.county) == ("四川省", "绵阳市", None)


def test_a_county_under_its_province_directly_has_no_city():
    found = resolve_region("琼中黎族苗族自治县科技局2022年工作总结", "全县新增高新技术企业2家，我县争取资金300万元。")
    assert (found.province, found.city, found.county) == ("海南省", None, "琼中黎族苗族自治县")


def test_the_pages_publisher_places_a_news_page():
    text = "5月20日，朝阳区科技成果转化项目集中签约仪式举行。仪式上，区科技局兑现奖补资金1200万元，朝阳区将持续服务。"
    assert resolve_region(None, text).province is None
    r = resolve_region(None, text, publisher="长春市朝阳区融媒体中心")
    assert (r.province, r.city, r.county) == ("吉林省", "长春市", "朝阳区")
    assert "publisher:长春市" in r.evidence


@pytest.mark.parametrize(
    ("title", "text", "place"),
    [
        ("黔东南州科学技术局1-9月工作情况的报告", "全州新增高企17家。", ("贵州省", "黔东南苗族侗族自治州", None)),
        (None, "我县科技局深入互助县各乡镇开展服务，全县新增高企5家。", ("青海省", "海东市", "互助土族自治县")),
    ],
)
def test_an_autonomous_unit_written_with_the_plain_suffix(title, text, place):
    r = resolve_region(title, text)
    assert (r.province, r.city, r.county) == place


def test_a_places_own_congress_issues_its_text():
    text = (
        "海东市人民代表大会常务委员会\n关于全市科技创新工作情况的视察报告\n"
        "海东市有效期内国家高新技术企业41家，明显低于西宁市；西宁市达到252家。"
    )
    r = resolve_region(None, text)
    assert (r.province, r.city) == ("青海省", "海东市") and "own:海东市" in r.evidence
