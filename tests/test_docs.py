"""Every command and file that README.md and docs/*.md name exists: `make` targets in the Makefile, repository
paths in code spans, code blocks and links, and `python -m` modules.

Only code (inline spans and fenced blocks, except `text` blocks, which show printouts) and link targets are
read: prose is free to say "make". Paths under ../shared (the evaluation files beside the repository) are
skipped, since tests must not depend on them. A path with a placeholder (`setN`, `<warehouse>`, `*`) must
match at least one file.
"""

import importlib.util
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PROJECT_DIR

DOCS = [PROJECT_DIR / "README.md", *sorted((PROJECT_DIR / "docs").glob("*.md"))]
PREFIXES = ("pipeline", "sql", "tests", "benchmarks", "dashboard", "docs", "data", "dagster_home")
# Written by a run, so absent from a fresh clone.
WRITTEN_BY_A_RUN = {"data/warehouse/warehouse.duckdb", "sql/target/dagster/dbt.log"}
REPO_PACKAGES = {"pipeline", "dashboard", "benchmarks", "tests"}

FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.M | re.S)
INLINE = re.compile(r"(`+)(.+?)\1", re.S)
LINK = re.compile(r"\]\(([^)\s]+)\)")
MAKE = re.compile(r"(?:^|[\s;&|(])make\s+([A-Za-z][\w-]*)", re.M)
PATH = re.compile(r"(?<![\w./<>-])(?:" + "|".join(PREFIXES) + r")/[\w./*<>-]*(?:::\w+)?")
MODULE = re.compile(r"\bpython3?\s+-m\s+([\w.]+)")
TARGET = re.compile(r"^([A-Za-z][\w-]*)\s*:(?!=)", re.M)


@dataclass
class Names:
    make: set[str]
    paths: set[str]
    links: set[str]
    modules: set[str]


def names_in(markdown: str) -> Names:
    """The make targets, repository paths, link targets and modules a Markdown text names in its code."""
    code = [body for lang, body in FENCE.findall(markdown) if lang != "text"]
    prose = FENCE.sub("", markdown)
    code += [span for _, span in INLINE.findall(prose)]
    text = "\n".join(code)
    links = {t for t in LINK.findall(prose) if not re.match(r"[a-z]+:|#", t)}
    return Names(
        make=set(MAKE.findall(text)),
        paths={p.rstrip(".,;:") for p in PATH.findall(text)},
        links={t.split("#")[0] for t in links},
        modules=set(MODULE.findall(text)),
    )


def makefile_targets(makefile: str) -> set[str]:
    return set(TARGET.findall(makefile))


def path_exists(path: str, root: Path) -> bool:
    """A repository path exists; `file.py::test_name` also needs the test; placeholders need one match."""
    path, _, test = path.partition("::")
    if path.rstrip("/") in WRITTEN_BY_A_RUN:
        return True
    pattern = re.sub(r"<[^>]*>", "*", path.rstrip("/")).replace("setN", "set*")
    found = list(root.glob(pattern)) if "*" in pattern else [root / pattern] if (root / pattern).exists() else []
    if not found:
        return False
    return not test or any(re.search(rf"def {test}\b", f.read_text(encoding="utf-8")) for f in found)


def link_exists(target: str, document: Path, root: Path) -> bool:
    # lexically first: ../shared may be a symbolic link, which resolve() would follow out of the way
    if Path(os.path.normpath(document.parent / target)).is_relative_to(root.parent / "shared"):
        return True  # the evaluation files beside the repository: not a dependency of the tests
    resolved = (document.parent / target).resolve()
    return resolved.is_relative_to(root) and resolved.exists()


def module_exists(module: str, root: Path) -> bool:
    parts = module.split(".")
    if parts[0] in REPO_PACKAGES:
        base = root.joinpath(*parts)
        return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()
    return importlib.util.find_spec(module) is not None


def missing(document: Path, root: Path = PROJECT_DIR) -> list[str]:
    """Every name in the document that does not exist, as `kind: name`."""
    names = names_in(document.read_text(encoding="utf-8"))
    targets = makefile_targets((root / "Makefile").read_text(encoding="utf-8"))
    return sorted(
        [f"make {t}" for t in names.make - targets]
        + [f"path {p}" for p in names.paths if not path_exists(p, root)]
        + [f"link {t}" for t in names.links if not link_exists(t, document, root)]
        + [f"module {m}" for m in names.modules if not module_exists(m, root)]
    )


@pytest.mark.parametrize("document", DOCS, ids=lambda p: str(p.relative_to(PROJECT_DIR)))
def test_every_command_and_file_named_exists(document: Path) -> None:
    assert missing(document) == []


def test_the_readme_is_short_and_links_every_doc() -> None:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    linked = names_in(readme).links
    assert [p.name for p in DOCS[1:] if f"docs/{p.name}" not in linked] == []


def test_the_check_finds_what_is_missing(tmp_path: Path) -> None:
    """The check can fail: a wrong target, path, placeholder, test name, link and module are each reported."""
    (tmp_path / "Makefile").write_text("run: install\n\t@true\nVENV := .venv\n", encoding="utf-8")
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "run.py").write_text("def test_here():\n    pass\n", encoding="utf-8")
    (tmp_path / "README.md").write_text(
        "To make sense of it, `make run` then `make runn`, or `STI_X=1 make VENV`.\n"
        "`pipeline/run.py` and `pipeline/gone.py`, `pipeline/<x>.py` and `tests/setN/gold.jsonl`,\n"
        "`pipeline/run.py::test_here`, `pipeline/run.py::test_gone`, [ok](pipeline/run.py), [no](docs/no.md),\n"
        "[web](https://example.org/docs/x.md), [shared](../shared/CONTRACT.md).\n"
        "```sh\npython -m pipeline.run && python -m pipeline.gone && python -m no_such_module_here\n```\n"
        "```text\nmake printed data/not_checked.txt\n```\n",
        encoding="utf-8",
    )
    assert missing(tmp_path / "README.md", tmp_path) == [
        "link docs/no.md",
        "make VENV",
        "make runn",
        "module no_such_module_here",
        "module pipeline.gone",
        "path pipeline/gone.py",
        "path pipeline/run.py::test_gone",
        "path tests/setN/gold.jsonl",
    ]
