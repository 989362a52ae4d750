"""`make run` (pipeline.run) that kills itself with SIGKILL inside one step: `python killed_run.py STEP`.

Each kill point wraps a function the step calls, so the process dies with the step's work half done:
normalize and analyze once their first memo file is written, load once the first core tables are staged,
dbt once its first model is built, publish right after the rename and before it is made durable.
"""

import os
import signal
import sys

import pipeline.defs.marts.resources as dbt_resources
from pipeline import load, memo, run


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def after_memo_file(stage: str) -> None:
    write = memo.write_parquet_atomically

    def killing(frame, path, **kwargs):
        write(frame, path, **kwargs)
        if path.parent.name.startswith(f"{stage}-"):
            die()

    memo.write_parquet_atomically = killing


def after_staging_tables() -> None:
    write, staged = load.write_parquet_atomically, []

    def killing(frame, path, **kwargs):
        write(frame, path, **kwargs)
        staged.append(path)
        if len(staged) == 3:
            die()

    load.write_parquet_atomically = killing


def after_first_dbt_model() -> None:
    class KillingRunner(dbt_resources.dbtRunner):
        def __init__(self, callbacks):
            def kill_on_model(event):
                if event.info.name == "LogModelResult":
                    die()

            super().__init__(callbacks=[*callbacks, kill_on_model])

    dbt_resources.dbtRunner = KillingRunner


def after_rename() -> None:
    publish = load.publish

    def killing(build, published):
        os.fsync = lambda fd: die()  # publish renames, then syncs the folder
        publish(build, published)

    load.publish = killing


KILL_POINTS = {
    "normalize": lambda: after_memo_file("normalize"),
    "analyze": lambda: after_memo_file("analyze"),
    "load": after_staging_tables,
    "dbt": after_first_dbt_model,
    "publish": after_rename,
}

KILL_POINTS[sys.argv[1]]()
sys.exit(run.main([]))
