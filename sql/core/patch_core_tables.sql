-- Bring a copy of the published warehouse to the rows of this run (pipeline/load.py: patch_build).
-- deleted_documents lists the reports whose rows go (gone from the raw folder, or changed: pipeline/load.py
-- changed_documents compares each report's keys); incoming_<table> holds the rows of the reports that come
-- in (new or changed), the whole quarantine and the load's state, with the columns of core.<table> in their
-- order. The rows of every other report are already right and are not read. core.load_changes keeps where
-- the reports going out and coming in are placed, so that the marts rebuild only those regions and years.

-- Children before their report on the way out, after it on the way in, each step its own transaction:
-- DuckDB checks keys and foreign keys against rows deleted earlier in the same transaction.
begin;
delete from core.load_changes;
insert into core.load_changes
select document_id, province, city, county, year
from core.documents where document_id in (select document_id from deleted_documents);
delete from core.fact_funding where document_id in (select document_id from deleted_documents);
delete from core.fact_high_tech_enterprises where document_id in (select document_id from deleted_documents);
delete from core.fact_patents where document_id in (select document_id from deleted_documents);
delete from core.fact_training where document_id in (select document_id from deleted_documents);
delete from core.document_terms where document_id in (select document_id from deleted_documents);
delete from core.quality_flags where document_id in (select document_id from deleted_documents);
delete from core.rejected_inputs;
delete from core.load_state;
commit;

begin;
delete from core.documents where document_id in (select document_id from deleted_documents);
commit;

begin;
insert into core.documents select * from incoming_documents;
insert into core.fact_funding select * from incoming_fact_funding;
insert into core.fact_high_tech_enterprises select * from incoming_fact_high_tech_enterprises;
insert into core.fact_patents select * from incoming_fact_patents;
insert into core.fact_training select * from incoming_fact_training;
insert into core.document_terms select * from incoming_document_terms;
insert into core.quality_flags select * from incoming_quality_flags;
insert into core.rejected_inputs select * from incoming_rejected_inputs;
insert into core.load_state select * from incoming_load_state;
insert into core.load_changes select document_id, province, city, county, year from incoming_documents;
commit;
