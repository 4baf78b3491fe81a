"""``teamweave tone "message"`` and ``teamweave tone --batch FILE --column NAME``; nothing of the text is kept."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

import pytest
import typer
from tests.support.stored_text import stored_text
from tests.tone.fake_chat_api import WARM, serve
from typer.testing import CliRunner

from teamweave.cli import tone
from teamweave.errors import InputFormatError
from teamweave.tone.service import score

SECRET = "Zanzibar-Quokka-7741 needs the Halvorsen budget by Monday"


@pytest.fixture
def app() -> typer.Typer:
    """The root app with only the tone command (cli/main.py wires it the same way)."""
    root = typer.Typer()

    @root.callback()
    def _root() -> None:
        """teamweave"""

    tone.register(root)
    return root


def test_one_message_prints_warmth_markers_and_a_rewrite(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["tone", "Can you get this done by Monday?"])
    assert result.exit_code == 0, result.output
    assert "reads as blunt" in result.output
    assert 'deadline without context "by Monday"' in result.output
    assert "warmer (friendly" in result.output
    assert "Would it be possible to get this done by Monday?" in result.output


def test_json_output(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["tone", "--json", "Thanks so much, could we meet tomorrow?"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["verdict"] == "warm"
    assert {"gratitude", "indirect_request", "first_person_plural"} <= set(report["strategies"])


def test_batch_over_a_csv_column_writes_one_json_line_per_message(app: typer.Typer, tmp_path: Path) -> None:
    source = tmp_path / "drafts.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "body"])
        writer.writerow(["1", "Can you get this done by Monday?"])
        writer.writerow(["2", "Hi Ana, thank you so much, could we talk tomorrow?\nNo rush, really."])
        writer.writerow(["3", "FIX IT NOW!!"])
    result = CliRunner().invoke(app, ["tone", "--batch", str(source), "--column", "body"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["message"] for line in lines] == [1, 2, 3]
    assert [line["verdict"] for line in lines] == ["blunt", "warm", "blunt"]
    assert lines[1]["warmth"] > lines[0]["warmth"] > lines[2]["warmth"]
    assert "gratitude" in lines[1]["strategies"]
    assert "all_caps" in lines[2]["markers"]
    assert "Monday" not in result.output


def test_batch_over_a_text_file_to_an_output_file(app: typer.Typer, tmp_path: Path) -> None:
    source = tmp_path / "drafts.txt"
    source.write_text("Send me the report.\nThanks a lot for your help!\n", encoding="utf-8")
    target = tmp_path / "scores.jsonl"
    result = CliRunner().invoke(app, ["tone", "--batch", str(source), "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert "scored 2 messages" in result.output
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert len(lines) == 2
    assert "bare_imperative" in lines[0]["markers"]
    assert "report" not in target.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tone", "--batch", "drafts.csv", "--column", "nope"], "field 'nope': no such column"),
        (["tone", "--batch", "drafts.csv"], "a CSV file needs --column NAME"),
        (["tone", "--batch", "missing.txt"], "no such file"),
        (["tone"], "give a message to check"),
    ],
)
def test_located_errors(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts.csv").write_text("id,body\n1,hello\n", encoding="utf-8")
    result = CliRunner().invoke(app, args)
    assert isinstance(result.exception, InputFormatError)
    assert message in str(result.exception)


def test_the_text_reaches_no_file_and_no_log(
    app: typer.Typer, data_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    source = tmp_path / "batch.txt"
    source.write_text(SECRET + "\n", encoding="utf-8")
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    runner = CliRunner()
    assert runner.invoke(app, ["tone", SECRET]).exit_code == 0
    assert runner.invoke(app, ["tone", "--json", SECRET]).exit_code == 0
    batch = runner.invoke(app, ["tone", "--batch", str(source)])
    assert batch.exit_code == 0
    assert "Zanzibar" not in batch.output
    assert {p for p in tmp_path.rglob("*") if p.is_file()} == before
    data_dir.mkdir(exist_ok=True)
    for word in ("Zanzibar", "Quokka", "Halvorsen"):
        assert word not in stored_text(data_dir)
        assert word not in caplog.text


def test_the_optional_rewriter_endpoint(app: typer.Typer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMWEAVE_TONE_LLM_KEY", "sk-local")
    with serve() as (state, url):
        result = CliRunner().invoke(app, ["tone", "--llm-url", url, "--llm-model", "tiny", "Sam, fix this by Monday"])
    assert result.exit_code == 0, result.output
    assert f"warmer (llm, warmth {_warmth_of(WARM)}): {WARM}" in result.output
    assert state.received[0][1]["Authorization"] == "Bearer sk-local"
    assert state.received[0][2]["model"] == "tiny"


def test_an_unreachable_rewriter_is_a_note_not_a_failure(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["tone", "--llm-url", "http://127.0.0.1:9/v1", "Can you do this by Monday?"])
    assert result.exit_code == 0, result.output
    assert "note: the rewriter could not be reached" in result.output
    assert "warmer (friendly" in result.output


def _warmth_of(text: str) -> str:
    return f"{score(text):.0f}"
