"""Reads for the network view: the people of a scope and the ties between them."""

from __future__ import annotations

__all__: list[str] = []
