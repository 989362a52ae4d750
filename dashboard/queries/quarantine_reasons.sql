-- Why raw files were quarantined, most frequent reason first.
select reason, count(*) as n_files, sum(size_bytes) as size_bytes
from core.rejected_inputs
group by reason
order by n_files desc, reason
