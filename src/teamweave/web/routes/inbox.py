"""Pages and API of inbox (filled in by its capability)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
