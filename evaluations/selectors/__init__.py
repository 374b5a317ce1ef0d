"""Reads for evaluations and the alumni network."""

from .alumni import *  # noqa: F403
from .network import *  # noqa: F403
from .relay import *  # noqa: F403
from .surveys import *  # noqa: F403
from .surveys import _fits  # noqa: F401  (views check that a kept answer still fits its question)
