"""The remodel model: physiology blocks (:mod:`~remodel.model.physiology`) and drug agents
(:mod:`~remodel.model.agents`), each declaring its states, outputs and citations
(:mod:`~remodel.model.declare`), assembled into one right-hand side (:mod:`~remodel.model.assembly`)
and evaluated for batches of members (:mod:`~remodel.model.batch`)."""

from .batch import Model, batch_parameters
from .physiology.site import SYMBOLS as SITE_STATES
from .timing import DAYS_PER_YEAR

__all__ = ["DAYS_PER_YEAR", "Model", "SITE_STATES", "batch_parameters"]
