"""The Dagster code location: the text pipeline, the warehouse load, the dbt marts and their automation."""

from __future__ import annotations

import dagster as dg

from pipeline.defs.automation.schedules import schedules
from pipeline.defs.automation.sensors import sensors
from pipeline.defs.marts.assets import sti_dbt_models
from pipeline.defs.marts.resources import DbtRunnerResource
from pipeline.defs.settings import DBT_PROJECT_DIR
from pipeline.defs.text import assets as text_assets
from pipeline.defs.text.resources import RawFilesResource
from pipeline.defs.warehouse import assets as warehouse_assets
from pipeline.defs.warehouse.resources import WarehouseResource

defs = dg.Definitions(
    assets=[*dg.load_assets_from_modules([text_assets, warehouse_assets]), sti_dbt_models],
    # Steps run one after another in the run's process: the stages are sequential anyway, and a
    # process per step would load jieba, the gazetteer and dbt's adapter once per step.
    executor=dg.in_process_executor,
    schedules=schedules,
    sensors=sensors,
    resources={
        "raw_store": RawFilesResource(root=dg.EnvVar("STI_RAW_DIR")),
        "warehouse": WarehouseResource(path=dg.EnvVar("STI_WAREHOUSE")),
        # dbt in the run's process (see pipeline/defs/marts/resources.py for why not the dbt CLI).
        "dbt": DbtRunnerResource(project_dir=str(DBT_PROJECT_DIR), profiles_dir=str(DBT_PROJECT_DIR)),
    },
)
