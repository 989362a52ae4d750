"""What each page shows, as plain data read from the warehouse (no Streamlit here, so tests call it directly).

The SQL is in dashboard/queries/. Optional parts of the warehouse that other branches add (a table of
quality flags with a reason, a region-confidence threshold published with the marts) are found through
`information_schema` and used when present.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import pandas as pd

from dashboard.warehouse import CATALOG, Warehouse

# Rows a page lists before it says how many more there are: a browser table of 20,000 rows helps nobody.
LIST_LIMIT = 500
# Used when the warehouse publishes no threshold of its own: below it a placement is worth a look.
DEFAULT_CONFIDENCE_THRESHOLD = 0.8
LEVELS = ("province", "city", "county")
QUALITY_TABLE_NAME = re.compile(r"quality|flag|suspect", re.IGNORECASE)


@dataclass(frozen=True)
class Region:
    """A region as the marts key it: its level and its names (NULL where a level is not known)."""

    level: str
    province: str | None
    city: str | None = None
    county: str | None = None

    @property
    def name(self) -> str:
        return {"province": self.province, "city": self.city, "county": self.county}[self.level] or "?"

    @property
    def key(self) -> str:
        """For the URL: level|province|city|county, empty where NULL."""
        return "|".join([self.level, self.province or "", self.city or "", self.county or ""])

    @classmethod
    def from_key(cls, key: str) -> Region | None:
        parts = key.split("|")
        if len(parts) != 4 or parts[0] not in LEVELS:
            return None
        level, province, city, county = (p or None for p in parts)
        return cls(level, province, city, county)

    @property
    def params(self) -> tuple:
        return (self.level, self.province, self.city, self.county)

    @property
    def title(self) -> str:
        """The name with what places it: 德清县（浙江省 湖州市）."""
        parents = [p for p in (self.province, self.city) if p and p != self.name]
        return f"{self.name}（{' '.join(dict.fromkeys(parents))}）" if parents else self.name


def _none(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return value


def region_of_row(row: pd.Series) -> Region:
    return Region(row["region_level"], _none(row["province"]), _none(row["city"]), _none(row["county"]))


# ---------------------------------------------------------------- overview


def overview(wh: Warehouse) -> dict[str, object]:
    counts = wh.named("overview_counts").iloc[0].to_dict()
    counts = {key: _none(value) for key, value in counts.items()}
    counts["published_at"] = wh.identity().published_at
    return counts


def region_levels(wh: Warehouse) -> pd.DataFrame:
    return wh.named("overview_levels")


def reports_per_year(wh: Warehouse) -> pd.DataFrame:
    return wh.named("overview_years")


def quarantine(wh: Warehouse) -> tuple[pd.DataFrame, pd.DataFrame]:
    return wh.named("quarantine_reasons"), wh.named("quarantine_files", (LIST_LIMIT,))


def analysis_errors(wh: Warehouse) -> pd.DataFrame:
    """Reports the rules failed on; none in a warehouse built before core.documents had the column."""
    if "analysis_error" not in wh.columns("core", "documents"):
        return pd.DataFrame()
    return wh.named("analysis_errors", (LIST_LIMIT,))


def coverage_by_province(wh: Warehouse) -> pd.DataFrame:
    return wh.named("coverage_by_province")


# ---------------------------------------------------------------- compare


def compare_options(wh: Warehouse) -> pd.DataFrame:
    return wh.named("compare_options")


def ranking(
    wh: Warehouse, indicator: str, measure: str, detail: str | None, status: str, year: int | None, level: str
) -> pd.DataFrame:
    """Regions of a level ranked by one figure in one year, with their rank."""
    frame = wh.named("compare_ranking", (indicator, measure, detail, status, year, level)).copy()
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame


def by_province(ranked: pd.DataFrame) -> pd.DataFrame:
    """Per province, the sum of the ranked regions' figures and how many regions reported.

    The regions of one level are distinct places, so their figures of one kind add up without
    counting anything twice; the sum covers only the regions that reported.
    """
    if ranked.empty:
        return pd.DataFrame(columns=["province", "total_value", "n_regions"])
    return (
        ranked.groupby("province", as_index=False)
        .agg(total_value=("total_value", "sum"), n_regions=("region_name", "count"))
        .sort_values("total_value", ascending=False)
    )


# ---------------------------------------------------------------- region


def regions(wh: Warehouse) -> pd.DataFrame:
    return wh.named("region_list")


def region_choice(wh: Warehouse, region: Region) -> pd.DataFrame:
    return wh.named("region_choice", region.params)


def region_measures(wh: Warehouse, region: Region) -> pd.DataFrame:
    return wh.named("region_measures", region.params)


def document_figures(wh: Warehouse, document_id: str) -> pd.DataFrame:
    return wh.named("document_figures", (document_id,))


def document(wh: Warehouse, document_id: str) -> dict[str, object] | None:
    frame = wh.named("document_text", (document_id,))
    return None if frame.empty else {k: _none(v) for k, v in frame.iloc[0].to_dict().items()}


def why_chosen(row: pd.Series) -> str:
    """The mart's choice in words: widest period, then H2 over H1, then the longest report."""
    periods = [p for p in (row["periods_reported"] if row["periods_reported"] is not None else []) if p]
    n_reports = int(row["n_reports"])
    if n_reports == 1:
        return "the only report of this region and year"
    reasons = []
    if len(periods) > 1:
        reasons.append(f"the widest period among {', '.join(periods)}")
    if n_reports > len(periods):
        reasons.append(f"the longest of the reports of that period ({n_reports} reports in all)")
    return "; ".join(reasons) or f"chosen among {n_reports} reports"


def highlight_spans(text: str, spans: list[tuple[int, int]], selected: tuple[int, int] | None = None) -> str:
    """The report as HTML with every figure's clause marked, the selected one more strongly.

    Spans are character offsets into the normalized text (the contract's span_start/span_end);
    overlapping spans are merged so that marks never nest.
    """
    merged: list[list[int]] = []
    for start, end in sorted((s, e) for s, e in spans if 0 <= s < e <= len(text)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, position = [], 0
    for start, end in merged:
        out.append(html.escape(text[position:start]))
        strong = selected is not None and start <= selected[0] and selected[1] <= end
        css = "sti-mark sti-selected" if strong else "sti-mark"
        out.append(f'<mark class="{css}">{html.escape(text[start:end])}</mark>')
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


# ---------------------------------------------------------------- terms


def term_usage(wh: Warehouse) -> pd.DataFrame:
    return wh.named("term_usage")


# ---------------------------------------------------------------- data quality


def confidence_threshold(wh: Warehouse) -> tuple[float, str]:
    """The region-confidence threshold the marts publish, if any (a column named like *threshold* in a
    core or marts table), else the dashboard's default; with where it came from."""
    found = wh.query(
        "select table_schema, table_name, column_name from information_schema.columns"
        " where table_catalog = ? and table_schema in ('core', 'marts') and column_name ilike '%threshold%'"
        " and data_type in ('DOUBLE', 'FLOAT', 'DECIMAL', 'REAL') order by table_schema, table_name",
        (CATALOG,),
    )
    for row in found.itertuples():
        value = wh.query(f"select max({_ident(row.column_name)}) as v from {_ident(row.table_schema)}."
                         f"{_ident(row.table_name)}")["v"].iloc[0]  # fmt: skip
        if _none(value) is not None and 0 < float(value) <= 1:
            return float(value), f"{row.table_schema}.{row.table_name}.{row.column_name}"
    return DEFAULT_CONFIDENCE_THRESHOLD, "the dashboard's default (the warehouse publishes none)"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def unresolved_reports(wh: Warehouse) -> pd.DataFrame:
    return wh.named("unresolved_reports", (LIST_LIMIT,))


def low_confidence_reports(wh: Warehouse, threshold: float) -> pd.DataFrame:
    return wh.named("low_confidence_reports", (threshold, LIST_LIMIT))


def flagged_counts(wh: Warehouse) -> pd.DataFrame:
    return wh.named("flagged_counts")


def flagged_figures(wh: Warehouse, *, suspect: bool, redacted: bool) -> pd.DataFrame:
    return wh.named("flagged_figures", (suspect, redacted, LIST_LIMIT))


def quality_tables(wh: Warehouse) -> list[str]:
    """Tables listing flagged figures with a reason, where the warehouse has them (core or marts)."""
    found = []
    for schema in ("core", "marts"):
        for table in sorted(wh.tables(schema)):
            if QUALITY_TABLE_NAME.search(table) and "reason" in wh.columns(schema, table):
                found.append(f"{schema}.{table}")
    return found


def quality_table_rows(wh: Warehouse, name: str) -> tuple[pd.DataFrame, int]:
    schema, table = name.split(".")
    qualified = f"{_ident(schema)}.{_ident(table)}"
    total = int(wh.query(f"select count(*) as n from {qualified}")["n"].iloc[0])
    return wh.query(f"select * from {qualified} limit ?", (LIST_LIMIT,)), total
