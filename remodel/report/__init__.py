"""Reports of simulated scenarios: comparison tables of arms."""

from .compare import WHO_CATEGORIES, compare_rows, crossing_years

__all__ = ["WHO_CATEGORIES", "compare_rows", "crossing_years"]
