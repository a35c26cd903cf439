"""Where things are, for tests that read the project's own files or write output for review."""

from __future__ import annotations

from pathlib import Path

# The repository: tests/support/paths.py is two folders down.
ROOT = Path(__file__).resolve().parents[2]
# What the tests leave for a person to look at (screenshots), ignored by git.
TEST_OUTPUT = ROOT / "test-output"
