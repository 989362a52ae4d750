-- depends_on: {{ ref('stg_load_changes') }}
{{ config(materialized='incremental', incremental_strategy='append',
    pre_hook="{{ delete_changed('province', 'province_key') }}") }}
-- Policy emphasis by province: how often each domain term is used per 10,000 characters of report.
with docs as (
    select document_id, coalesce(province, '(unresolved)') as province, n_chars
    from {{ ref('stg_documents') }}
    where is_counted and {{ changed_only("coalesce(province, '(unresolved)')", 'province_key') }}
),

chars as (
    select province, sum(n_chars) as n_chars, count(*) as n_reports
    from docs
    group by province
)

select
    md5(concat_ws('|', d.province, t.term)) as term_key,
    d.province,
    t.term,
    cast(sum(t.n) as bigint) as n_mentions,
    count(distinct t.document_id) as n_reports_using,
    any_value(c.n_reports) as n_reports,
    round(sum(t.n) * 10000.0 / any_value(c.n_chars), 2) as mentions_per_10k_chars
from {{ ref('stg_document_terms') }} as t
join docs as d on d.document_id = t.document_id
join chars as c on c.province = d.province
group by d.province, t.term
