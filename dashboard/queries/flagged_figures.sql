-- Figures a roll-up leaves out because the source hid the number (redacted) or it is implausible (suspect).
select o.source_file, o.province, o.city, o.county, o.year, o.indicator, o.measure, o.detail, o.value,
    o.status, o.is_redacted, o.is_suspect, o.evidence, count(*) over () as n_total
from core.indicator_observations as o
where (? and o.is_suspect) or (? and o.is_redacted)
order by o.source_file, o.span_start
limit ?
