"""Tables of the privacy capability."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from teamweave.store.base import Base


class ErasureMark(Base):
    """The mark of a pseudonym of an erased person (their own, or one of their source identities'), so that an
    import of an export that still holds them does not bring their events and identities back. A mark is a
    one-way hash of the pseudonym (``privacy.erased.erasure_mark``): no name, e-mail, source id or pseudonym is
    kept and nothing else stored matches it, but whoever holds the pseudonym key can recompute it from an e-mail:
    pseudonymous data, kept until the person is readmitted (docs/privacy.md, "A person's rights")."""

    __tablename__ = "erasure_marks"

    org: Mapped[str] = mapped_column(String(64), primary_key=True)
    mark: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_mark: Mapped[str] = mapped_column(String(32), index=True, doc="the mark of the person's own pseudonym")
    erased_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
