"""Imports every capability's models so that ``Base.metadata`` knows all tables (for Alembic and tests)."""

from __future__ import annotations

from teamweave.accounts import models as accounts_models
from teamweave.audit import models as audit_models
from teamweave.checkins import models as checkins_models
from teamweave.imports import models as imports_models
from teamweave.moments import models as moments_models
from teamweave.network import models as network_models
from teamweave.notify import models as notify_models
from teamweave.people import models as people_models
from teamweave.privacy import models as privacy_models
from teamweave.recognition import models as recognition_models
from teamweave.store.base import Base

ALL_MODEL_MODULES = (
    people_models,
    accounts_models,
    imports_models,
    network_models,
    audit_models,
    checkins_models,
    notify_models,
    recognition_models,
    moments_models,
    privacy_models,
)

metadata = Base.metadata
