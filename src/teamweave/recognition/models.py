"""Tables of the recognition capability."""

from __future__ import annotations
