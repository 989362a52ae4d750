select source_file, reason, size_bytes, content_hash
from core.rejected_inputs
order by source_file
limit ?
