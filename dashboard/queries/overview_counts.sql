-- Overview: what the published warehouse holds and how much of it can be placed and dated.
-- Counted reports are those that are not a second copy of another (duplicate_of is null).
select
    count(*) filter (where duplicate_of is null) as n_reports,
    count(*) filter (where duplicate_of is not null) as n_duplicates,
    count(*) filter (where duplicate_of is null and doc_kind = 'bureau_report') as n_bureau_reports,
    count(distinct source_file) as n_files_with_reports,
    count(distinct province) filter (where duplicate_of is null) as n_provinces,
    min(year) filter (where duplicate_of is null) as first_year,
    max(year) filter (where duplicate_of is null) as last_year,
    count(*) filter (where duplicate_of is null and province is null) as n_without_province,
    count(*) filter (where duplicate_of is null and year is null) as n_without_year,
    count(*) filter (where duplicate_of is null and period is null) as n_without_period,
    (select count(*) from core.rejected_inputs) as n_rejected,
    (select any_value(n_source_files) from core.load_state) as n_source_files,
    (select count(distinct concat_ws('|', region_level, province, city, county)) from marts.region_period_choice)
        as n_regions
from core.documents
