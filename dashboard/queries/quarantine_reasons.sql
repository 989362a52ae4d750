-- Why raw files were quarantined, most frequent reason first.
select reason, count(*) as n_files, cast(sum(size_bytes) as bigint) as size_bytes
from core.rejected_inputs
group by reason
order by n_files desc, reason
