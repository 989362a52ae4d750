-- Every figure of one report in reading order, with what a roll-up needs to know about it.
select fact_id, indicator, measure, detail, value, status, approx, is_component, is_redacted, is_suspect,
    evidence, span_start, span_end
from core.indicator_observations
where document_id = ?
order by span_start, indicator, measure
