-- depends_on: {{ ref('stg_load_changes') }}
{{ config(materialized='incremental', incremental_strategy='append',
    pre_hook="{{ delete_changed('region_year_key', 'region_year_key') }}") }}
-- Per region and year, the one report comparisons use: the widest period reported (a Q1, an H1 and an
-- annual report of the same region and year overlap), then H2 over H1, then the longest report (two
-- reports of the same period are usually two versions of one report). Every period reported is listed.
-- Only reports placed with region_confidence (a calibrated probability that the region is right, see
-- pipeline/data/region_calibration.toml) of at least the var region_confidence_threshold take part:
-- 0.6 by default: on the labelled documents and their degraded copies, resolutions given 0.6 or more were
-- right 97% of the time; those below (a place named once, in passing) about half the time.
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
    count(*) as n_reports,
    {{ var('region_confidence_threshold', 0.6) }} as region_confidence_threshold
from {{ ref('stg_documents') }}
where is_comparable
    and region_confidence >= {{ var('region_confidence_threshold', 0.6) }}
    and {{ changed_only('region_year_key', 'region_year_key') }}
group by region_year_key, region_level, year
