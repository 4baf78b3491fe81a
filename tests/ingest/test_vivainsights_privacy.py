"""Privacy: importing Viva Insights queries writes no raw PersonId, HR attribute or metric value anywhere.

The sample queries vivainsights ships (p2p_data.csv, pq_data.csv) and a file of bad rows (a PersonId in the
date column, rows cut short) are imported twice through the pipeline; every byte under the data dir (SQLite
database, Parquet events, quarantine files) is then searched for every PersonId, in any case.
"""

from __future__ import annotations

import csv
from pathlib import Path

from tests.ingest.test_vivainsights import PRIMARY, SECONDARY, sample
from tests.support.stored_text import stored_text

from teamweave.ingest.pipeline import run_connector
from teamweave.ingest.vivainsights import SOURCE, VivaInsightsQuery
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

HR_VALUES = ("Senior IC", "Junior IC", "Senior Manager", "Technician", "Consultant")


def _column_values(path: Path, *columns: str) -> set[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle) for column in columns}


def _bad_rows(path: Path, ids: list[str]) -> Path:
    """Rows that are quarantined, each holding real PersonIds of the sample."""
    rows = [
        f"{PRIMARY},{SECONDARY},MetricDate,Strong_tie_score",
        f"{ids[0]},{ids[1]},{ids[2]},0.5",  # a PersonId where the date goes
        f"{ids[3]},{ids[4]}",  # cut short
        f"{ids[5]},{ids[5].upper()},01/04/2023,0.5",  # a tie with oneself
        f"{ids[6]},{ids[7]},01/04/2023,0.5,{ids[8]}",  # a value too many
        f"{ids[9]},,2023-02-30,0.5",
    ]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_no_person_id_or_attribute_reaches_any_stored_byte(tmp_path: Path, runtime: Runtime) -> None:
    p2p, pq = sample("p2p_data"), sample("pq_data")
    ids = sorted(_column_values(p2p, PRIMARY, SECONDARY) | _column_values(pq, "PersonId"))
    assert len(ids) == 3783 + 300
    bad = _bad_rows(tmp_path / "bad-ties.csv", ids[:10])
    settings = runtime.settings
    for _ in range(2):
        for path in (p2p, pq, bad):
            with session_scope(runtime.sessions) as session:
                summary = run_connector(
                    session,
                    org="default",
                    connector=VivaInsightsQuery.open(path),
                    source=SOURCE,
                    file_name=path.name,
                    events=runtime.events,
                    pseudonymiser=runtime.pseudonymiser,
                    quarantine_dir=settings.quarantine_dir,
                )
    assert summary.quarantine_file is not None
    assert len(summary.errors) == 5
    runtime.close()  # settle the database files before reading every byte

    stored = stored_text(settings.data_dir)
    assert "Viva Insights person " in stored  # the scan does read the database
    assert "field 'MetricDate'" in stored  # ... and the quarantine file
    assert stored.count("de-identified PersonId") >= 3783 + 300
    lowered = stored.lower()
    found = [person for person in ids if person.lower() in lowered]
    assert found == [], f"{len(found)} raw PersonIds stored, e.g. {found[:1]}"
    for person in ids[:50]:  # and no long piece of one (the pseudonyms are hex too)
        assert person.lower()[:18] not in lowered
    for value in HR_VALUES:
        assert value not in stored, value
    for value in ("17.4529865507467", "0.128658268", "0.09697509"):  # a pq metric, p2p tie scores
        assert value not in stored, value
