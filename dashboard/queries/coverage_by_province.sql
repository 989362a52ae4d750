select * from marts.region_resolution_coverage order by n_reports desc, province
