-- Every report of `reports` with its document_id (pipeline/tables.py: normalize_files): the first 16 hex
-- digits of the SHA-256 of source_file, segment_no and text joined by U+001F, the same string
-- pipeline/tasks.py `_hash` builds, so ids do not depend on which of the two computed them.
select *, left(sha256(concat_ws(chr(31), source_file, cast(segment_no as varchar), text)), 16) as document_id
from reports
