"""A drug is one declaration: a hypothetical anti-resorptive, defined here and nowhere else, is
assembled into the model, simulated and reported (issue 11)."""

import numpy as np
import pytest

import remodel
from remodel.model.agents import registered
from remodel.model.declare import Agent, Drug, Output, State
from remodel.parameters import Parameter

CITATION = "Hypothetical2026"


def _kinetics(y, dy, i, formation, resorption, p, weight_kg):
    """First-order absorption from the injection depot ``y[i]`` and first-order elimination."""
    dy[i] = -p["k_a_hyp"] * y[i]
    dy[i + 1] = p["k_a_hyp"] * y[i] - p["k_el_hyp"] * y[i + 1]


def _apoptosis(y, i, p):
    return 1.0 + p["E_max_hyp"] * y[i + 1] / (y[i + 1] + p["EC50_hyp"])


def _dose(therapy, p):
    return "hyp_depot", therapy.dose * np.ones_like(p["k_a_hyp"])


AGENT = Agent(
    "hypothetical_antiresorptive",
    drugs=(Drug("hypothetinib", "hypothetical_antiresorptive", "mg", 10.0, "hypothetical monthly injection",
                (CITATION,), 30.0),),
    citations=(CITATION,),
    states=(State("hyp_depot", "mg", 10.0),
            State("hyp_central", "mg", 10.0, Output("hypothetinib_amount", "mg", "hypothetinib in the body",
                                                    "central compartment"))),
    kinetics=_kinetics,
    effects={"osteoclast_apoptosis": _apoptosis},
    dose=_dose,
    bibliography={CITATION: "A. Nonymous. A hypothetical anti-resorptive. J Throwaway 2026;1:1."},
)
PARAMETERS = remodel.parameter_set("Remodel2026").extended("Remodel2026+hypothetinib", "Remodel2026", "with a test drug", [
    Parameter("k_a_hyp", 0.5, "1/day", "absorption rate from the depot", CITATION),
    Parameter("k_el_hyp", 0.1, "1/day", "elimination rate", CITATION),
    Parameter("E_max_hyp", 2.0, "1", "largest rise of osteoclast apoptosis", CITATION),
    Parameter("EC50_hyp", 1.0, "mg", "amount at half the largest effect", CITATION),
])


def test_a_drug_declared_in_one_place_is_assembled_simulated_and_reported():
    therapy_arms = {"untreated": [], "hypothetinib": None}
    with registered(AGENT):
        therapy_arms["hypothetinib"] = [remodel.Therapy("hypothetinib", 0.0, 2.0)]
        ds = remodel.simulate("postmenopausal_woman", therapy_arms, years=3, output_times=[0, 1, 2, 3],
                              parameters=PARAMETERS, rtol=1e-8)
        with pytest.raises(KeyError, match="lacks 4 parameters"):  # the parameter check knows its parameters
            remodel.simulate("postmenopausal_woman", therapy_arms["hypothetinib"], years=1)
    amount = ds["hypothetinib_amount"]
    assert amount.attrs["units"] == "mg" and amount.attrs["long_name"] == "hypothetinib in the body"
    assert amount.sel(arm="untreated").max() == 0 and amount.sel(arm="hypothetinib", time=1) > 1
    change = ds["bmd_change"].sel(site="lumbar_spine", time=2)
    assert change.sel(arm="hypothetinib") > change.sel(arm="untreated") + 1  # anti-resorptive while taken
    assert f"[{CITATION}]" in ds.attrs["references"]
    # the model without it is the model of the package again
    assert "hypothetinib" not in remodel.DRUGS and "hypothetinib_amount" not in remodel.simulate(
        "postmenopausal_woman", years=1, output_times=[0, 1])
