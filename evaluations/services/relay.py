"""Messages relayed between alumni: checks, rate limit, blocks, the log."""

from __future__ import annotations

__all__: list[str] = []
