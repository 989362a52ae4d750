-- Every region comparisons can use, with the years it reported.
select
    region_level, region_name, province, city, county, max(region_code) as region_code,
    list(distinct year order by year) filter (where year is not null) as years,
    count(*) as n_region_years
from marts.region_period_choice
group by region_level, region_name, province, city, county
order by province, city nulls first, county nulls first
