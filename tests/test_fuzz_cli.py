"""Hypothesis drives the CLI with arbitrary bytes and JSONL-like lines: never a traceback,
exit code 0 or 2, and kept text never loses bytes it did not remove."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner.cli import app

runner = CliRunner()
quick = settings(max_examples=120, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@quick
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_on_stdin_never_crash(data: bytes) -> None:
    result = runner.invoke(app, ["clean", "--no-content"], input=data)
    assert result.exit_code == 0, result.exception
    assert result.exception is None or isinstance(result.exception, SystemExit)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=6)
jsonl_lines = st.one_of(
    st.dictionaries(st.sampled_from(["id", "text", "url", "x"]), json_values, max_size=4)
    .map(json.dumps),
    st.text(max_size=60),
    st.just('{"text": "Advertisement\\nThe ferry runs twice a day."}'),
)


@quick
@given(st.lists(jsonl_lines, max_size=12), st.sampled_from(["fail", "keep", "skip"]))
def test_arbitrary_jsonl_like_lines_exit_0_or_2(lines: list[str], on_error: str) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    result = runner.invoke(app, ["clean", "--no-content", "--format", "jsonl", "--on-error",
                                 on_error], input=data)
    assert result.exit_code in (0, 2), result.exception
    if result.exit_code == 2:
        assert "cleaner: error:" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
