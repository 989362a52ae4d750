-- Per region and year, the period a comparison uses: the widest one reported (a Q1, an H1 and an
-- annual report of the same region and year overlap). Ties between H1 and H2 go to H2.
select
    region_year_key,
    region_level,
    any_value(region_name) as region_name,
    any_value(province) as province,
    any_value(city) as city,
    any_value(county) as county,
    max(region_code) as region_code,
    year,
    arg_max(period, period_months * 10 + case when period = 'H2' then 1 else 0 end) as period_used,
    list(distinct period order by period) filter (where period is not null) as periods_reported,
    count(*) as n_reports
from {{ ref('stg_documents') }}
where is_counted and region_level is not null
group by region_year_key, region_level, year
