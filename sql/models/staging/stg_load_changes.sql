-- The region-years and provinces of the reports the last patch of the warehouse removed or wrote, before
-- and after (core.load_changes): the keys whose mart rows the incremental marts rebuild. A province key is
-- written as the marts write it, '(unresolved)' for a report placed nowhere.
select distinct
    {{ region_year_key(region_level('province', 'city', 'county'), 'province', 'city', 'county', 'year', 'document_id') }}
        as region_year_key,
    coalesce(province, '(unresolved)') as province_key
from {{ source('core', 'load_changes') }}
