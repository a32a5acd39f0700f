"""Verification against independent implementations: the curated Lemaire 2004 SBML (libroadrunner)."""

from pathlib import Path

import numpy as np
import pytest
import roadrunner

from remodel.model.physiology import lemaire2004

SBML = Path(__file__).parents[1] / "data" / "BIOMD0000000278_Lemaire2004.xml"

# Infusions chosen to move the cell populations by more than 10 % within 300 days
# (measured with the SBML: I_P=100 -> R +45 %, I_O=1e4 -> R -49 %, I_L=1e3 -> R +49 %).
CASES = {"baseline": {}, "PTH infusion": {"I_P": 100.0}, "OPG infusion": {"I_O": 1e4}, "RANKL infusion": {"I_L": 1e3}}


def sbml_trajectories(**infusions):
    rr = roadrunner.RoadRunner(str(SBML))
    rr.integrator.relative_tolerance = 1e-12
    rr.integrator.absolute_tolerance = 1e-18
    for name, value in infusions.items():
        rr[name] = value
    result = rr.simulate(0, 300, 301, selections=["time", "R", "B", "C"])
    return np.asarray(result)


@pytest.mark.parametrize("case", CASES)
def test_lemaire2004_matches_curated_sbml(case):
    reference = sbml_trajectories(**CASES[case])
    ours = lemaire2004.simulate(reference[:, 0], rtol=1e-11, **CASES[case])
    for i, name in enumerate(lemaire2004.STATE_NAMES, start=1):
        rel = np.max(np.abs(ours[name].values - reference[:, i]) / np.abs(reference[:, i]))
        assert rel <= 1e-5, f"{name}: max relative difference {rel:.2e}"


@pytest.mark.parametrize("case", [c for c in CASES if c != "baseline"])
def test_infusions_move_the_system_by_more_than_ten_percent(case):
    base = lemaire2004.simulate([0, 300])
    moved = lemaire2004.simulate([0, 300], **CASES[case])
    change = max(abs(moved[k][-1] / base[k][-1] - 1) for k in lemaire2004.STATE_NAMES)
    assert change > 0.10
