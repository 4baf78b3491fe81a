"""Parsing and validating the HR CSV, without a database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from teamweave.errors import InputFormatError
from teamweave.ingest.hr_csv import HrCsvReader, HrRow, check_managers

HEADER = "email,name,team,manager_email,site,timezone,start_date,birthday,birthday_opt_in"


def _write(tmp_path: Path, *lines: str, header: str = HEADER, name: str = "hr.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _read(path: Path) -> tuple[list[HrRow], list[InputFormatError]]:
    rows: list[HrRow] = []
    errors: list[InputFormatError] = []
    with HrCsvReader(path) as reader:
        for item in reader:
            if isinstance(item, InputFormatError):
                errors.append(item)
            else:
                rows.append(item)
    return rows, errors


def _located(errors: list[InputFormatError]) -> list[tuple[int | None, str | None]]:
    return [(error.line, error.field) for error in errors]


def _row(email: str, manager: str | None, line: int) -> HrRow:
    return HrRow(
        line=line,
        email=email,
        name=email,
        team=None,
        manager_email=manager,
        site=None,
        timezone="UTC",
        start_date=None,
        birthday=None,
    )


def test_a_good_row_is_typed_and_normalised(tmp_path: Path) -> None:
    path = _write(tmp_path, " Ana@Example.ORG ,Ana Silva,Platform,Boss@Example.org,Berlin,Europe/Berlin,2020-01-02,,")
    rows, errors = _read(path)
    assert errors == []
    assert rows == [
        HrRow(
            line=2,
            email="ana@example.org",
            name="Ana Silva",
            team="Platform",
            manager_email="boss@example.org",
            site="Berlin",
            timezone="Europe/Berlin",
            start_date=date(2020, 1, 2),
            birthday=None,
        )
    ]


def test_only_the_required_columns_are_needed(tmp_path: Path) -> None:
    path = _write(tmp_path, "ana@example.org,Ana,UTC", header="Email, NAME ,timezone")
    rows, errors = _read(path)
    assert errors == []
    assert rows[0].team is None
    assert rows[0].manager_email is None
    assert rows[0].timezone == "UTC"


@pytest.mark.parametrize("missing", ["email", "name", "timezone"])
def test_a_missing_required_column_is_fatal_and_named(tmp_path: Path, missing: str) -> None:
    header = ",".join(c for c in HEADER.split(",") if c != missing)
    path = _write(tmp_path, header=header, name="people.csv")
    with pytest.raises(InputFormatError) as caught, HrCsvReader(path):
        pass
    assert caught.value.file == "people.csv"
    assert caught.value.field == missing
    assert "people.csv" in str(caught.value)
    assert missing in str(caught.value)


def test_an_empty_file_is_fatal(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputFormatError, match="required column"), HrCsvReader(path):
        pass


def test_a_missing_file_is_fatal(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="cannot read"), HrCsvReader(tmp_path / "absent.csv"):
        pass


def test_unknown_columns_are_ignored_and_listed(tmp_path: Path) -> None:
    path = _write(tmp_path, "ana@example.org,Ana,UTC,E1,x", header="email,name,timezone,employee_id,salary")
    with HrCsvReader(path) as reader:
        items = list(reader)
        assert reader.unknown_columns == ["employee_id", "salary"]
    assert [type(item) for item in items] == [HrRow]


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes(b"\xef\xbb\xbfemail,name,timezone\nana@example.org,Ana,UTC\n")
    rows, errors = _read(path)
    assert errors == []
    assert [row.email for row in rows] == ["ana@example.org"]


def test_windows_line_endings_and_a_non_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes(
        b'email,name,timezone\r\na@x.org,Ann,UTC\r\n\r\nb@x.org,"Bob\r\nBobson",Bad/Zone\r\n'
        b"c@x.org,J\xf6rg,UTC\r\nd@x.org,Dee,UTC\r\n"
    )
    rows, errors = _read(path)
    assert [row.name for row in rows] == ["Ann", "Dee"]
    assert _located(errors) == [(4, "timezone"), (6, None)]
    assert errors[1].message == "not UTF-8 text (save the file as UTF-8 CSV)"


def test_a_header_that_is_not_utf8_is_fatal(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes(b"email,n\xe4me,timezone\n")
    with pytest.raises(InputFormatError, match="not UTF-8"), HrCsvReader(path):
        pass


def test_line_numbers_count_blank_lines_and_quoted_line_breaks(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'a@example.org,"Ann\nMarie",,,,UTC,,,',
        "",
        "b@example.org,Bob,,,,Mars/Olympus,,,",
        "c@example.org,Cid,,,,UTC,,,",
        "d@example.org,,,,,UTC,,,",
    )
    rows, errors = _read(path)
    assert [row.line for row in rows] == [2, 6]
    assert _located(errors) == [(5, "timezone"), (7, "name")]


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("not-an-email,Ann,,,,UTC,,,", "email", "invalid email address 'not-an-email'"),
        ("a@example.org,Ann,,boss@nowhere,,UTC,,,", "manager_email", "invalid email address 'boss@nowhere'"),
        ("a@example.org,Ann,,,,Europe/Berln,,,", "timezone", "unknown IANA time zone 'Europe/Berln'"),
        ("a@example.org,Ann,,,,europe/berlin,,,", "timezone", "unknown IANA time zone 'europe/berlin'"),
        ("a@example.org,Ann,,,,UTC,2023-02-30,,", "start_date", "bad date '2023-02-30' (expected YYYY-MM-DD)"),
        ("a@example.org,Ann,,,,UTC,20230201,,", "start_date", "bad date '20230201' (expected YYYY-MM-DD)"),
        ("a@example.org,Ann,,,,UTC,,1990-1-2,yes", "birthday", "bad date '1990-1-2' (expected YYYY-MM-DD)"),
        (",Ann,,,,UTC,,,", "email", "required field is empty"),
        ("a@example.org,  ,,,,UTC,,,", "name", "required field is empty"),
        ("a@example.org,Ann,,,,,,,", "timezone", "required field is empty"),
        ("a@example.org,Ann,,,,UTC,,,,extra", None, "10 fields but the header has 9"),
        ("a@example.org," + "N" * 201 + ",,,,UTC,,,", "name", "longer than 200 characters"),
    ],
)
def test_each_bad_field_is_located(tmp_path: Path, line: str, field: str | None, message: str) -> None:
    rows, errors = _read(_write(tmp_path, line))
    assert rows == []
    assert len(errors) == 1
    assert errors[0].file == "hr.csv"
    assert errors[0].line == 2
    assert errors[0].field == field
    assert errors[0].message == message


def test_every_problem_of_a_row_is_reported(tmp_path: Path) -> None:
    rows, errors = _read(_write(tmp_path, "bad,,,,,Nowhere/Zone,yesterday,,"))
    assert rows == []
    assert _located(errors) == [(2, "name"), (2, "email"), (2, "timezone"), (2, "start_date")]


def test_a_short_row_reads_missing_fields_as_empty(tmp_path: Path) -> None:
    rows, errors = _read(_write(tmp_path, "a@example.org,Ann,Platform", "b@example.org,Bob,,,,UTC"))
    assert _located(errors) == [(2, "timezone")]
    assert [row.email for row in rows] == ["b@example.org"]


def test_second_and_later_occurrences_of_an_email_are_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "a@example.org,Ann,,,,UTC,,,",
        "b@example.org,Bob,,,,UTC,,,",
        "A@EXAMPLE.ORG,Ann again,,,,UTC,,,",
        " a@example.org ,Ann thrice,,,,UTC,,,",
    )
    rows, errors = _read(path)
    assert [row.name for row in rows] == ["Ann", "Bob"]
    assert _located(errors) == [(4, "email"), (5, "email")]
    assert all(error.message == "duplicate email a@example.org (first on line 2)" for error in errors)


def test_a_bad_first_occurrence_still_claims_the_email(tmp_path: Path) -> None:
    path = _write(tmp_path, "a@example.org,Ann,,,,Bad/Zone,,,", "a@example.org,Ann,,,,UTC,,,")
    with HrCsvReader(path) as reader:
        items = list(reader)
        assert reader.rejected_emails == {"a@example.org": 2}
    assert _located([i for i in items if isinstance(i, InputFormatError)]) == [(2, "timezone"), (3, "email")]


@pytest.mark.parametrize("answer", ["yes", "YES", "true", "True", "1", " yes "])
def test_birthday_is_kept_when_opted_in(tmp_path: Path, answer: str) -> None:
    rows, _ = _read(_write(tmp_path, f"a@example.org,Ann,,,,UTC,,1990-02-03,{answer}"))
    assert rows[0].birthday == date(1990, 2, 3)


@pytest.mark.parametrize("answer", ["no", "", "0", "false", "FALSE", "maybe"])
def test_birthday_is_dropped_without_opt_in_even_when_given(tmp_path: Path, answer: str) -> None:
    rows, errors = _read(_write(tmp_path, f"a@example.org,Ann,,,,UTC,,1990-02-03,{answer}"))
    assert errors == []
    assert rows[0].birthday is None


def test_a_bad_birthday_without_opt_in_is_not_an_error(tmp_path: Path) -> None:
    rows, errors = _read(_write(tmp_path, "a@example.org,Ann,,,,UTC,,garbage,no"))
    assert errors == []
    assert rows[0].birthday is None


def test_an_unclear_opt_in_answer_is_noted(tmp_path: Path) -> None:
    path = _write(tmp_path, "a@example.org,Ann,,,,UTC,,1990-02-03,maybe", "b@example.org,Bob,,,,UTC,,,no")
    with HrCsvReader(path) as reader:
        list(reader)
        assert [(note.line, note.field) for note in reader.opt_in_notes] == [(2, "birthday_opt_in")]


def test_check_managers_keeps_links_to_the_file_and_the_directory() -> None:
    rows = [_row("a@x.org", None, 2), _row("b@x.org", "a@x.org", 3), _row("c@x.org", "boss@x.org", 4)]
    check = check_managers(rows, file_name="hr.csv", directory={"boss@x.org": None})
    assert check.rows == rows
    assert check.errors == []
    assert check.without_manager == set()


def test_an_unknown_manager_rejects_the_row_and_cascades_to_its_reports() -> None:
    rows = [
        _row("a@x.org", "ghost@x.org", 2),
        _row("b@x.org", "a@x.org", 3),
        _row("c@x.org", "b@x.org", 4),
        _row("d@x.org", "known@x.org", 5),
        _row("e@x.org", "known@x.org", 6),
        _row("f@x.org", "c@x.org", 7),
    ]
    directory: dict[str, str | None] = {"known@x.org": None, "c@x.org": None}
    check = check_managers(rows, file_name="hr.csv", directory=directory, rejected_emails={"known@x.org": 9})
    assert [row.email for row in check.rows] == ["d@x.org", "e@x.org", "f@x.org"]
    assert [row.line for row in check.rejected] == [2, 3, 4]
    assert [str(error) for error in check.errors] == [
        "hr.csv, line 2, field 'manager_email': unknown manager ghost@x.org (not in the file or the directory)",
        "hr.csv, line 3, field 'manager_email': unknown manager a@x.org (its own row, line 2, was rejected, "
        "and it is not in the directory)",
        "hr.csv, line 4, field 'manager_email': unknown manager b@x.org (its own row, line 3, was rejected, "
        "and it is not in the directory)",
    ]


def test_a_three_person_cycle_reports_each_row_and_drops_the_last_link() -> None:
    rows = [
        _row("top@x.org", None, 2),
        _row("a@x.org", "b@x.org", 3),
        _row("b@x.org", "c@x.org", 4),
        _row("c@x.org", "a@x.org", 5),
        _row("d@x.org", "a@x.org", 6),
    ]
    check = check_managers(rows, file_name="hr.csv", directory={})
    assert check.rows == rows
    assert check.rejected == []
    assert check.without_manager == {"c@x.org"}
    assert _located(check.errors) == [(3, "manager_email"), (4, "manager_email"), (5, "manager_email")]
    assert check.errors[0].message == (
        "management cycle c@x.org -> a@x.org -> b@x.org -> c@x.org; imported, but without the link "
        "c@x.org -> a@x.org (line 5), which closes the cycle"
    )


def test_self_management_is_a_cycle() -> None:
    check = check_managers([_row("a@x.org", "a@x.org", 7)], file_name="hr.csv", directory={})
    assert check.without_manager == {"a@x.org"}
    assert _located(check.errors) == [(7, "manager_email")]
    assert "a@x.org -> a@x.org" in check.errors[0].message


def test_a_cycle_through_the_directory_is_found() -> None:
    directory: dict[str, str | None] = {"boss@x.org": "a@x.org", "a@x.org": None}
    check = check_managers([_row("a@x.org", "boss@x.org", 4)], file_name="hr.csv", directory=directory)
    assert check.without_manager == {"a@x.org"}
    assert check.errors[0].message.startswith("management cycle a@x.org -> boss@x.org -> a@x.org;")


def test_the_file_overrides_the_directory_when_looking_for_cycles() -> None:
    directory: dict[str, str | None] = {"a@x.org": "b@x.org", "b@x.org": None}
    rows = [_row("a@x.org", None, 2), _row("b@x.org", "a@x.org", 3)]
    check = check_managers(rows, file_name="hr.csv", directory=directory)
    assert check.errors == []
    assert check.without_manager == set()
