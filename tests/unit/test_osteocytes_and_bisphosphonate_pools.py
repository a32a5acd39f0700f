"""Unit checks of the osteocytes' sclerostin output and of the bisphosphonates' resorbing-surface pool."""

from __future__ import annotations

import numpy as np

import remodel
from remodel import Therapy
from remodel.model.physiology import osteocytes
from remodel.parameters import parameter_set

P = {name: record.value for name, record in parameter_set("Remodel2026").items()}


def test_sclerostin_estrogen_deficiency_is_a_binding_isotherm_of_serum_estradiol():
    """d_Scl = K/(K + E2): 1 without estradiol, a half at K_Scl_E2, falling with estradiol; sclerostin
    at habitual loading (r+ = r- = 0) is Scl_ref (1 + lambda d_Scl)."""
    e2 = np.array([0.0, P["K_Scl_E2"], 10.0, 100.0])
    d = osteocytes.estrogen_deficiency(e2, P)
    np.testing.assert_allclose(d[:2], [1.0, 0.5])
    assert np.all(np.diff(d) < 0)
    level = osteocytes.serum_sclerostin(e2, np.zeros((3, 4)), np.zeros((3, 4)), P)
    np.testing.assert_allclose(level, P["Scl_ref"] * (1.0 + P["lambda_Scl_E"] * d))


def test_loading_lowers_and_disuse_raises_sclerostin_at_any_estradiol():
    e2 = np.array([0.2, 6.0, 100.0])
    habitual = osteocytes.serum_sclerostin(e2, np.zeros((3, 3)), np.zeros((3, 3)), P)
    loaded = osteocytes.serum_sclerostin(e2, np.full((3, 3), 0.1), np.zeros((3, 3)), P)
    unloaded = osteocytes.serum_sclerostin(e2, np.zeros((3, 3)), np.full((3, 3), 0.1), P)
    assert np.all(loaded < habitual) and np.all(unloaded > habitual)


def test_a_bisphosphonate_dose_lands_on_the_resorbing_surfaces_and_moves_on_at_k_r():
    """Sato1991: the dose adsorbs first where bone is resorbed: all of it in the resorbing-surface pool at
    the dose, which empties at k_r_BP into the rest of the surface; the two together lose only what
    desorbs or is buried, slowly (less than a tenth in a month)."""
    days = np.array([0.0, 5.0, 10.0, 30.0])
    ds = remodel.simulate("postmenopausal_woman", [Therapy("zoledronic_acid", stop_year=0.5)], years=0.1,
                          output_times=days / 365.25, rtol=1e-10,
                          variables=["bisphosphonate_resorbing", "bisphosphonate_bound"])
    resorbing = ds.bisphosphonate_resorbing.values.ravel()
    surface = ds.bisphosphonate_bound.values.ravel()
    dose = 5.0 * P["f_bone_BP"] * P["potency_zoledronic_acid"]
    np.testing.assert_allclose(resorbing[0], dose, rtol=1e-6)
    np.testing.assert_allclose(resorbing, dose * np.exp(-P["k_r_BP"] * days), rtol=1e-5)
    assert surface[0] < 1e-6 * dose
    total = resorbing + surface
    assert np.all(np.diff(total) <= 0) and total[-1] >= 0.9 * dose, total
