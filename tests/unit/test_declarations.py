"""The declarations the model is assembled from: agents, sites and nutrients, each fact in one place."""

import dataclasses

import pytest

import remodel
from remodel.model import agents
from remodel.model.declare import Agent, Drug, State, parameters_read
from remodel.model.nutrients import NUTRIENTS
from remodel.model.physiology import nutrition
from remodel.model.sites import SITE_TABLE


def test_a_discrete_dose_drug_needs_its_own_dose():
    """Regression (issue 11): a discrete-dose drug that was not a bisphosphonate silently took the
    bisphosphonate branch of the dose function. Now the agent declares its dose, or is refused."""
    monthly = Drug("monthlyumab", "test", "mg", 1.0, "test drug", (), 30.0)
    with pytest.raises(ValueError, match="discrete doses, but the agent declares no dose"):
        Agent("test", drugs=(monthly,), citations=(), states=(State("x", "mg", 1.0),),
              kinetics=lambda y, dy, i, f, r, p, w: None)


def test_every_drug_of_the_catalogue_comes_from_one_agent():
    from_agents = [d.name for a in agents.AGENTS.values() for d in a.drugs]
    assert sorted(from_agents) == sorted(remodel.DRUGS) and len(set(from_agents)) == len(from_agents)
    with pytest.raises(ValueError, match="already declared"):
        with agents.registered(Agent("again", drugs=(remodel.DRUGS["tamoxifen"],), citations=())):
            pass
    assert "again" not in agents.AGENTS


def test_the_parameters_a_mechanism_reads_are_found_in_its_source():
    from remodel.model.agents import denosumab

    assert parameters_read(denosumab.kinetics) == {"k_a_den", "V_c_den", "F_den", "V_max_den", "K_m_den", "k_el_den",
                                                   "k_e0_den", "B_max_den"}


def test_the_site_table_is_the_list_of_sites_and_their_turnover_parameters():
    assert remodel.SITES == tuple(s.name for s in SITE_TABLE)
    assert {s.turnover_parameter for s in SITE_TABLE} <= set(remodel.parameter_set("Remodel2026"))
    assert {s.region for s in SITE_TABLE} == {"spine", "hip"}


def test_the_nutrient_table_drives_diet_supplements_and_the_block():
    diet = {f.name: f.default for f in dataclasses.fields(remodel.Nutrition) if f.name.endswith("_per_day")}
    assert diet == {n.key: n.adequate for n in NUTRIENTS}
    supplement = {f.name for f in dataclasses.fields(remodel.Supplement) if f.name.endswith("_per_day")}
    assert supplement == {n.key for n in NUTRIENTS if n.supplement}
    assert nutrition.ADEQUATE == {n.name: n.adequate for n in NUTRIENTS}
    with pytest.raises(ValueError, match="sodium_mg_per_day must be a number between 0 and 15000"):
        remodel.Nutrition(sodium_mg_per_day=20000.0)


def test_every_declared_output_is_computed():
    from remodel.model.observables import output_variables

    ds = remodel.simulate("postmenopausal_woman", years=1, output_times=[0, 1])
    assert list(ds.data_vars) == list(output_variables())
    for name, output in output_variables().items():
        assert ds[name].attrs == {"units": output.units, "long_name": output.long_name,
                                  "description": output.description}
