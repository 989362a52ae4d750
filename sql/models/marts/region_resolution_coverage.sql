-- depends_on: {{ ref('stg_load_changes') }}
{{ config(materialized='incremental', incremental_strategy='append',
    pre_hook="{{ delete_changed('province', 'province_key') }}") }}
-- Per province, how many reports resolved at each level, and how many have a year and a period:
-- the coverage of the regional comparisons at a glance.
select
    coalesce(province, '(unresolved)') as province,
    count(*) as n_reports,
    count(*) filter (where region_level = 'county') as n_county_level,
    count(*) filter (where region_level = 'city') as n_city_level,
    count(*) filter (where region_level = 'province') as n_province_level,
    count(*) filter (where year is not null) as n_with_year,
    count(*) filter (where period is not null) as n_with_period,
    count(*) filter (where doc_kind = 'bureau_report') as n_bureau_reports,
    -- bureau reports left out of the comparisons because their region is not trusted enough
    count(*) filter (
        where is_comparable and region_confidence < {{ var('region_confidence_threshold', 0.6) }}
    ) as n_below_confidence_threshold
from {{ ref('stg_documents') }}
where is_counted and {{ changed_only("coalesce(province, '(unresolved)')", 'province_key') }}
group by 1
