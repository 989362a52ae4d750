-- Regions of one level ranked by one figure (indicator, measure, detail, status) in one year.
-- `detail` and `year` match NULL to NULL: all patent kinds, or the bucket of undated reports.
select
    region_name, province, city, county, region_code, region_level, year, period_used,
    total_value, n_figures_added, n_redacted, n_components_not_added, n_suspect_not_added,
    includes_lower_bounds, includes_estimates
from marts.region_year_measures
where indicator = ? and measure = ? and detail is not distinct from ? and status = ?
    and year is not distinct from ? and region_level = ? and total_value is not null
order by total_value desc, province, region_name
