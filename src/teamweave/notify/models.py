"""Tables of the notify capability."""

from __future__ import annotations
