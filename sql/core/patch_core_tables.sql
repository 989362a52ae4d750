-- Bring a copy of the published warehouse to the rows of this run (pipeline/load.py: patch_build).
-- The new rows are registered as incoming_<table>, with the columns of core.<table> in their order.
-- Every row but the quarantine's and the load state's belongs to a report: a report whose rows
-- differ in any table, or that exists on one side only, has all its rows deleted and inserted again;
-- the rows of every other report are already right. EXCEPT ALL, not EXCEPT: a row the run produced
-- twice must reach the inserts and fail on its key there, as it would in a fresh build.
-- Cost: the comparison scans both sides, the writes touch only the changed reports.

create or replace temp table changed_documents as
select document_id from (select * from core.documents except all select * from incoming_documents)
union select document_id from (select * from incoming_documents except all select * from core.documents)
union select document_id from (select * from core.fact_funding except all select * from incoming_fact_funding)
union select document_id from (select * from incoming_fact_funding except all select * from core.fact_funding)
union select document_id from (
    select * from core.fact_high_tech_enterprises except all select * from incoming_fact_high_tech_enterprises
)
union select document_id from (
    select * from incoming_fact_high_tech_enterprises except all select * from core.fact_high_tech_enterprises
)
union select document_id from (select * from core.fact_patents except all select * from incoming_fact_patents)
union select document_id from (select * from incoming_fact_patents except all select * from core.fact_patents)
union select document_id from (select * from core.fact_training except all select * from incoming_fact_training)
union select document_id from (select * from incoming_fact_training except all select * from core.fact_training)
union select document_id from (select * from core.document_terms except all select * from incoming_document_terms)
union select document_id from (select * from incoming_document_terms except all select * from core.document_terms)
union select document_id from (select * from core.quality_flags except all select * from incoming_quality_flags)
union select document_id from (select * from incoming_quality_flags except all select * from core.quality_flags);

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
