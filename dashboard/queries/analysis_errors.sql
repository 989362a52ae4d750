-- Reports the extraction rules failed on (pipeline/tasks.py): kept unplaced and without figures.
select source_file, segment_no, title, analysis_error, count(*) over () as n_total
from core.documents
where analysis_error is not null
order by source_file, segment_no
limit ?
