"""The error of a sweep that cannot be set up as asked."""


class SweepError(ValueError):
    """A sweep cannot be set up as asked (bad names, bounds, design, table or store); the message says why."""
