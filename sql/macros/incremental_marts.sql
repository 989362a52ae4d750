{#- The key of a region (at its most specific level) and year, shared by stg_documents and the load's
    changes: a report whose year is unknown is a bucket of its own (two redacted years may differ). -#}
{% macro region_level(province, city, county) -%}
    case
        when {{ county }} is not null then 'county'
        when {{ city }} is not null then 'city'
        when {{ province }} is not null then 'province'
    end
{%- endmacro %}

{% macro region_year_key(level, province, city, county, year, document_id) -%}
    md5(concat_ws('|', {{ level }}, {{ province }}, {{ city }}, {{ county }},
        coalesce(cast({{ year }} as varchar), 'unknown:' || {{ document_id }})))
{%- endmacro %}

{#- The marts are incremental by the column `key` (a region-year, or a province): a run that patched the
    warehouse (core.load_changes lists the reports it wrote or removed) deletes the marts' rows of the keys
    those reports had or have, and the model's body, filtered by `changed_only(key)`, inserts them again.
    Every other key's rows are already right. A fresh build has no mart yet, and dbt builds it whole; a
    change to sql/ always gives a fresh build (pipeline/load.py: can_patch). -#}
{% macro delete_changed(key, changes_column) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ key }} in (select {{ changes_column }} from {{ ref('stg_load_changes') }})
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{% macro changed_only(expression, changes_column) -%}
    {%- if is_incremental() -%}
        {{ expression }} in (select {{ changes_column }} from {{ ref('stg_load_changes') }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
