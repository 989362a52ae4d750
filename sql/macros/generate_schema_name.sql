{#- Models land in the schema they name (`marts`, `staging`), not `<target>_marts`:
    the schema names are part of the warehouse's public contract. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name is not none else target.schema }}
{%- endmacro %}
