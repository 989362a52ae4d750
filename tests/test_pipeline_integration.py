"""Every asset materialized from the sample corpus into a temporary warehouse, checked against the contract."""

import hashlib
import re
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.conftest import PROJECT_DIR, SAMPLE_RAW_DIR, materialize_all

# The contract's columns (../shared/CONTRACT.md), which dashboards and the scorer rely on.
FACT_COMMON = [
    "fact_id", "document_id", "status", "approx", "is_component", "is_redacted", "evidence", "span_start", "span_end",
]  # fmt: skip
CONTRACT_COLUMNS = {
    "core.documents": [
        "document_id", "source_file", "segment_no", "title", "n_chars", "source_encoding", "was_traditional",
        "doc_kind", "province", "city", "county", "region_code", "year", "period", "duplicate_of",
    ],
    "core.fact_funding": [*FACT_COMMON, "amount_cny", "funding_kind", "yoy_pct"],
    "core.fact_high_tech_enterprises": [*FACT_COMMON, "enterprise_count", "action", "enterprise_names"],
    "core.fact_patents": [*FACT_COMMON, "measure", "patent_count", "is_invention", "yoy_pct"],
    "core.fact_training": [*FACT_COMMON, "measure", "value"],
    "core.indicator_observations": [
        "source_file", "document_id", "indicator", "measure", "value", "status", "approx", "detail",
        "is_component", "is_redacted", "province", "city", "county", "region_code", "year", "period", "evidence",
    ],
}  # fmt: skip
# Types the contract states, wherever the column appears.
CONTRACT_TYPES = {
    "document_id": "VARCHAR", "segment_no": "INTEGER", "n_chars": "INTEGER", "was_traditional": "BOOLEAN",
    "year": "INTEGER", "amount_cny": "DOUBLE", "enterprise_count": "INTEGER",
    "enterprise_names": "VARCHAR[]", "patent_count": "INTEGER", "is_component": "BOOLEAN", "is_redacted": "BOOLEAN",
}  # fmt: skip
CONTRACT_TABLE_TYPES = {("core.indicator_observations", "value"): "DOUBLE", ("core.fact_training", "value"): "INTEGER"}
MARTS = [
    "region_period_choice",
    "region_year_measures",
    "region_year_summary",
    "region_term_usage",
    "region_resolution_coverage",
]


def _markdown_rows(section: str) -> list[list[str]]:
    rows = []
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith(("| file", "| ---")):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


README = (PROJECT_DIR / "data" / "README.md").read_text(encoding="utf-8")
KNOWN_VALUES = _markdown_rows(README.split("## Known values")[1].split("### Distractors")[0])
DISTRACTORS = _markdown_rows(README.split("### Distractors")[1].split("## How")[0])


@pytest.fixture(scope="module")
def warehouse(defs: dg.Definitions, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    result = materialize_all(defs, SAMPLE_RAW_DIR, path)
    assert result.success
    return path


def query(path: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def test_contract_tables_have_their_columns(warehouse: Path) -> None:
    for table, columns in CONTRACT_COLUMNS.items():
        schema, name = table.split(".")
        got = {
            r[0]: r[1]
            for r in query(
                warehouse,
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ?",
                schema,
                name,
            )
        }
        assert set(columns) <= set(got), f"{table} lacks {set(columns) - set(got)}"
        types = CONTRACT_TYPES | {c: t for (name_, c), t in CONTRACT_TABLE_TYPES.items() if name_ == table}
        for column, wanted in types.items():
            if column in got and column in columns:
                assert got[column] == wanted, f"{table}.{column} is {got[column]}, the contract says {wanted}"


def test_marts_hold_rows(warehouse: Path) -> None:
    for mart in MARTS:
        (count,) = query(warehouse, f"select count(*) from marts.{mart}")[0]
        assert count > 0, mart


def test_documents_carry_encoding_script_split_and_duplicates(warehouse: Path) -> None:
    docs = {
        (f, seg): (enc, trad, dup)
        for f, seg, enc, trad, dup in query(
            warehouse,
            "select source_file, segment_no, source_encoding, was_traditional, duplicate_of from core.documents",
        )
    }
    assert docs[("wuhu_kjj_2024_bannian.txt", 1)][0] == "gb18030"
    assert docs[("sc_jiangyou_2022.txt", 1)][:2] == ("big5-hkscs", True)
    assert docs[("quanzhou_2024q1.txt", 1)][0] == "utf-8"
    assert sum(1 for f, _ in docs if f == "kjj_zongjie_jingxuan.txt") == 4
    (original,) = query(warehouse, "select document_id from core.documents where source_file = ?",
                        "2023_huzhou_deqing_annual.txt")[0]  # fmt: skip
    assert docs[("mirror/deqing_kjj_2023_repost.txt", 1)][2] == original
    assert not query(warehouse, "select 1 from core.indicator_observations where source_file like 'mirror/%'"), (
        "a duplicate report must not contribute rows"
    )


def test_documents_are_placed_in_region_and_period(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select province, city, county, region_code, year, period from core.documents where source_file = ?",
        "2023_huzhou_deqing_annual.txt",
    )
    assert rows == [("浙江省", "湖州市", "德清县", "330521", 2023, "annual")]


@pytest.mark.parametrize("row", KNOWN_VALUES, ids=lambda r: f"{r[0]}:{r[11]}")
def test_known_values_are_extracted(warehouse: Path, row: list[str]) -> None:
    file, _seg, indicator, measure, value, status, approx, detail, component, redacted, _yoy, evidence = row
    got = query(
        warehouse,
        "select status, approx, coalesce(detail, ''), is_component, is_redacted from core.indicator_observations "
        "where source_file = ? and indicator = ? and measure = ? and value is not distinct from ? "
        "and contains(evidence, ?)",
        file,
        indicator,
        measure,
        None if value == "NULL" else float(value),
        evidence,
    )
    assert (status, approx, detail, component == "true", redacted == "true") in got, got


@pytest.mark.parametrize("row", DISTRACTORS, ids=lambda r: f"{r[0]}:{r[4]}")
def test_distractors_are_not_extracted(warehouse: Path, row: list[str]) -> None:
    file, _seg, indicator, value, _source = row
    got = query(
        warehouse,
        "select evidence from core.indicator_observations where source_file = ? and (? = '' or indicator = ?) "
        "and abs(value - ?) < 0.5",
        file,
        indicator,
        indicator,
        float(value),
    )
    assert not got


def test_evidence_is_simplified_and_free_of_glosses(warehouse: Path) -> None:
    import opencc

    t2s = opencc.OpenCC("t2s")
    for (evidence,) in query(warehouse, "select evidence from core.indicator_observations"):
        assert t2s.convert(evidence) == evidence
        assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)", evidence)


def test_second_run_with_no_new_input_writes_nothing(defs: dg.Definitions, warehouse: Path) -> None:
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    result = materialize_all(defs, SAMPLE_RAW_DIR, warehouse)
    assert result.success
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey(["core", "documents"]) not in materialized
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before


def test_bad_files_are_quarantined_and_the_rest_lands(defs: dg.Definitions, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW_DIR, raw)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "scan.pdf").write_bytes(b"%PDF-1.4\x00\x01\x02\x03" + bytes(range(256)) * 4)
    warehouse = tmp_path / "warehouse.duckdb"
    result = materialize_all(defs, raw, warehouse)
    assert result.success
    rejected = dict(query(warehouse, "select source_file, reason from core.rejected_inputs"))
    assert set(rejected) == {"empty.txt", "scan.pdf"}
    assert "empty" in rejected["empty.txt"]
    assert "binary" in rejected["scan.pdf"]
    (good,) = query(warehouse, "select count(distinct source_file) from core.documents")[0]
    assert good == 8


def run_and_publish(defs: dg.Definitions, raw: Path, tmp_path: Path) -> tuple[dg.ExecuteInProcessResult, Path]:
    """Every asset materialized from `raw`; the run must succeed and publish its warehouse."""
    warehouse = tmp_path / "warehouse.duckdb"
    result = materialize_all(defs, raw, warehouse)
    assert result.success and warehouse.exists(), "the run publishes"
    return result, warehouse


def warning(result: dg.ExecuteInProcessResult, name: str) -> dg.AssetCheckEvaluation:
    """The evaluation of check `name`, which must have failed as a warning (the run still publishes)."""
    (check,) = [e for e in result.get_asset_check_evaluations() if e.check_name == name]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    return check


def test_quarantine_is_a_warning_check_not_a_failure(defs: dg.Definitions, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_RAW_DIR / "2023_huzhou_deqing_annual.txt", raw)
    (raw / "empty.txt").write_bytes(b"")
    result = materialize_all(defs, raw, tmp_path / "warehouse.duckdb")
    assert result.success
    check = warning(result, "no_rejected_inputs")
    assert "empty.txt" in check.metadata["files"].value


def test_a_report_the_rules_fail_on_is_kept_and_everything_publishes(
    defs: dg.Definitions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A defect the rules meet on one report (here a region resolver that raises on it) neither fails the run
    nor loses the report: it is published unplaced, with its error, and a warning check names it."""
    from pipeline import regions

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("2023_huzhou_deqing_annual.txt", "quanzhou_2024q1.txt"):
        shutil.copy(SAMPLE_RAW_DIR / name, raw)
    real = regions.resolve_region

    def flaky(title: str | None, text: str, publisher: str | None = None):
        if "泉州" in text:
            raise KeyError("simulated defect")
        return real(title, text, publisher)

    monkeypatch.setattr(regions, "resolve_region", flaky)
    result, warehouse = run_and_publish(defs, raw, tmp_path)
    check = warning(result, "no_analysis_errors")
    assert "quanzhou_2024q1.txt #1: analysis failed: KeyError('simulated defect')" in check.metadata["reports"].value
    rows = query(
        warehouse,
        "select source_file, doc_kind, province, analysis_error, (select count(*) from core.indicator_observations o"
        " where o.document_id = d.document_id) from core.documents d order by source_file",
    )
    assert rows[0][:4] == ("2023_huzhou_deqing_annual.txt", "bureau_report", "浙江省", None) and rows[0][4] > 0
    assert rows[1] == ("quanzhou_2024q1.txt", "other", None, "analysis failed: KeyError('simulated defect')", 0)


ANNUAL = (
    "德清县科学技术局2023年工作总结\n全年，县科技局兑现科技奖补资金共300万元，其中研发奖励200万元、"
    "平台奖励100万元。全年组织申报高新技术企业12家，力争明年申报高新技术企业20家。\n"
)
ROLL_UP_REPORTS = {
    "deqing_q1.txt": "德清县科学技术局2023年一季度工作总结\n一季度，县科技局兑现科技奖补资金共100万元，"
    "其中研发奖励60万元、平台奖励40万元。组织申报高新技术企业5家。\n",
    "deqing_annual.txt": ANNUAL,
    "deqing_annual_repost.txt": ANNUAL,
}


def test_marts_follow_the_roll_up_rules(defs: dg.Definitions, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in ROLL_UP_REPORTS.items():
        (raw / name).write_text(text, encoding="utf-8")
    warehouse = tmp_path / "warehouse.duckdb"
    assert materialize_all(defs, raw, warehouse).success
    (choice,) = query(warehouse, "select region_name, year, period_used, periods_reported, n_reports "
                                 "from marts.region_period_choice")  # fmt: skip
    assert choice == ("德清县", 2023, "annual", ["Q1", "annual"], 2), "the widest period is used, and said"
    measures = {
        (indicator, status, detail): (total, added, components)
        for indicator, status, detail, total, added, components in query(
            warehouse,
            "select indicator, status, detail, total_value, n_figures_added, n_components_not_added "
            "from marts.region_year_measures",
        )
    }
    # The annual total only: not its parts, not the Q1 report, not the repost.
    assert measures[("funding", "actual", "subsidy")] == (3_000_000, 1, 2)
    assert measures[("high_tech", "actual", "apply")][0] == 12
    assert measures[("high_tech", "target", "apply")][0] == 20, "targets are a row of their own"


ABSURD = "德清县科学技术局2023年工作总结\n全年，县科技局兑现科技奖补资金5000亿元。全年组织申报高新技术企业12家。\n"
TRUNCATED = "长兴县科学技术局2023年上半年工作总结\n上半年，县科技局争取省级科技项目资金200万元，培训农民300人次。"


def test_an_implausible_figure_is_flagged_and_everything_publishes(defs: dg.Definitions, tmp_path: Path) -> None:
    """One odd file never holds back the others: its figure is flagged suspect and left out of the marts."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("2023_huzhou_deqing_annual.txt", "quanzhou_2024q1.txt"):
        shutil.copy(SAMPLE_RAW_DIR / name, raw)
    (raw / "absurd.txt").write_text(ABSURD, encoding="utf-8")
    (raw / "truncated.txt").write_bytes(TRUNCATED.encode("utf-8")[:-1])  # a download cut mid-character
    result, warehouse = run_and_publish(defs, raw, tmp_path)
    check = warning(result, "money_plausible")
    assert "5000亿元" in check.metadata["examples"].value
    flagged = query(
        warehouse,
        "select f.amount_cny, f.is_suspect, q.check_name, q.reason from core.fact_funding f "
        "join core.quality_flags q using (fact_id) join core.documents d on d.document_id = f.document_id "
        "where d.source_file = 'absurd.txt'",
    )
    assert flagged == [
        (5e11, True, "money_plausible", "500000000000 yuan above the county ceiling of 10000000000 yuan")
    ]
    added = query(warehouse, "select count(*) from marts.region_year_measures where total_value >= 5e11")
    assert added == [(0,)], "a suspect figure is never added in the marts"
    assert query(warehouse, "select count(*) from core.rejected_inputs") == [(0,)]
    published = {r[0] for r in query(warehouse, "select distinct source_file from core.documents")}
    assert published == {"2023_huzhou_deqing_annual.txt", "quanzhou_2024q1.txt", "absurd.txt", "truncated.txt"}
    ((rules, damaged, n_facts),) = query(
        warehouse,
        "select normalize_rules, damaged_spans, (select count(*) from core.indicator_observations o "
        "where o.source_file = d.source_file) from core.documents d where source_file = 'truncated.txt'",
    )
    assert "undecodable_bytes:1" in rules and damaged, "the damage is recorded, the text kept"
    assert n_facts == 2
