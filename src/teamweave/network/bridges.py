"""The bridges a person carries, for that person only: a cut point of the network, and their team's sole
link to other teams. Nobody else is ever shown who carries a bridge; team pages show counts only."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from teamweave.network.models import PersonMetric
from teamweave.people import service as people_service


@dataclass(frozen=True)
class OwnBridges:
    """``cut_point``: their leaving would leave someone without a path to others; ``sole_links``: names of
    the teams their team reaches through them alone."""

    cut_point: bool = False
    sole_links: list[str] = field(default_factory=list)


def my_bridges(session: Session, *, org: str, row: PersonMetric | None) -> OwnBridges:
    """The bridges in one of a person's own metric rows, with team ids turned into names. Show to them only."""
    if row is None:
        return OwnBridges()
    ids = [int(part) for part in (row.sole_link_teams or "").split() if part.isdigit()]
    teams = {t.team_id: t.name for t in people_service.teams(session, org=org)} if ids else {}
    return OwnBridges(cut_point=bool(row.cut_point), sole_links=sorted(teams.get(i, f"team {i}") for i in ids))
