"""Tables of the network capability: metrics per window, keyed by pseudonym or team."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from teamweave.store.base import Base


class PersonMetric(Base):
    """One person's metrics in one window (period 'week' or 'month'). Shown only to that person."""

    __tablename__ = "person_metrics"
    __table_args__ = (UniqueConstraint("org", "period", "window_start", "pseudonym"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(8))
    window_start: Mapped[date] = mapped_column(Date)
    pseudonym: Mapped[str] = mapped_column(String(40), index=True)
    ties: Mapped[int] = mapped_column(Integer)
    strong_ties: Mapped[int] = mapped_column(Integer)
    weak_ties: Mapped[int] = mapped_column(Integer)
    strength: Mapped[float] = mapped_column(Float)
    cross_team_share: Mapped[float | None] = mapped_column(Float)
    human_events: Mapped[int] = mapped_column(Integer)
    tool_events: Mapped[int] = mapped_column(Integer)
    human_share: Mapped[float | None] = mapped_column(Float, doc="human / (human + tool) interactions")
    after_hours_share: Mapped[float | None] = mapped_column(Float)
    ties_change: Mapped[int | None] = mapped_column(Integer, doc="ties minus ties of the previous window")
    strength_change: Mapped[float | None] = mapped_column(Float)
    new_ties: Mapped[int | None] = mapped_column(Integer, doc="ties not there in the previous window")
    lost_ties: Mapped[int | None] = mapped_column(Integer, doc="ties of the previous window gone in this one")
    chat_share: Mapped[float | None] = mapped_column(Float, doc="share of tie weight by chat")
    email_share: Mapped[float | None] = mapped_column(Float)
    meeting_share: Mapped[float | None] = mapped_column(Float)
    code_review_share: Mapped[float | None] = mapped_column(Float)
    in_person_share: Mapped[float | None] = mapped_column(Float)
    cut_point: Mapped[bool | None] = mapped_column(Boolean, doc="their leaving would split the window's network")
    sole_link_teams: Mapped[str | None] = mapped_column(
        String(2000), doc="space-separated ids of the teams their team reaches through them alone"
    )
    focus_hours: Mapped[float | None] = mapped_column(Float, doc="mean longest uninterrupted stretch a working day")
    focus_blocks: Mapped[float | None] = mapped_column(Float, doc="mean uninterrupted 2-hour blocks a working day")
    cross_site_share: Mapped[float | None] = mapped_column(Float, doc="share of tie weight to people of other sites")
    meeting_hours: Mapped[float | None] = mapped_column(Float, doc="hours in meetings with other people")
    messages_sent: Mapped[int | None] = mapped_column(Integer, doc="messages they sent to people (chat, email, ...)")
    betweenness: Mapped[float | None] = mapped_column(Float, doc="share of shortest paths between others via them")
    burt_constraint: Mapped[float | None] = mapped_column(Float, doc="Burt's constraint on strong ties (low: broker)")
    effective_size: Mapped[float | None] = mapped_column(Float, doc="Burt's non-redundant strong contacts")
    clustering: Mapped[float | None] = mapped_column(Float, doc="share of their strong contacts' pairs who are tied")


class TeamMetric(Base):
    """One team's aggregate metrics in one window. Shown to others only when members >= k.

    ``members`` counts the team's people who had started by the window's end (not today's head count).
    ``ei_index`` and ``external_share`` count external ties to teams of at least k members only;
    ``human_share`` and ``after_hours_share`` are None when fewer than k members had a value.
    """

    __tablename__ = "team_metrics"
    __table_args__ = (UniqueConstraint("org", "period", "window_start", "team_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(8))
    window_start: Mapped[date] = mapped_column(Date)
    team_id: Mapped[int] = mapped_column(Integer, index=True)
    members: Mapped[int] = mapped_column(Integer)
    density: Mapped[float | None] = mapped_column(Float)
    ei_index: Mapped[float | None] = mapped_column(Float)
    external_share: Mapped[float | None] = mapped_column(Float, doc="share of members' tie weight leaving the team")
    no_strong_tie: Mapped[int] = mapped_column(Integer, doc="members with no strong tie")
    human_share: Mapped[float | None] = mapped_column(Float)
    after_hours_share: Mapped[float | None] = mapped_column(Float)
    mean_ties: Mapped[float | None] = mapped_column(Float)
    mean_new_ties: Mapped[float | None] = mapped_column(Float, doc="members' new ties per member")
    mean_lost_ties: Mapped[float | None] = mapped_column(Float, doc="members' lost ties per member")
    chat_share: Mapped[float | None] = mapped_column(Float, doc="mean of members' chat share (None under k)")
    email_share: Mapped[float | None] = mapped_column(Float)
    meeting_share: Mapped[float | None] = mapped_column(Float)
    code_review_share: Mapped[float | None] = mapped_column(Float)
    in_person_share: Mapped[float | None] = mapped_column(Float)
    cut_points: Mapped[int | None] = mapped_column(Integer, doc="members who are cut points of the network")
    thin_links: Mapped[int | None] = mapped_column(Integer, doc="teams (>= k) reached through fewer than k members")
    focus_hours: Mapped[float | None] = mapped_column(Float, doc="mean of members' focus hours (None under k)")
    focus_blocks: Mapped[float | None] = mapped_column(Float)


class TeamTie(Base):
    """Tie strength between two teams in one window (team_a < team_b): the organisation map's edges."""

    __tablename__ = "team_ties"
    __table_args__ = (UniqueConstraint("org", "period", "window_start", "team_a", "team_b"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(8))
    window_start: Mapped[date] = mapped_column(Date)
    team_a: Mapped[int] = mapped_column(Integer)
    team_b: Mapped[int] = mapped_column(Integer)
    weight: Mapped[float] = mapped_column(Float)
    ties: Mapped[int] = mapped_column(Integer, doc="person-to-person ties across the two teams")


class NewHireIntegration(Base):
    """A newcomer's integration curve: people in touch with by day 30, 60, 90 (None: not reached yet).

    Shown to that person; others see only aggregates over at least k newcomers. Deleted with the person.
    """

    __tablename__ = "new_hire_integration"
    __table_args__ = (UniqueConstraint("org", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    ties_30: Mapped[int | None] = mapped_column(Integer)
    ties_60: Mapped[int | None] = mapped_column(Integer)
    ties_90: Mapped[int | None] = mapped_column(Integer)


class NetworkStructure(Base):
    """The whole network of one window: its communities against the formal teams, and how its
    structural person metrics were computed. An aggregate over every analysed person (shown when >= k)."""

    __tablename__ = "network_structure"
    __table_args__ = (UniqueConstraint("org", "period", "window_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(8))
    window_start: Mapped[date] = mapped_column(Date)
    people: Mapped[int] = mapped_column(Integer, doc="people with at least one tie")
    ties: Mapped[int] = mapped_column(Integer)
    strong_ties: Mapped[int] = mapped_column(Integer)
    communities: Mapped[int] = mapped_column(Integer, doc="Leiden communities of at least two people")
    modularity: Mapped[float | None] = mapped_column(Float)
    team_nmi: Mapped[float | None] = mapped_column(Float, doc="NMI of the communities against the formal teams")
    betweenness_pivots: Mapped[int] = mapped_column(Integer, doc="0: exact betweenness; else the sampled sources")
    betweenness_error: Mapped[float] = mapped_column(Float, doc="95% bound of the sampled betweenness (0: exact)")


class AnalysisRun(Base):
    __tablename__ = "analysis_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    events: Mapped[int] = mapped_column(Integer, default=0)
    windows: Mapped[int] = mapped_column(Integer, default=0)
