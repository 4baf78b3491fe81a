"""What imports leave out after an erasure: the identities of erased people, and their events.

An erasure (``privacy.erasure``) removes a person's events from the store and remembers the marks of their
pseudonyms (their own and their source identities'): one-way hashes that nothing else stored matches (whoever
holds the pseudonym key can recompute one from an e-mail), from which an import recognises an identity it
meets again. The exports a team imports again and again (a cumulative Slack export, a mailbox, a calendar)
still hold the person; importing one must not bring their events or identities back. So an import leaves out
every event an erased person acted in, strikes them from the targets of the others (the audience count stays,
as in the erasure) and records no identity row for them, until :func:`readmit_person` lets them back in (a
person who rejoins, say; what was erased stays erased).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from teamweave.errors import NotFound
from teamweave.privacy import repository
from teamweave.privacy.pseudonym import Pseudonymiser


def erasure_mark(pseudonym: str) -> str:
    """The mark an erasure keeps of a pseudonym: a one-way hash (BLAKE2b, 128 bits, in its own namespace), so
    the stored marks name no pseudonym; a pseudonym met again gives the same mark.

    Examples
    --------
    >>> erasure_mark("b0ab88b26cee57699d90") == erasure_mark("b0ab88b26cee57699d90"), len(erasure_mark("x"))
    (True, 32)
    """
    return hashlib.blake2b(f"teamweave.erased:{pseudonym}".encode(), digest_size=16).hexdigest()


def erasure_marks(session: Session, *, org: str) -> set[str]:
    """The marks of the org's erased people's pseudonyms, their identities' included."""
    return repository.erasure_marks(session, org=org)


def readmit_person(session: Session, *, org: str, email: str, pseudonymiser: Pseudonymiser) -> int:
    """Let an erased person back into imports; return how many marks of theirs were forgotten.
    :class:`NotFound` when the e-mail belongs to nobody erased. Never commits."""
    person_mark = erasure_mark(pseudonymiser.person_of_email(email))
    forgotten = repository.forget_erasure_marks(session, org=org, person_mark=person_mark)
    if forgotten == 0:
        raise NotFound(f"no erased person with e-mail {email}", where=f"org {org}")
    return forgotten


def without_erased(events: pa.Table, erased: set[str] | frozenset[str]) -> tuple[pa.Table, int]:
    """``events`` (the event store's schema) without the acts of ``erased`` pseudonyms, and with them struck
    from the targets of the rest (``audience`` kept); also how many events were left out.

    Examples
    --------
    >>> t = pa.table({"actor": ["a", "x", "b"], "targets": [["x", "b"], ["a"], ["a"]], "audience": [2, 1, 1]})
    >>> kept, left_out = without_erased(t, {"x"})
    >>> kept.to_pydict(), left_out
    ({'actor': ['a', 'b'], 'targets': [['b'], ['a']], 'audience': [2, 1]}, 1)
    """
    if not erased or events.num_rows == 0:
        return events, 0
    value_set = pa.array(sorted(erased), type=pa.string())
    acted = pc.is_in(events.column("actor"), value_set=value_set)
    kept = events.filter(pc.invert(acted)) if pc.any(acted).as_py() else events
    targets = kept.column("targets").combine_chunks()
    flat = pc.list_flatten(targets)
    struck = pc.is_in(flat, value_set=value_set)
    if pc.any(struck).as_py():
        keep = pc.invert(struck)
        owners = pc.list_parent_indices(targets).filter(keep).to_numpy()
        offsets = np.zeros(len(targets) + 1, dtype=np.int32)
        np.cumsum(np.bincount(owners, minlength=len(targets)), out=offsets[1:])
        field = kept.schema.field("targets")
        scrubbed = pa.ListArray.from_arrays(pa.array(offsets), flat.filter(keep), type=field.type)
        kept = kept.set_column(kept.schema.get_field_index("targets"), field, scrubbed)
    return kept, events.num_rows - kept.num_rows
