"""Typed errors carry their location and print as one line."""

from __future__ import annotations

from teamweave.errors import InputFormatError, NotFound, TeamweaveError


def test_input_format_error_names_file_line_and_field() -> None:
    error = InputFormatError("unknown time zone 'Mars/Base'", file="hr.csv", line=7, field="timezone")
    assert str(error) == "hr.csv, line 7, field 'timezone': unknown time zone 'Mars/Base'"
    assert error.status == 422


def test_status_and_hint() -> None:
    assert NotFound("no such team").status == 404
    assert str(TeamweaveError("bad", hint="try again")) == "bad (try again)"
