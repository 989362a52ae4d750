-- Per year of one region: the report whose figures are used (the mart's choice) and what else was reported.
select
    c.year, c.period_used, c.periods_reported, c.n_reports, c.document_used,
    d.title, d.source_file, d.segment_no, d.n_chars, d.region_confidence
from marts.region_period_choice as c
join core.documents as d on d.document_id = c.document_used
where c.region_level = ? and c.province is not distinct from ? and c.city is not distinct from ?
    and c.county is not distinct from ?
order by c.year nulls last, c.document_used
