"""One generated demo organisation (default size, fixed end date) shared by the demo tests."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from tests.demo.raw_export import RawDemo, read_demo

from teamweave.demo.generator import generate
from teamweave.demo.manifest import DemoManifest

DEMO_END = date(2026, 11, 23)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(scope="session")
def generated(demo_dir: Path) -> tuple[DemoManifest, float, float]:
    """The manifest, the wall-clock seconds and the CPU seconds (user + system) the generation took."""
    began, cpu = time.perf_counter(), time.process_time()
    manifest = generate(demo_dir, end=DEMO_END)
    return manifest, time.perf_counter() - began, time.process_time() - cpu


@pytest.fixture(scope="session")
def manifest(generated: tuple[DemoManifest, float, float]) -> DemoManifest:
    return generated[0]


@pytest.fixture(scope="session")
def raw(manifest: DemoManifest, demo_dir: Path) -> RawDemo:
    return read_demo(demo_dir)
