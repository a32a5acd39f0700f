"""The tutorial notebooks: listed in notebooks/README.md, stored without outputs, narrated.

They are executed by nbmake (``pytest --nbmake tests notebooks``), with warnings as errors and a
one-minute limit per notebook (notebooks/conftest.py).
"""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


def _readme_links():
    return set(re.findall(r"\]\(([^)]+\.ipynb)\)", (NOTEBOOKS / "README.md").read_text()))


def test_there_are_notebooks():
    assert len(NOTEBOOK_FILES) >= 6


def test_readme_lists_every_notebook_and_only_existing_ones():
    names = {p.name for p in NOTEBOOK_FILES}
    links = _readme_links()
    assert names - links == set(), "notebooks missing from notebooks/README.md"
    assert links - names == set(), "notebooks/README.md links to notebooks that do not exist"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear outputs before committing"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_notebook_is_narrated(path):
    book = nbformat.read(path, as_version=4)
    assert book.cells[0].cell_type == "markdown" and book.cells[0].source.startswith("# ")
    markdown = [c for c in book.cells if c.cell_type == "markdown"]
    code = [c for c in book.cells if c.cell_type == "code"]
    assert len(markdown) >= 2 and code
