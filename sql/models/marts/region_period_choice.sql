-- Per region and year, the one report comparisons use: the widest period reported (a Q1, an H1 and an
-- annual report of the same region and year overlap), then H2 over H1, then the longest report (two
-- reports of the same period are usually two versions of one report). Every period reported is listed.
select
    region_year_key,
    region_level,
    any_value(region_name) as region_name,
    any_value(province) as province,
    any_value(city) as city,
    any_value(county) as county,
    max(region_code) as region_code,
    year,
    first(period order by period_months desc, period = 'H2' desc, n_chars desc, document_id) as period_used,
    first(document_id order by period_months desc, period = 'H2' desc, n_chars desc, document_id) as document_used,
    list(distinct period order by period) filter (where period is not null) as periods_reported,
    count(*) as n_reports
from {{ ref('stg_documents') }}
where is_comparable
group by region_year_key, region_level, year
