"""The Makefile runs modules and files that exist: a renamed benchmark once left `make benchmark` calling a
module that was gone, and nothing ran that target."""

import importlib.util
import re

from tests.conftest import PROJECT_DIR


def test_every_module_and_file_the_makefile_runs_exists() -> None:
    makefile = (PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    modules = re.findall(r"python -m ([\w.]+)", makefile)
    assert {"pipeline.run", "benchmarks.throughput", "pytest"} <= set(modules)
    assert [m for m in modules if importlib.util.find_spec(m) is None] == []
    files = re.findall(r"(?:run|-w) ([\w/]+\.(?:py|yaml))", makefile)
    assert {"dashboard/app.py", "workspace.yaml"} <= set(files)
    assert [f for f in files if not (PROJECT_DIR / f).is_file()] == []
