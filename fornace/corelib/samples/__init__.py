"""Sample application packages written for Fornace (``fornace serve`` imports them first)."""

from __future__ import annotations

from pathlib import Path

SAMPLES_DIR = Path(__file__).parent


def sample_package_dirs() -> list[Path]:
    """Package folders (each with manifest.yaml) of the samples, in import order."""
    return sorted(p for p in SAMPLES_DIR.iterdir() if (p / "manifest.yaml").is_file())
