-- Counted reports per year and period, for the coverage chart (NULL year: redacted or unknown).
select year, coalesce(period, 'unknown') as period, count(*) as n_reports
from core.documents
where duplicate_of is null
group by all
order by year nulls last, period
