-- Counted reports placed in a region with a confidence below the threshold.
select source_file, segment_no, title, province, city, county, region_confidence, region_evidence,
    count(*) over () as n_total
from core.documents
where duplicate_of is null and province is not null and region_confidence < ?
order by region_confidence, source_file, segment_no
limit ?
