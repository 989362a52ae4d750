select province, term, n_mentions, n_reports_using, n_reports, mentions_per_10k_chars
from marts.region_term_usage
order by province, term
