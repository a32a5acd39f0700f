import json
import math

import pytest


class Contract:
    """What one test measured, for each behaviour it checks: the case closest to failing.

    Each call records one case of a behaviour: the model's ``value``, the range the test allows
    (``low`` and ``high``, either may be None; they may depend on the case), the literature value or
    bound, its source key and the case (site, time, population, ...). Of the cases of one behaviour
    the record keeps the one with the smallest margin :math:`\\min(v - low, high - v)`, the one
    closest to failing (or furthest beyond), and counts the cases. A test whose assertion fails
    inside its loop stops there, so its record holds the worst case up to that failure.
    """

    def __init__(self):
        self.worst = {}  # behaviour -> (margin, row)
        self.cases = {}  # behaviour -> number of cases

    def __call__(self, behaviour, value, *, low=None, high=None, literature, source, case=""):
        value = float(value)
        margin = min(value - low if low is not None else math.inf, high - value if high is not None else math.inf)
        margin = -math.inf if math.isnan(margin) else margin
        self.cases[behaviour] = self.cases.get(behaviour, 0) + 1
        if behaviour not in self.worst or margin < self.worst[behaviour][0]:
            allowed = (f"{low:.4g} to {high:.4g}" if low is not None and high is not None else
                       f"≥ {low:.4g}" if low is not None else f"≤ {high:.4g}" if high is not None else "")
            self.worst[behaviour] = margin, {"behaviour": behaviour, "source": source, "literature": literature,
                                             "value": value, "case": str(case), "allowed": allowed}

    def rows(self):
        for behaviour, (_, row) in self.worst.items():
            n = self.cases[behaviour]
            where = ", ".join(filter(None, [f"worst of {n}" if n > 1 else "", row["case"]]))
            yield row | {"model": f"{row['value']:.3g}" + (f" ({where})" if where else "")}


@pytest.fixture
def contract(request):
    """Record what a contract test measured (see :class:`Contract`) in its ``user_properties``;
    ``pytest --contract-table PATH`` writes the records of a session, with each test's outcome, as a
    Markdown table. (Appended as pytest's ``record_property`` would, without its warning under
    ``--junitxml``'s default xunit2 schema, an error here.)"""
    measured = Contract()
    yield measured
    request.node.user_properties.extend(("contract", json.dumps(row)) for row in measured.rows())
