-- depends_on: {{ ref('stg_load_changes') }}
{{ config(materialized='incremental', incremental_strategy='append',
    pre_hook="{{ delete_changed('region_year_key', 'region_year_key') }}") }}
-- One row per region and year: the actual (done or counted) figures side by side, for dashboards.
-- Each column adds one funding kind, action or measure only (see region_year_measures for the rules).
select
    c.region_year_key,
    c.region_level,
    c.region_name,
    c.province,
    c.city,
    c.county,
    c.region_code,
    c.year,
    c.period_used,
    c.periods_reported,
    c.n_reports,
    {%- for kind in ['subsidy', 'project_grant', 'project_request', 'financing', 'rd_expenditure',
                     'leveraged_investment', 'in_kind', 'other'] %}
    sum(m.total_value) filter (where m.indicator = 'funding' and m.detail = '{{ kind }}') as funding_{{ kind }}_cny,
    {%- endfor %}
    {%- for action in ['apply', 'recognized', 'reexamined', 'cultivated', 'new', 'stock'] %}
    sum(m.total_value) filter (where m.indicator = 'high_tech' and m.detail = '{{ action }}') as high_tech_{{ action }},
    {%- endfor %}
    sum(m.total_value) filter (where m.indicator = 'patent' and m.measure = 'applications' and m.detail is null)
        as patent_applications,
    sum(m.total_value) filter (where m.indicator = 'patent' and m.measure = 'applications' and m.detail = 'invention')
        as invention_patent_applications,
    sum(m.total_value) filter (where m.indicator = 'patent' and m.measure = 'grants' and m.detail is null)
        as patent_grants,
    sum(m.total_value) filter (where m.indicator = 'patent' and m.measure = 'grants' and m.detail = 'invention')
        as invention_patent_grants,
    sum(m.total_value) filter (where m.indicator = 'training' and m.measure = 'sessions') as training_sessions,
    sum(m.total_value) filter (where m.indicator = 'training' and m.measure = 'participants') as training_participants
from {{ ref('region_period_choice') }} as c
left join {{ ref('region_year_measures') }} as m
    on m.region_year_key = c.region_year_key and m.status = 'actual'
where {{ changed_only('c.region_year_key', 'region_year_key') }}
group by all
