"""The integrity checks fail on the defects they guard against, also when they read the tables in slices."""

from pathlib import Path

import polars as pl
import pytest

from pipeline import quality
from tests.conftest import core_rows

REPORT = "某县科技局2023年工作总结\n全年兑现科技奖补资金80万元，组织申报高新技术企业6家。\n"


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pl.DataFrame]:
    raw = tmp_path_factory.mktemp("raw")
    for i in range(3):
        (raw / f"{i}.txt").write_text(REPORT.replace("80", str(80 + i)), encoding="utf-8")
    return core_rows(Path(raw), tmp_path_factory.mktemp("cache"))


def test_a_clean_load_passes(frames: dict[str, pl.DataFrame], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quality, "DOCUMENTS_PER_SLICE", 1)  # one report's text at a time
    for check in (quality.facts_have_documents, quality.evidence_matches_spans, quality.no_duplicate_facts):
        assert check(frames).passed, check.__name__


def test_evidence_that_is_not_its_span_fails(frames: dict[str, pl.DataFrame], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quality, "DOCUMENTS_PER_SLICE", 1)
    shifted = frames["fact_funding"].with_columns(span_start=pl.col("span_start") + 1)
    outcome = quality.evidence_matches_spans({**frames, "fact_funding": shifted})
    assert not outcome.passed and outcome.metadata["mismatches"] == shifted.height


def test_a_fact_read_twice_fails(frames: dict[str, pl.DataFrame]) -> None:
    funding = frames["fact_funding"]
    again = funding.head(1).with_columns(fact_id=pl.lit("another id"))
    outcome = quality.no_duplicate_facts({**frames, "fact_funding": pl.concat([funding, again])})
    assert not outcome.passed and outcome.metadata["duplicates"] == 1


def test_a_fact_without_its_document_fails(frames: dict[str, pl.DataFrame]) -> None:
    outcome = quality.facts_have_documents({**frames, "documents": frames["documents"].tail(-1)})
    assert not outcome.passed and outcome.metadata["orphans"] > 0
