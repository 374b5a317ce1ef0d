"""Every write that matters about evaluations and the alumni network goes through these services."""

from .alumni import *  # noqa: F403
from .relay import *  # noqa: F403
from .surveys import *  # noqa: F403
from .surveys import _who_is_asked  # noqa: F401  (the demo seed asks who a survey reaches)
