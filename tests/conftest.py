"""Fixtures shared by the test folders (tests/core, tests/apps, tests/learn).

Paths and the ``zhibiao`` runner are plain functions in tests/helpers.py, importable
because pyproject.toml puts ``tests`` and ``benchmarks`` on pytest's ``pythonpath``.
"""
from __future__ import annotations

import pytest
from helpers import SEED

import pipeline


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The user's sample: the Q2 2024 progress table as a PDF-text dump."""
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_result(seed_text: str) -> dict:
    """``pipeline.extract`` of the seed with the default extractors (the contract dict)."""
    return pipeline.extract(seed_text, doc_id="seed")
