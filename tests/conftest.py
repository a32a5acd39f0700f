import json
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

pytest_plugins = ["pytester"]  # tests/validation/test_contract_table.py runs pytest on a synthetic module


def pytest_addoption(parser):
    # Here, not in tests/validation/conftest.py: pytest reads options only from the conftests it loads
    # before parsing the command line, this one.
    parser.addoption("--contract-table", metavar="PATH",
                     help="write a Markdown table of what each test recorded with the `contract` fixture "
                          "(tests/validation/conftest.py) and its outcome")


def pytest_configure(config):
    if config.getoption("contract_table"):
        config.pluginmanager.register(ContractTable(config.getoption("contract_table")), "contract-table")


class ContractTable:
    """Collects each test's outcome (from pytest's reports) and recorded behaviours, and writes the table."""

    COLUMNS = ("test", "behaviour", "source", "literature", "model", "allowed", "outcome")

    def __init__(self, path):
        self.path = path
        self.tests = {}  # node id -> {"outcome": str, "rows": [dict]}

    def pytest_runtest_logreport(self, report):
        test = self.tests.setdefault(report.nodeid, {"outcome": "not run", "rows": []})
        if hasattr(report, "wasxfail"):
            test["outcome"] = "xfail (known gap)" if report.skipped else "xpass"
        elif report.failed:
            xpass = isinstance(report.longrepr, str) and report.longrepr.startswith("[XPASS(strict)]")
            test["outcome"] = ("failed (unexpected pass)" if xpass else
                               "failed" if report.when == "call" else f"error ({report.when})")
        elif report.skipped:
            test["outcome"] = "skipped"
        elif report.when == "call":
            test["outcome"] = "passed"
        if report.when == "teardown":
            test["rows"] = [json.loads(value) for name, value in report.user_properties if name == "contract"]

    def pytest_sessionfinish(self, session):
        def cells(values):
            return "| " + " | ".join(str(v).replace("|", "\\|").replace("\n", " ") for v in values) + " |"

        lines = [cells(self.COLUMNS), cells("---" for _ in self.COLUMNS)]
        for nodeid, test in self.tests.items():
            name = nodeid.split("::", 1)[-1]
            for row in test["rows"] or [{"behaviour": "(not recorded)"}]:
                lines.append(cells([name, *(row.get(c, "") for c in self.COLUMNS[1:-1]), test["outcome"]]))
        counts = Counter(test["outcome"] for test in self.tests.values())
        unrecorded = sum(not test["rows"] for test in self.tests.values())
        lines += ["", ", ".join(f"{n} {outcome}" for outcome, n in counts.items()) + f"; {unrecorded} recorded nothing."]
        Path(self.path).write_text("\n".join(lines) + "\n", encoding="utf-8")
