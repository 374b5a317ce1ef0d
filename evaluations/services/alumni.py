"""The alumni network: directory listings, collaborations."""

from __future__ import annotations

__all__: list[str] = []
