"""dbt, run inside the Dagster run's process instead of as a `dbt` subprocess.

`DbtCliResource.cli` pays a fixed toll on every run whatever changed: a `dbt --version`
subprocess, then a `dbt build` subprocess that imports dbt and re-reads the project (about 9 s of
the 13 s the dbt step took on 2,000 reports; the 57 models and tests themselves take about 3 s).
The sensor starts a run for every new file, so that toll was most of the cost of adding one file.
Here dbt is imported with the code location, invoked through its Python API (`dbtRunner`), and
its result events are turned into Dagster events by dagster-dbt's own translation
(`DbtCliEventMessage.to_default_asset_events`), so asset keys, check results, severities and
subset selection are the same as with `DbtCliResource`.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt.asset_utils import get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
from dagster_dbt.dagster_dbt_translator import DagsterDbtTranslator
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner
from dbt_common.events.base_types import EventMsg
from dbt_common.events.functions import msg_to_dict

# The dbt events that carry a node's result; dagster-dbt turns each into an Output or a check result.
RESULT_EVENTS = frozenset({"LogModelResult", "LogTestResult", "LogSeedResult", "LogSnapshotResult"})


class DbtRunnerResource(dg.ConfigurableResource):
    """Runs `dbt build` for the selected dbt assets and yields their Dagster events."""

    project_dir: str
    profiles_dir: str
    # One artifacts folder, overwritten by each run (runs are one at a time), relative to project_dir.
    target_path: str = "target/dagster"

    def build(self, context: dg.AssetExecutionContext) -> Iterator[Any]:
        """Build and test what the run selected; raise after yielding every result if any node failed."""
        params = get_updated_cli_invocation_params_for_context(
            context=context.op_execution_context, manifest={}, dagster_dbt_translator=DagsterDbtTranslator()
        )
        project_dir = Path(params.dbt_project.project_dir) if params.dbt_project else Path(self.project_dir)
        target_path = project_dir / self.target_path
        results: list[dict[str, Any]] = []

        def keep_result(event: EventMsg) -> None:
            if event.info.name in RESULT_EVENTS:
                results.append(msg_to_dict(event))

        args = [
            "build",
            *params.selection_args,
            *(["--indirect-selection", params.indirect_selection] if params.indirect_selection else []),
            "--project-dir",
            str(project_dir),
            "--profiles-dir",
            self.profiles_dir,
            "--target-path",
            str(target_path),
            "--log-path",
            str(target_path),
            # Dagster reads the manifest `make manifest` wrote and records every result itself: rewriting
            # manifest.json and run_results.json on each run cost about half a second.
            "--no-write-json",
            # The console gets errors only; dbt's full log is its file in the target path.
            "--quiet",
        ]
        context.log.info(f"dbt {' '.join(args)}")
        try:
            outcome = dbtRunner(callbacks=[keep_result]).invoke(args)
        finally:
            _release_duckdb()
        for raw_event in results:
            event = DbtCoreCliEventMessage(raw_event=raw_event, event_history_metadata={})
            yield from event.to_default_asset_events(
                manifest=params.manifest,
                dagster_dbt_translator=params.dagster_dbt_translator,
                context=context,
                target_path=target_path,
                project=params.dbt_project,
            )
        if not outcome.success:
            nodes = outcome.result.results if outcome.result is not None else []
            failed = [r.node.unique_id for r in nodes if r.status in ("error", "fail")]
            raise dg.Failure(
                description=f"dbt build failed: {outcome.exception or ', '.join(failed)}",
                metadata={"failed_nodes": failed},
            )


def _release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open after an in-process invocation.

    dbt-duckdb holds one DuckDB instance per process (`keep_open` defaults to true) so the nodes of
    a build share it. Left open, it would keep the build file open in this process: the file is
    then renamed into the published warehouse, and a later run in the same process would reuse
    the cached instance of that path instead of opening its new build file.
    """
    environment = DuckDBConnectionManager._ENV
    try:
        if environment is not None:
            environment.close()
    finally:
        DuckDBConnectionManager.close_all_connections()
