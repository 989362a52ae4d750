-- Every figure of every counted (non-duplicate) report, in long form, from the contract's view.
select
    fact_id,
    document_id,
    source_file,
    indicator,
    measure,
    value,
    status,
    approx,
    detail,
    is_component,
    is_redacted,
    is_suspect,
    is_restatement,
    is_cumulative,
    -- What a roll-up may add: no component beside its total, no hidden number, no site-pasted year, no
    -- figure the report already stated, no flow summed over more than the report's period.
    not is_component and not is_redacted and not is_suspect and not is_restatement and not is_cumulative
        and value is not null as is_additive,
    -- A stock (high-tech enterprises held) is a level: a report's stocks are never added to each other.
    indicator = 'high_tech' and detail = 'stock' as is_level,
    evidence
from {{ source('core', 'indicator_observations') }}
