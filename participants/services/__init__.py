"""Every write that matters about participants goes through these services."""

from .applications import *  # noqa: F403
from .attendance import *  # noqa: F403
from .audit import *  # noqa: F403
from .calls import *  # noqa: F403
from .cohorts import *  # noqa: F403
from .invitations import *  # noqa: F403
from .memberships import *  # noqa: F403
from .nominations import *  # noqa: F403
from .packs import *  # noqa: F403
from .registrations import *  # noqa: F403
from .reviews import *  # noqa: F403
from .selection import *  # noqa: F403
