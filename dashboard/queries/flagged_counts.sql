select indicator,
    count(*) filter (where is_suspect) as n_suspect,
    count(*) filter (where is_redacted) as n_redacted,
    count(*) as n_figures
from core.indicator_observations
group by indicator
order by indicator
