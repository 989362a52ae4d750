-- depends_on: {{ ref('stg_load_changes') }}
{{ config(materialized='incremental', incremental_strategy='append',
    pre_hook="{{ delete_changed('region_year_key', 'region_year_key') }}") }}
-- Totals of every measure per region, year, status and detail (funding kind, high-tech action,
-- invention), from the one report region_period_choice chose for that region and year.
-- Roll-up rules (../shared/CONTRACT.md): components, redacted figures, suspect figures, restatements,
-- cumulative flows and duplicate reports are never added; statuses and funding kinds are never added
-- together (they are separate rows); a stock is a level: the cell holds the report's total held (its
-- largest stock figure), not a sum of its stocks.
with used_documents as (
    select c.document_used as document_id, c.*
    from {{ ref('region_period_choice') }} as c
    where {{ changed_only('c.region_year_key', 'region_year_key') }}
)

select
    md5(concat_ws('|', u.region_year_key, o.indicator, o.measure, o.status, coalesce(o.detail, '-'))) as measure_key,
    u.region_year_key,
    u.region_level,
    u.region_name,
    u.province,
    u.city,
    u.county,
    u.region_code,
    u.year,
    u.period_used,
    o.indicator,
    o.measure,
    o.status,
    o.detail,
    case when bool_or(o.is_level)
        then max(o.value) filter (where o.is_additive)
        else sum(o.value) filter (where o.is_additive)
    end as total_value,
    count(*) filter (where o.is_additive) as n_figures_added,
    count(*) filter (where o.is_redacted) as n_redacted,
    count(*) filter (where o.is_component) as n_components_not_added,
    count(*) filter (where o.is_suspect) as n_suspect_not_added,
    count(*) filter (where o.is_restatement or o.is_cumulative) as n_restated_or_cumulative_not_added,
    coalesce(bool_or(o.approx = 'at_least') filter (where o.is_additive), false) as includes_lower_bounds,
    coalesce(bool_or(o.approx = 'about') filter (where o.is_additive), false) as includes_estimates,
    count(distinct o.document_id) as n_documents
from used_documents as u
join {{ ref('stg_indicator_observations') }} as o on o.document_id = u.document_id
group by all
