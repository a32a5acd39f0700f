"""Notebooks run under nbmake with the suite's rules: warnings are errors, and each notebook
finishes within a minute.

nbmake starts a fresh IPython kernel per notebook; the kernel inherits this process's
environment, so an ``IPYTHONDIR`` whose startup file turns warnings into errors applies the
project's ``filterwarnings = error`` inside the notebook too (a warning fails the cell that
raised it).
"""

import os
import tempfile
import time
from pathlib import Path

import pytest

#: Longest a notebook may take, kernel start included (seconds).
MAX_SECONDS = 60.0

_STARTUP = """\
import warnings
warnings.simplefilter("error")
# the kernel's own machinery (e.g. ipykernel's shutdown handler) is not the notebook's code
warnings.filterwarnings("ignore", module=r"(ipykernel|jupyter_client|comm|zmq|tornado|traitlets)\\b")
"""

_ipython_dir: tempfile.TemporaryDirectory | None = None


def _strict_ipython_dir() -> str:
    global _ipython_dir
    if _ipython_dir is None:
        _ipython_dir = tempfile.TemporaryDirectory(prefix="remodel-ipython-")
        startup = Path(_ipython_dir.name) / "profile_default" / "startup"
        startup.mkdir(parents=True)
        (startup / "00-warnings-are-errors.py").write_text(_STARTUP)
    return _ipython_dir.name


def pytest_sessionfinish(session):
    if _ipython_dir is not None:
        _ipython_dir.cleanup()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    if item.path.suffix != ".ipynb":
        return (yield)
    previous = os.environ.get("IPYTHONDIR")
    os.environ["IPYTHONDIR"] = _strict_ipython_dir()
    start = time.perf_counter()
    try:
        result = yield
    finally:
        if previous is None:
            del os.environ["IPYTHONDIR"]
        else:
            os.environ["IPYTHONDIR"] = previous
    elapsed = time.perf_counter() - start
    if elapsed > MAX_SECONDS:
        raise AssertionError(f"{item.path.name} took {elapsed:.0f} s; notebooks must run in under {MAX_SECONDS:.0f} s")
    return result
