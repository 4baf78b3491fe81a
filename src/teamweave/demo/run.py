"""``teamweave demo``'s work: generate the demo organisation once, import it like a user's data, log in.

Steps (each committed on its own, so an interrupted run resumes where it stopped): generate the files into
``<data_dir>/demo/`` (skipped when ``manifest.json`` is there), import ``hr.csv``, the Slack export and the
calendars through the same services a user's import takes, analyse, and create the demo logins. When the
manifest exists and the database already holds the demo (its logins exist and events are stored), nothing
is redone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import Session

from teamweave.accounts import service as accounts_service
from teamweave.checkins.calendar_detection import detect_held_one_on_ones
from teamweave.demo import rituals
from teamweave.demo.generator import DEMO_PASSWORD, generate
from teamweave.demo.manifest import DemoLogin, DemoManifest, read_manifest
from teamweave.errors import TeamweaveError
from teamweave.ingest import pipeline
from teamweave.network import analysis
from teamweave.people import service as people_service
from teamweave.progress import NullProgress, ProgressReporter
from teamweave.recognition import service as recognition_service
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

DEMO_DIR_NAME = "demo"
DEFAULT_SEED = 7
T = TypeVar("T")


@dataclass(frozen=True)
class DemoInfo:
    """What :func:`prepare` did: where the files are, whether it reused them, and how to log in."""

    directory: Path
    manifest: DemoManifest
    reused: bool
    generated: bool
    people: int
    events: int
    logins: list[DemoLogin]
    password: str
    seconds: float
    steps: dict[str, float] = field(default_factory=dict)


def demo_dir(runtime: Runtime) -> Path:
    return runtime.settings.data_dir / DEMO_DIR_NAME


def prepare(
    runtime: Runtime,
    *,
    seed: int | None = None,
    regenerate: bool = False,
    end: date | None = None,
    progress: ProgressReporter | None = None,
) -> DemoInfo:
    """Make the demo organisation ready in ``runtime``'s store and return its logins.

    ``seed`` defaults to the existing demo's seed (else 7); ``regenerate`` writes the files anew and
    re-imports them (the org's events are replaced); ``end`` is the last day of the data (default today).
    """
    began = time.perf_counter()
    progress = progress or NullProgress()
    runtime.migrate()
    directory = demo_dir(runtime)
    manifest = read_manifest(directory)
    _check_org(runtime, manifest, seed)
    regenerate = regenerate or (manifest is not None and seed is not None and seed != manifest.seed)
    if manifest is not None and not regenerate and _complete(runtime, manifest):
        return _info(runtime, directory, manifest, reused=True, generated=False, began=began, steps={})
    steps: dict[str, float] = {}
    generated = False
    if manifest is None or regenerate:
        progress.start("Generating the demo organisation", total=None)
        chosen = seed if seed is not None else (manifest.seed if manifest else DEFAULT_SEED)
        manifest = _timed(steps, "generate", lambda: generate(directory, seed=chosen, end=end))
        progress.finish()
        generated = True
        if runtime.events.has_events(runtime.settings.org):
            runtime.events.rewrite(runtime.settings.org, "FALSE")
    _import_everything(runtime, directory, manifest, steps, progress)
    return _info(runtime, directory, manifest, reused=False, generated=generated, began=began, steps=steps)


def _timed(steps: dict[str, float], name: str, work: Callable[[], T]) -> T:
    began = time.perf_counter()
    result = work()
    steps[name] = round(time.perf_counter() - began, 2)
    return result


def _check_org(runtime: Runtime, manifest: DemoManifest | None, seed: int | None) -> None:
    """Refuse to mix the demo into an organisation that holds other people or another demo seed."""
    org = runtime.settings.org
    with session_scope(runtime.sessions) as session:
        people = people_service.directory(session, org=org)
    if not people:
        return
    where = f"data dir {runtime.settings.data_dir}"
    hint = "run the demo with a fresh data dir, e.g. TEAMWEAVE_DATA_DIR=teamweave-demo teamweave demo"
    if manifest is None or not any(p.email == manifest.phenomena.new_hire for p in people):
        raise TeamweaveError(
            f"organisation {org!r} already holds people who are not the demo's", where=where, hint=hint
        )
    if seed is not None and seed != manifest.seed:
        raise TeamweaveError(
            f"the demo here was generated with seed {manifest.seed}, not {seed}", where=where, hint=hint
        )


def _complete(runtime: Runtime, manifest: DemoManifest) -> bool:
    org = runtime.settings.org
    if not runtime.events.has_events(org):
        return False
    with session_scope(runtime.sessions) as session:
        usernames = {u.username for u in accounts_service.list_users(session, org=org)}
    return all(login.username in usernames for login in manifest.logins)


def _import_everything(
    runtime: Runtime, directory: Path, manifest: DemoManifest, steps: dict[str, float], progress: ProgressReporter
) -> None:
    settings, org = runtime.settings, runtime.settings.org

    def step(name: str, work: Callable[[Session], object]) -> None:
        with session_scope(runtime.sessions) as session:
            _timed(steps, name, lambda: work(session))

    step("people", lambda s: _import_people(s, runtime, directory / manifest.hr_csv))
    step("slack", lambda s: _import_source(s, runtime, directory / manifest.slack_dir, None, None, progress))
    step(
        "calendars",
        lambda s: _import_source(
            s, runtime, directory / manifest.calendars_dir, manifest.start, manifest.end, progress
        ),
    )
    step("rituals", lambda s: _seed_rituals(s, runtime, manifest))
    step(
        "recognition_events",
        lambda s: recognition_service.record_events(
            s, org=org, events=runtime.events, pseudonymiser=runtime.pseudonymiser
        ),
    )
    step(
        "analyze",
        lambda s: analysis.analyze(
            s,
            org=org,
            events=runtime.events,
            k=settings.min_group_size,
            work_day_start=settings.work_day_start,
            work_day_end=settings.work_day_end,
            progress=progress,
        ),
    )
    step("logins", lambda s: _create_logins(s, org=org, logins=manifest.logins))
    step("one_on_ones", lambda s: detect_held_one_on_ones(s, org=org, events=runtime.events))
    step("checkins", lambda s: _seed_checkins(s, org=org, manifest=manifest))


def _member(manifest: DemoManifest) -> DemoLogin:
    """The demo's member login (the first one listed)."""
    return next(login for login in manifest.logins if login.role == "member")


def _seed_rituals(session: Session, runtime: Runtime, manifest: DemoManifest) -> int:
    """Recognitions and celebrations, entered through their services (before the analysis: recognitions are
    interactions too, whose events the next step writes once this one has committed)."""
    ph = manifest.phenomena
    given = rituals.seed_recognitions(
        session, runtime, today=manifest.end, new_hire=ph.new_hire, siloed_team=ph.siloed_team, seed=manifest.seed
    )
    member = _member(manifest).email or ""
    teams = (ph.bot_team, ph.siloed_team)
    return given + rituals.seed_celebrations(
        session, org=runtime.settings.org, today=manifest.end, member=member, teams=teams
    )


def _seed_checkins(session: Session, *, org: str, manifest: DemoManifest) -> int:
    username = _member(manifest).username
    user = next((u for u in accounts_service.list_users(session, org=org) if u.username == username), None)
    if user is None:
        raise TeamweaveError("the demo member's login is missing", where="demo")
    return rituals.seed_checkins(
        session,
        org=org,
        today=manifest.end,
        member=user,
        creep_team=manifest.phenomena.after_hours_creep_team,
        seed=manifest.seed,
    )


def _import_people(session: Session, runtime: Runtime, path: Path) -> int:
    """Import the demo's HR CSV; a rejected row is a bug of the generator, so it stops the demo."""
    result = people_service.import_people(
        session, org=runtime.settings.org, path=path, pseudonymiser=runtime.pseudonymiser
    )
    if result.rejected:
        raise TeamweaveError(f"{result.rejected} demo HR rows were rejected: {result.errors[0]}", where=str(path))
    return result.created + result.updated + result.unchanged


def _import_source(
    session: Session,
    runtime: Runtime,
    path: Path,
    since: date | None,
    until: date | None,
    progress: ProgressReporter,
) -> pipeline.ImportSummary:
    return pipeline.import_path(
        session,
        org=runtime.settings.org,
        path=path,
        events=runtime.events,
        pseudonymiser=runtime.pseudonymiser,
        quarantine_dir=runtime.settings.quarantine_dir,
        since=since,
        until=until,
        progress=progress,
    )


def _create_logins(session: Session, *, org: str, logins: list[DemoLogin]) -> int:
    """Create the demo's logins that do not exist yet; return how many were created."""
    existing = {u.username for u in accounts_service.list_users(session, org=org)}
    created = 0
    for login in logins:
        if login.username in existing:
            continue
        person_id = None
        if login.email is not None:
            person = people_service.person_by_email(session, org=org, email=login.email)
            if person is None:
                raise TeamweaveError(f"demo person {login.email} is missing after the HR import", where="demo")
            person_id = person.id
        accounts_service.create_user(
            session, org=org, username=login.username, password=DEMO_PASSWORD, role=login.role, person_id=person_id
        )
        created += 1
    return created


def _info(
    runtime: Runtime,
    directory: Path,
    manifest: DemoManifest,
    *,
    reused: bool,
    generated: bool,
    began: float,
    steps: dict[str, float],
) -> DemoInfo:
    org = runtime.settings.org
    with session_scope(runtime.sessions) as session:
        people = len(people_service.directory(session, org=org))
    return DemoInfo(
        directory=directory,
        manifest=manifest,
        reused=reused,
        generated=generated,
        people=people,
        events=runtime.events.count(org),
        logins=list(manifest.logins),
        password=DEMO_PASSWORD,
        seconds=round(time.perf_counter() - began, 2),
        steps=steps,
    )
