-- Regions and region-years that comparisons can use, per level.
select
    region_level,
    count(distinct concat_ws('|', province, city, county)) as n_regions,
    count(*) filter (where year is not null) as n_region_years,
    count(*) filter (where year is null) as n_undated_reports
from marts.region_period_choice
group by region_level
order by case region_level when 'province' then 1 when 'city' then 2 else 3 end
