"""The remodel model: physiology blocks (:mod:`~remodel.model.physiology`) and drug agents
(:mod:`~remodel.model.agents`), each declaring its states, outputs and citations
(:mod:`~remodel.model.declare`), assembled into one right-hand side (:mod:`~remodel.model.assembly`)
and evaluated for batches of members (:mod:`~remodel.model.batch`).

``Model`` and ``batch_parameters`` are imported on first use, so that the scenario-input modules
can read the model's tables (:mod:`~remodel.model.sites`) without importing the model.
"""

from .physiology.site import SYMBOLS as SITE_STATES
from .timing import DAYS_PER_YEAR

__all__ = ["DAYS_PER_YEAR", "Model", "SITE_STATES", "batch_parameters"]


def __getattr__(name):
    if name in ("Model", "batch_parameters"):
        from . import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
