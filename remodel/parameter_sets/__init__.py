"""Published and project parameter sets, by name."""

from .lemaire2004 import Lemaire2004
from .pivonka2008 import Pivonka2008
from .remodel2026 import Remodel2026

PARAMETER_SETS = {s.name: s for s in (Lemaire2004, Pivonka2008, Remodel2026)}
