-- The `core` schema of the warehouse: one row per thing that happened, as written in a report.
-- Column names and types are the public contract (../shared/CONTRACT.md); extra columns are ours.
-- pipeline/load.py runs this file on a fresh build database, then appends Arrow tables BY NAME.
create schema if not exists core;

create table core.documents (
    document_id      varchar primary key,   -- hash of the file's content_hash and segment_no (sql/core/document_ids.sql): survives a move
    source_file      varchar not null,      -- path relative to STI_RAW_DIR, with '/'
    segment_no       integer not null,      -- 1-based position of the report inside its file
    title            varchar,
    n_chars          integer not null,
    source_encoding  varchar not null,
    was_traditional  boolean not null,
    doc_kind         varchar not null,      -- bureau_report | other
    province         varchar,
    city             varchar,
    county           varchar,
    region_code      varchar,
    year             integer,
    period           varchar,               -- Q1 Q2 Q3 Q4 H1 H2 annual
    duplicate_of     varchar,               -- document_id of the first copy
    content_hash     varchar not null,      -- sha256 of the raw file's bytes
    text_hash        varchar not null,      -- hash of the normalized text that decides duplicates
    region_confidence double,
    region_evidence  varchar,
    period_evidence  varchar,
    normalize_rules  varchar[],             -- audit trail: which normalization rules fired on this report
    damaged_spans    integer[][],           -- [start, end) of mojibake that extraction did not read
    analysis_error   varchar,               -- why the rules failed on this report (a defect): it is then `other`, unplaced, without facts or terms; null when analysed
    text             varchar not null       -- the normalized report; evidence offsets point into it
);

create table core.rejected_inputs (
    source_file   varchar primary key,
    content_hash  varchar,           -- null when the file's bytes could not be read at all
    size_bytes    bigint not null,
    reason        varchar not null
);

create table core.fact_funding (
    fact_id       varchar primary key,
    document_id   varchar not null references core.documents (document_id),
    status        varchar not null,
    approx        varchar not null,
    is_component  boolean not null,
    is_redacted   boolean not null,
    is_suspect    boolean not null,
    is_restatement boolean not null,
    is_cumulative boolean not null,
    evidence      varchar not null,
    span_start    integer not null,
    span_end      integer not null,
    amount_cny    double,
    funding_kind  varchar not null,
    yoy_pct       double,
    recipient_no  integer                -- 1..k where one sum went to each of k recipients (两家分获50万元)
);

create table core.fact_high_tech_enterprises (
    fact_id           varchar primary key,
    document_id       varchar not null references core.documents (document_id),
    status            varchar not null,
    approx            varchar not null,
    is_component      boolean not null,
    is_redacted       boolean not null,
    is_suspect        boolean not null,
    is_restatement    boolean not null,
    is_cumulative     boolean not null,
    evidence          varchar not null,
    span_start        integer not null,
    span_end          integer not null,
    enterprise_count  integer,
    action            varchar not null,
    enterprise_names  varchar[]
);

create table core.fact_patents (
    fact_id       varchar primary key,
    document_id   varchar not null references core.documents (document_id),
    status        varchar not null,
    approx        varchar not null,
    is_component  boolean not null,
    is_redacted   boolean not null,
    is_suspect    boolean not null,
    is_restatement boolean not null,
    is_cumulative boolean not null,
    evidence      varchar not null,
    span_start    integer not null,
    span_end      integer not null,
    measure       varchar not null,      -- applications | grants
    patent_count  integer,
    is_invention  boolean not null,
    yoy_pct       double
);

create table core.fact_training (
    fact_id       varchar primary key,
    document_id   varchar not null references core.documents (document_id),
    status        varchar not null,
    approx        varchar not null,
    is_component  boolean not null,
    is_redacted   boolean not null,
    is_suspect    boolean not null,
    is_restatement boolean not null,
    is_cumulative boolean not null,
    evidence      varchar not null,
    span_start    integer not null,
    span_end      integer not null,
    measure       varchar not null,      -- sessions | participants
    value         integer
);

create table core.document_terms (
    document_id  varchar not null references core.documents (document_id),
    term         varchar not null,
    n            integer not null,
    primary key (document_id, term)
);

-- Every suspect figure and why (pipeline/quality.py): flagged at extraction, or money above the ceiling of
-- its region level. Suspect figures stay in the fact tables (is_suspect) and are left out of the marts.
create table core.quality_flags (
    fact_id      varchar not null,
    document_id  varchar not null references core.documents (document_id),
    indicator    varchar not null,   -- funding | high_tech | patent | training
    check_name   varchar not null,   -- extraction | money_plausible
    reason       varchar not null,
    evidence     varchar not null,
    primary key (fact_id, check_name)
);

-- One row: what the published warehouse was built from, so a run with no new input writes nothing.
create table core.load_state (
    fingerprint     varchar not null,
    n_source_files  integer not null,
    pipeline_version varchar not null,     -- pipeline/memo.py: code, data files and libraries of the stages
    sql_version     varchar not null       -- pipeline/load.py: core schema and dbt project
);

-- Where the reports a patch deleted or inserted are placed (sql/core/patch_core_tables.sql), before and
-- after: the regions and years whose marts the next dbt build recomputes (sql/models/staging/stg_load_changes.sql).
-- Empty after a fresh build, whose marts dbt builds whole. Bookkeeping, not part of the contract.
create table core.load_changes (
    document_id  varchar not null,
    province     varchar,
    city         varchar,
    county       varchar,
    year         integer
);

-- The four facts in one long view. Only reports that are not duplicates contribute.
create view core.indicator_observations as
with facts as (
    select fact_id, document_id, 'funding' as indicator, 'amount_cny' as measure, amount_cny as value,
           status, approx, funding_kind as detail, is_component, is_redacted, is_suspect, is_restatement, is_cumulative, evidence, span_start, span_end
    from core.fact_funding
    union all
    select fact_id, document_id, 'high_tech', 'enterprises', enterprise_count,
           status, approx, action, is_component, is_redacted, is_suspect, is_restatement, is_cumulative, evidence, span_start, span_end
    from core.fact_high_tech_enterprises
    union all
    select fact_id, document_id, 'patent', measure, patent_count,
           status, approx, case when is_invention then 'invention' end, is_component, is_redacted, is_suspect,
           is_restatement, is_cumulative,
           evidence, span_start, span_end
    from core.fact_patents
    union all
    select fact_id, document_id, 'training', measure, value,
           status, approx, null, is_component, is_redacted, is_suspect, is_restatement, is_cumulative, evidence, span_start, span_end
    from core.fact_training
)
select d.source_file, f.document_id, f.fact_id, f.indicator, f.measure, cast(f.value as double) as value,
       f.status, f.approx, f.detail, f.is_component, f.is_redacted, f.is_suspect, f.is_restatement, f.is_cumulative,
       d.province, d.city, d.county, d.region_code, d.year, d.period,
       f.evidence, f.span_start, f.span_end
from facts f
join core.documents d using (document_id)
-- No ORDER BY: a view's order is kept by whatever reads it, so every dbt test and mart that reads this view
-- sorted every figure of the corpus (at 100,000 reports, 5 million rows: more than 512 MB for one test).
-- For reading order, add: order by source_file, span_start (and segment_no from core.documents).
where d.duplicate_of is null;
