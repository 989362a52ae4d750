"""Jobs the automation launches."""

import os

import dagster as dg

from pipeline.defs.settings import WAREHOUSE_TAG

# Every asset: the text stages reuse their memo, so a run computes only new or changed files,
# and the load writes nothing when the published warehouse already holds the same rows.
refresh_warehouse = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all(),
    description="Bring the published warehouse up to date with STI_RAW_DIR.",
    tags={WAREHOUSE_TAG: os.environ["STI_WAREHOUSE"]},  # made absolute by pipeline.defs.settings
)
