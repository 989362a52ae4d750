-- Every row of `facts` with its fact_id (pipeline/tables.py: analyze_reports): what the fact is and
-- where it stands, not its rank, hashed as pipeline/tasks.py `_hash` does (U+001F between the
-- parts, Python's 'None' for a missing one, first 16 hex digits of SHA-256).
select *, left(sha256(concat_ws(chr(31),
    document_id,
    indicator,
    measure,
    coalesce(cast(value as varchar), 'None'),
    status,
    coalesce(detail, 'None'),
    cast(span_start as varchar),
    cast(span_end as varchar),
    -- one sum given to each of several recipients: one fact each (NULL, skipped, for every other fact)
    case when recipient > 0 then cast(recipient as varchar) end
)), 16) as fact_id
from facts
