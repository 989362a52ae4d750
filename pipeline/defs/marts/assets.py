"""The dbt project in sql/ as Dagster assets; its tests become asset checks."""

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject, dbt_assets

from pipeline.defs.marts.resources import DbtRunnerResource
from pipeline.defs.settings import DBT_PROJECT_DIR, DUCKDB_WRITE_POOL
from pipeline.defs.warehouse.resources import WarehouseResource
from pipeline.load import tested_marker_for

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()


class StiTranslator(DagsterDbtTranslator):
    """Models keep their schema as key prefix (marts/…, staging/…) and their folder as group."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest["nodes"].get(unique_id) or manifest["sources"][unique_id]
        if node["resource_type"] == "source":
            return spec.replace_attributes(key=dg.AssetKey([node["schema"], node["name"]]))
        return spec.replace_attributes(key=dg.AssetKey([node["schema"], node["name"]]), group_name=node["schema"])


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=StiTranslator(),
    pool=DUCKDB_WRITE_POOL,
)
def sti_dbt_models(context: dg.AssetExecutionContext, dbt: DbtRunnerResource, warehouse: WarehouseResource):
    """Run and test the staging views and marts on the run's build file, never the published one
    (sql/profiles.yml: `<STI_WAREHOUSE>.build`). Only a build on which every model and test passed
    is marked as publishable."""
    if os.environ.get("STI_WAREHOUSE") != warehouse.path:
        raise RuntimeError("dbt reads the warehouse path from STI_WAREHOUSE: it must be the warehouse resource's path")
    yield from dbt.build(context)
    if set(context.selected_asset_keys) == set(context.assets_def.keys):
        tested_marker_for(warehouse.build).touch()
