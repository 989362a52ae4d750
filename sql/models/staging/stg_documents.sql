-- One row per report, with the region level it resolved to and the rank of its period,
-- so marts can pick the widest period per region and year.
select
    document_id,
    source_file,
    segment_no,
    title,
    n_chars,
    source_encoding,
    was_traditional,
    doc_kind,
    province,
    city,
    county,
    region_code,
    region_confidence,
    year,
    period,
    duplicate_of,
    duplicate_of is null as is_counted,
    -- What regional comparisons use: a counted report of a government S&T body placed in a region.
    duplicate_of is null and doc_kind = 'bureau_report' and region_level_name is not null as is_comparable,
    region_level_name as region_level,
    coalesce(county, city, province) as region_name,
    -- One key per region (at its most specific level) and year. A report whose year is unknown is a
    -- bucket of its own: two reports with a redacted year may cover different years.
    {{ region_year_key('region_level_name', 'province', 'city', 'county', 'year', 'document_id') }} as region_year_key,
    -- Months covered: a wider report includes the narrower ones of the same year.
    case period
        when 'annual' then 12
        when 'Q3' then 9
        when 'H1' then 6
        when 'H2' then 6
        when 'Q1' then 3
        when 'Q2' then 3
        when 'Q4' then 3
        else 0
    end as period_months
from {{ source('core', 'documents') }},
    lateral (select {{ region_level('province', 'city', 'county') }} as region_level_name)
