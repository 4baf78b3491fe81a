"""Slices of a team (its sites, the people who joined recently) as aggregates that never single anyone out.

A slice under k people is hidden with its size. Sites are hidden until the hidden people number none or at
least k (else the whole team minus the shown sites would give them away); the new-hire slice is shown only
when every cell (shown site or all hidden sites together, x joined recently or not) holds none or at least k
people, so no sum or difference of the groups shown covers 1..k-1 people. Shares need k values; counts of
1..k-1 people read "fewer than k".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean

from teamweave.network.models import PersonMetric
from teamweave.people.schemas import DirectoryEntry
from teamweave.privacy.thresholds import TOO_FEW_PEOPLE, effective_k, passes

NEW_HIRE_LABEL = "joined in the last 6 months"
HIDDEN_SITES = None


def fewer_than(k: int) -> str:
    """What a count of 1..k-1 people reads as."""
    return f"fewer than {effective_k(k)}"


@dataclass(frozen=True)
class SliceHealth:
    """An aggregate over a group of people; ``too_few`` hides every value (and the group's size)."""

    label: str
    too_few: bool
    people: int | None = None
    mean_ties: float | None = None
    mean_strong_ties: float | None = None
    no_strong_tie: int | None = None
    no_strong_tie_share: float | None = None
    no_strong_tie_few: bool = False
    cross_team_share: float | None = None
    human_share: float | None = None
    after_hours_share: float | None = None

    @property
    def message(self) -> str | None:
        return TOO_FEW_PEOPLE if self.too_few else None


def rounded_share(value: float | None) -> float | None:
    """A share as shown: rounded to whole percent."""
    return None if value is None else round(value, 2)


def _mean(values: Sequence[float | None], k: int) -> float | None:
    present = [v for v in values if v is not None]
    return rounded_share(fmean(present)) if passes(len(present), k) else None


def slice_health(label: str, people: Sequence[str], rows: dict[str, PersonMetric], *, k: int) -> SliceHealth:
    """Aggregate the metric rows of ``people`` (pseudonyms); people without a row count as zero ties."""
    if not passes(len(people), k):
        return SliceHealth(label=label, too_few=True)
    found = [rows[p] for p in people if p in rows]
    ties = [float(rows[p].ties) if p in rows else 0.0 for p in people]
    strong = [float(rows[p].strong_ties) if p in rows else 0.0 for p in people]
    no_strong = sum(1 for s in strong if s == 0)
    few = 0 < no_strong < effective_k(k)
    return SliceHealth(
        label=label,
        too_few=False,
        people=len(people),
        mean_ties=round(fmean(ties), 2),
        mean_strong_ties=round(fmean(strong), 2),
        no_strong_tie=None if few else no_strong,
        no_strong_tie_share=None if few else rounded_share(no_strong / len(people)),
        no_strong_tie_few=few,
        cross_team_share=_mean([r.cross_team_share for r in found], k),
        human_share=_mean([r.human_share for r in found], k),
        after_hours_share=_mean([r.after_hours_share for r in found], k),
    )


def _hidden_sites(sizes: dict[str, int], k: int) -> set[str]:
    """Sites whose slice is hidden: those under k, and then the smallest others until the hidden people number
    none or at least k — otherwise the whole team minus the shown sites would give the hidden ones away."""
    hidden = {site for site, size in sizes.items() if not passes(size, k)}
    hidden_people = sum(sizes[site] for site in hidden)
    for site in sorted(set(sizes) - hidden, key=lambda name: (sizes[name], name)):
        if hidden_people == 0 or passes(hidden_people, k):
            break
        hidden.add(site)
        hidden_people += sizes[site]
    return hidden


def _is_new(member: DirectoryEntry, since: date) -> bool:
    return member.start_date is not None and member.start_date >= since


def _new_hire_cells_pass(members: list[DirectoryEntry], hidden: set[str], *, k: int, since: date) -> bool:
    """Whether every cell — a shown site, or all hidden sites together, crossed with joined recently or not —
    holds none or at least k people. Every group shown (whole team, shown sites, new hires) is a union of
    cells, so then no sum or difference of them can single out fewer than k people."""
    cells = Counter(
        (HIDDEN_SITES if site in hidden else site, _is_new(m, since))
        for m in members
        for site in (m.site_name or "no site",)
    )
    return all(passes(size, k) for size in cells.values())


def team_slices(
    members: list[DirectoryEntry], rows: dict[str, PersonMetric], *, k: int, since: date
) -> list[SliceHealth]:
    """Slices by site and by tenure. A site is hidden when it, or what the whole team minus the shown sites
    leaves, is under k; the new-hire slice is hidden unless every site-by-tenure cell is empty or >= k."""
    by_site: dict[str, list[str]] = defaultdict(list)
    for m in members:
        by_site[m.site_name or "no site"].append(m.pseudonym)
    hidden = _hidden_sites({site: len(people) for site, people in by_site.items()}, k)
    result = [
        SliceHealth(label=f"site: {site}", too_few=True)
        if site in hidden
        else slice_health(f"site: {site}", people, rows, k=k)
        for site, people in sorted(by_site.items())
    ]
    if _new_hire_cells_pass(members, hidden, k=k, since=since):
        new_hires = [m.pseudonym for m in members if _is_new(m, since)]
        result.append(slice_health(NEW_HIRE_LABEL, new_hires, rows, k=k))
    else:
        result.append(SliceHealth(label=NEW_HIRE_LABEL, too_few=True))
    return result
