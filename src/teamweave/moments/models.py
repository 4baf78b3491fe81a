"""Tables of the moments capability."""

from __future__ import annotations
