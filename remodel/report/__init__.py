"""Reports of simulated scenarios: comparison tables and figure of arms, and tables of their clinical pathways."""

from .compare import WHO_CATEGORIES, compare_rows, crossing_years, format_compare_table, format_periods, periods_below
from .figure import compare_figure
from .pathway import format_pathway_table, mean_patient, pathway_rows

__all__ = ["WHO_CATEGORIES", "compare_figure", "compare_rows", "crossing_years", "format_compare_table", "format_pathway_table",
           "format_periods", "mean_patient", "pathway_rows", "periods_below"]
