"""Analytic properties: steady state, positivity, the published Pivonka 2008 steady state."""


import numpy as np
import pytest

import remodel
from remodel import Regimen, Therapy
from remodel.model import Model, batch_parameters
from remodel.simulation import _run

DAYS_50_YEARS = 50 * 365.25


@pytest.mark.parametrize("name", sorted(remodel.POPULATIONS))
def test_frozen_drivers_do_not_drift_over_50_years(name):
    population = remodel.population(name)
    p = batch_parameters(remodel.parameter_set("Remodel2026"))
    model = Model(population, [Regimen()], p)
    t = np.linspace(0.0, DAYS_50_YEARS, 11)
    states = _run(model, t, DAYS_50_YEARS, frozen=True, rtol=1e-9)[0][:, :, 0]
    site_states = states[:, : model.assembly.n_site_rows]
    empty = site_states[0] == 0.0  # the osteomorphs, which only RANKL blockade makes
    np.testing.assert_array_equal(site_states[:, empty], 0.0)
    drift = np.max(np.abs(site_states[:, ~empty] / site_states[0, ~empty] - 1.0))
    assert drift < 1e-6, f"{name}: relative drift {drift:.2e}"


def test_pivonka2008_published_steady_state():
    """Our cell and signalling blocks with the Pivonka2008 set reproduce its published steady state
    (OBp 6.196e-4, OBa 5.584e-4, OCa 8.070e-4 pM; Pivonka 2008 / reference code)."""
    from remodel.model.physiology import cells, signalling
    from remodel.solvers.newton import newton_log

    p = {k: np.array([v]) for k, v in remodel.parameter_set("Pivonka2008").values().items()}
    p.update(k_phi=np.array([1.0]), w_phi=np.array([0.0]), omega_OC=np.array([0.0]), f_OM=np.array([0.0]),
             theta_OM=np.array([0.5]), k_fus_OM=np.array([0.0]), A_OM=np.array([0.0]), OBp_ocy=np.array([0.0]))

    def residual(x):
        sig = signalling.signals(x[0], x[1], x[2], p)
        d = cells.cell_rates(x[0], x[1], 1.0, x[2], 0.0, sig, p, sig.rankl_occupancy)
        return np.stack([d[0], d[1], d[3]]) / x

    steady = newton_log(residual, np.full((3, 1), 1e-3))[:, 0]
    np.testing.assert_allclose(steady, [6.196390628e-4, 5.583931900e-4, 8.069635263e-4], rtol=1e-8)


DRUG_COMBINATIONS = [()] + [(d,) for d in remodel.DRUGS] + [
    ("anastrozole", "zoledronic_acid"), ("letrozole", "denosumab"), ("goserelin", "anastrozole"),
    ("goserelin", "tamoxifen"), ("testosterone", "anastrozole"), ("exemestane", "alendronate"),
]


@pytest.mark.parametrize("name", ["premenopausal_woman", "postmenopausal_woman", "hypogonadal_man"])
def test_positivity_for_all_supported_therapies(name):
    arms = {"+".join(c) or "none": Regimen(tuple(Therapy(d, stop_year=3.0) for d in c)) for c in DRUG_COMBINATIONS}
    ds = remodel.simulate(name, arms, years=5, output_times=np.linspace(0, 5, 61))
    for var in ("bmd", "osteoblast_precursors", "active_osteoblasts", "active_osteoclasts",
                "osteoclast_precursor_pool", "bone_volume", "estradiol", "rankl_opg_ratio"):
        values = ds[var].values
        assert np.all(np.isfinite(values)), var
        assert values.min() > 0 or (var == "estradiol" and values.min() >= 0), var
