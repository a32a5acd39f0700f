"""The remodel model: physiology blocks and drug agents assembled into one right-hand side."""

from .batch import DAYS_PER_YEAR, SITE_STATES, Model, batch_parameters

__all__ = ["DAYS_PER_YEAR", "Model", "SITE_STATES", "batch_parameters"]
