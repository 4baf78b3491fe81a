"""Pages and API of recognition (filled in by its capability)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
