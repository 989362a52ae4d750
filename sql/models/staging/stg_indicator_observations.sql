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
    -- What a roll-up may add: no component beside its total, no hidden number, no site-pasted year.
    not is_component and not is_redacted and not is_suspect and value is not null as is_additive,
    evidence
from {{ source('core', 'indicator_observations') }}
