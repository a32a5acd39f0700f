"""Reports of simulated scenarios: comparison tables of arms and of their clinical pathways."""

from .compare import WHO_CATEGORIES, compare_rows, crossing_years, format_periods, periods_below
from .pathway import mean_patient, pathway_rows

__all__ = ["WHO_CATEGORIES", "compare_rows", "crossing_years", "format_periods", "mean_patient", "pathway_rows",
           "periods_below"]
