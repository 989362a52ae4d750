-- Every total of one region, all years and statuses.
select year, period_used, indicator, measure, detail, status, total_value, n_figures_added, n_redacted,
    includes_lower_bounds, includes_estimates
from marts.region_year_measures
where region_level = ? and province is not distinct from ? and city is not distinct from ?
    and county is not distinct from ?
order by year nulls last, indicator, measure, detail nulls first, status
