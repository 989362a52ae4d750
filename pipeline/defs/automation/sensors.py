"""A sensor that notices new, changed or deleted files under STI_RAW_DIR and refreshes the warehouse."""

import hashlib
import os
from pathlib import Path

import dagster as dg

from pipeline import listing
from pipeline.defs.automation.jobs import refresh_warehouse


def raw_dir_state(root: Path) -> str:
    """A digest of every file's path, size and modification time: cheap, no file is read and each is
    stat'ed once (`make run` then tells what changed by the finer stat key)."""
    digest = hashlib.sha256()
    for rel, stat in sorted(listing.regular_files(os.fsencode(root)), key=lambda found: found[0]):
        # The name's bytes: one that is not UTF-8 (GBK) has no str encoding (pipeline/ingest.py: display_name).
        digest.update(b"%s\0%d\0%d\n" % (rel, stat.st_size, stat.st_mtime_ns))
    return digest.hexdigest()


@dg.sensor(
    job=refresh_warehouse,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Launches a refresh when a file under STI_RAW_DIR is added, changed or deleted.",
)
def raw_files_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    root = Path(os.environ["STI_RAW_DIR"])
    if not root.is_dir():
        return dg.SkipReason(f"{root} is not a folder")
    state = raw_dir_state(root)
    if state == context.cursor:
        return dg.SkipReason("no file added, changed or deleted")
    # No run_key: Dagster never reruns a key, and a folder can return to an earlier state (a file
    # added, then deleted) that needs a run all the same. The cursor already stops repeats.
    return dg.SensorResult(run_requests=[dg.RunRequest()], cursor=state)


sensors = [raw_files_sensor]
