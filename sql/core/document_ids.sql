-- Every report of `reports` with its document_id (pipeline/tables.py: normalize_files): the first 16 hex
-- digits of the SHA-256 of the raw file's content hash and the report's segment_no joined by U+001F. The
-- id names the report by the file's bytes and its place in the file, never by the path: a renamed or
-- moved file keeps its ids. Byte-identical files at several paths would share ids, so the n-th of them in
-- source_file order (n > 1) adds n as a third part; the copies are duplicates (duplicate_of) of the first.
select * exclude (copy_no), left(sha256(concat_ws(chr(31),
    content_hash,
    cast(segment_no as varchar),
    case when copy_no > 1 then cast(copy_no as varchar) end
)), 16) as document_id
from (select *, dense_rank() over (partition by content_hash order by source_file) as copy_no from reports)
