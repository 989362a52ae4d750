-- Every combination the comparison page can offer: only those with at least one figure added.
select indicator, measure, detail, status, region_level, year, count(*) as n_regions
from marts.region_year_measures
where total_value is not null
group by all
