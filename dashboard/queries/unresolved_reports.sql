-- Counted reports with no province: they take no part in regional comparisons.
select source_file, segment_no, title, doc_kind, year, period, region_confidence, region_evidence,
    count(*) over () as n_total
from core.documents
where duplicate_of is null and province is null
order by source_file, segment_no
limit ?
