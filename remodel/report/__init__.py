"""Reports of simulated scenarios: comparison tables of arms."""

from .compare import WHO_CATEGORIES, compare_rows, crossing_years, format_periods, periods_below

__all__ = ["WHO_CATEGORIES", "compare_rows", "crossing_years", "format_periods", "periods_below"]
