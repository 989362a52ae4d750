"""The dbt project in sql/ as Dagster assets; its tests become asset checks."""

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from pipeline.defs.settings import DBT_PROJECT_DIR, DUCKDB_WRITE_POOL
from pipeline.defs.warehouse.resources import WarehouseResource

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
def sti_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """Run and test the staging views and marts on the run's build file, never the published one."""
    os.environ["STI_WAREHOUSE_BUILD"] = str(warehouse.build)
    yield from dbt.cli(["build"], context=context).stream()
