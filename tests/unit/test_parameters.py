"""Every parameter is a complete record with a resolvable source."""

import math
import re

import pytest

from remodel import citations
from remodel.parameters import parameter_set, parameter_set_names
from remodel.trials import EXTRA_TARGETS, load_targets

KNOWN_TARGETS = {row["id"] for row in load_targets()} | {row["id"] for row in EXTRA_TARGETS}


@pytest.mark.parametrize("name", parameter_set_names())
def test_every_parameter_has_value_units_description_source(name):
    for p in parameter_set(name).values().keys():
        record = parameter_set(name)[p]
        assert math.isfinite(record.value), p
        assert record.units.strip(), f"{name}.{p} lacks units"
        assert len(record.description.split()) >= 3, f"{name}.{p} lacks a description"
        assert record.bounds[0] <= record.value <= record.bounds[1], p


@pytest.mark.parametrize("name", parameter_set_names())
def test_every_source_resolves(name):
    for record in parameter_set(name).parameters.values():
        source = record.source
        if source.startswith("calibrated:"):
            ids = set(re.findall(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\b", source.removeprefix("calibrated:")))
            papers = set(re.findall(r"[A-Z][A-Za-z]+\d{4}", source))
            assert ids or papers, f"{record.name}: calibrated without target ids"
            assert ids <= KNOWN_TARGETS, f"{record.name}: unknown targets {ids - KNOWN_TARGETS}"
            assert papers <= set(citations.BIBLIOGRAPHY), f"{record.name}: unknown papers {papers}"
        else:
            key = source.split(";")[0].strip()
            assert key in citations.BIBLIOGRAPHY, f"{record.name}: unknown source {source!r}"


def test_every_cited_key_in_code_exists():
    """Citation keys named by blocks and agents are all in the bibliography."""
    from remodel.model.agents import AGENTS
    from remodel.model.assembly import PHYSIOLOGY

    keys = set(citations.CORE)
    for block in PHYSIOLOGY:
        keys |= set(block.CITATIONS)
    for agent in AGENTS.values():
        keys |= set(agent.citations) | {key for drug in agent.drugs for key in drug.citations}
    assert keys <= set(citations.BIBLIOGRAPHY), keys - set(citations.BIBLIOGRAPHY)


def test_unknown_set_name_lists_valid_ones():
    with pytest.raises(KeyError, match="Lemaire2004.*Pivonka2008.*Remodel2026"):
        parameter_set("Pivonka2009")


def test_calibrated_values_are_within_bounds_and_not_pinned():
    """A calibrated value sitting on a bound means the fit wanted to go further: flag it."""
    params = parameter_set("Remodel2026")
    pinned = [p.name for p in params.parameters.values()
              if p.source.startswith("calibrated") and p.value in p.bounds]
    assert not pinned, f"calibrated parameters on a bound: {pinned}"
