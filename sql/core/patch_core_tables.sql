-- Bring a copy of the published warehouse to the rows of this run (pipeline/load.py: patch_build).
-- The new rows are registered as incoming_<table>, with the columns of core.<table> in their order.
-- Every row but the quarantine's and the load state's belongs to a report: a report whose rows
-- differ in any table, or that exists on one side only, has all its rows deleted and inserted again;
-- the rows of every other report are already right. Each side is summed per report and table: the
-- number of rows and the sum of their hashes (a multiset digest, so a row the run produced twice
-- changes it, reaches the inserts and fails on its key there, as it would in a fresh build). The text
-- of a report (core.documents.text) is left out: it is a function of the file's bytes (content_hash, compared)
-- and of the pipeline version, and a warehouse of another pipeline version is never patched (pipeline/load.py).
-- Cost: one streaming aggregation per side into one row per report and table, so the comparison holds
-- about 20 bytes per row in memory where comparing whole rows (EXCEPT ALL) held every row; the writes
-- touch only the changed reports.

create or replace temp macro report_digests(source, name) as table
select document_id, name as tbl, count(*) as n, sum(hash(r)::hugeint) as h
from (select columns(lambda c: c != 'text') from query_table(source)) r
group by document_id;

-- Every per-report table of one side: the published copy (prefix 'core.') or this run's rows ('incoming_').
create or replace temp macro side_digests(prefix) as table
from report_digests(prefix || 'documents', 'documents')
union all from report_digests(prefix || 'fact_funding', 'fact_funding')
union all from report_digests(prefix || 'fact_high_tech_enterprises', 'fact_high_tech_enterprises')
union all from report_digests(prefix || 'fact_patents', 'fact_patents')
union all from report_digests(prefix || 'fact_training', 'fact_training')
union all from report_digests(prefix || 'document_terms', 'document_terms')
union all from report_digests(prefix || 'quality_flags', 'quality_flags');

create or replace temp table changed_documents as
select distinct document_id
from side_digests('core.') p
full outer join side_digests('incoming_') i using (document_id, tbl)
where p.n is distinct from i.n or p.h is distinct from i.h;

-- Children before their report on the way out, after it on the way in, each step its own transaction:
-- DuckDB checks keys and foreign keys against rows deleted earlier in the same transaction.
begin;
delete from core.fact_funding where document_id in (select document_id from changed_documents);
delete from core.fact_high_tech_enterprises where document_id in (select document_id from changed_documents);
delete from core.fact_patents where document_id in (select document_id from changed_documents);
delete from core.fact_training where document_id in (select document_id from changed_documents);
delete from core.document_terms where document_id in (select document_id from changed_documents);
delete from core.quality_flags where document_id in (select document_id from changed_documents);
delete from core.rejected_inputs;
delete from core.load_state;
commit;

begin;
delete from core.documents where document_id in (select document_id from changed_documents);
commit;

begin;
insert into core.documents
select * from incoming_documents where document_id in (select document_id from changed_documents);
insert into core.fact_funding
select * from incoming_fact_funding where document_id in (select document_id from changed_documents);
insert into core.fact_high_tech_enterprises
select * from incoming_fact_high_tech_enterprises where document_id in (select document_id from changed_documents);
insert into core.fact_patents
select * from incoming_fact_patents where document_id in (select document_id from changed_documents);
insert into core.fact_training
select * from incoming_fact_training where document_id in (select document_id from changed_documents);
insert into core.document_terms
select * from incoming_document_terms where document_id in (select document_id from changed_documents);
insert into core.quality_flags
select * from incoming_quality_flags where document_id in (select document_id from changed_documents);
insert into core.rejected_inputs select * from incoming_rejected_inputs;
insert into core.load_state select * from incoming_load_state;
commit;
