"""Reports of simulated scenarios: comparison tables of arms and of their clinical pathways."""

from .compare import WHO_CATEGORIES, compare_rows, crossing_years
from .pathway import mean_patient, pathway_rows

__all__ = ["WHO_CATEGORIES", "compare_rows", "crossing_years", "mean_patient", "pathway_rows"]
