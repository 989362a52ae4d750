"""The long stages' progress: bars on the terminal `make run` attaches, counts and seconds in the run log."""

import io
from types import SimpleNamespace

from pipeline.defs import progress


def test_a_stage_draws_a_bar_and_logs_its_items_and_seconds(monkeypatch) -> None:
    terminal, logged = io.StringIO(), []
    monkeypatch.setattr(progress, "_terminal", [terminal])
    context = SimpleNamespace(log=SimpleNamespace(info=logged.append))
    timings: dict[str, float] = {}
    advance = progress.progress_bars(context, timings)("analyze", 400)
    advance(200)
    advance(200)
    assert "analyze" in terminal.getvalue() and "400/400" in terminal.getvalue()
    assert "analyze_seconds" in timings
    assert logged == [f"analyze: 400 items in {timings['analyze_seconds']} s"]


def test_without_a_terminal_only_the_log_line_is_written(monkeypatch, capsys) -> None:
    monkeypatch.setattr(progress, "_terminal", [])
    logged: list[str] = []
    context = SimpleNamespace(log=SimpleNamespace(info=logged.append))
    progress.progress_bars(context, {})("normalize", 3)(3)
    assert capsys.readouterr().err == "" and len(logged) == 1
