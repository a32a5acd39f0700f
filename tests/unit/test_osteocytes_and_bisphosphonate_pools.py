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


def test_the_sites_make_the_weight_bearing_share_of_serum_sclerostin():
    """Spatz2012, LeBlanc1990: at full unloading of every site (r- = 0.99) serum sclerostin rises by
    f_weight_bearing kappa_disuse r-, the rest of the skeleton keeping its expression; a single
    unloaded site of three moves it a third as much."""
    e2 = np.array([0.2, 6.0, 100.0])
    habitual = osteocytes.serum_sclerostin(e2, np.zeros((3, 3)), np.zeros((3, 3)), P)
    unloaded = osteocytes.serum_sclerostin(e2, np.zeros((3, 3)), np.full((3, 3), 0.99), P)
    rise = P["f_weight_bearing"] * P["kappa_disuse"] * 0.99
    np.testing.assert_allclose(unloaded / habitual - 1.0, rise)
    one = osteocytes.serum_sclerostin(e2, np.zeros((3, 3)), np.array([[0.99] * 3, [0.0] * 3, [0.0] * 3]), P)
    np.testing.assert_allclose(one / habitual - 1.0, rise / 3)


def test_sclerostin_carries_the_mechanostat_to_osteoblastogenesis_and_rankl():
    """The Wnt drive w = 1/(s f_free) - 1 is the overload response kappa_load r+ without drug (the
    mechanostat's drive before sclerostin carried it), negative under disuse (Zerwekh1998), and rises
    as an antibody binds sclerostin; osteocytic RANKL follows sclerostin's expression and falls as the
    antibody binds it (Wijenayaka2011)."""
    r = np.array([0.0, 0.05, 0.2])
    zero = np.zeros(3)
    np.testing.assert_allclose(osteocytes.wnt_drive(r, zero, 1.0, P), P["kappa_load"] * r)
    assert np.all(osteocytes.wnt_drive(zero[1:], r[1:], 1.0, P) < 0)
    u = np.array([-100.0, -1.0, -1e-6, 0.0, 1e-6, 1.0])
    gain = osteocytes.osteoblastogenesis(u)
    assert np.all(gain > 0) and np.all(np.diff(gain) > 0)
    np.testing.assert_allclose(gain[2:5], 1.0 + u[2:5], atol=1e-11)
    free = np.array([1.0, 0.8, 0.5])
    assert np.all(np.diff(osteocytes.wnt_drive(0.0, 0.0, free, P)) > 0)
    np.testing.assert_allclose(osteocytes.osteocytic_rankl(r, zero, 1.0, P), osteocytes.sclerostin_expression(r, zero, P))
    assert np.all(np.diff(osteocytes.osteocytic_rankl(0.0, 0.0, free, P)) < 0)


def test_a_bisphosphonate_dose_lands_on_the_resorbing_surfaces_and_moves_on_at_k_r():
    """Sato1991: the dose adsorbs first where bone is resorbed: all of it in the resorbing-surface pool at
    the dose, which empties at k_r_BP into the rest of the surface (and gains back only the little that
    resorption exhumes from the drug buried since: less than a thousandth in a month); the two together
    lose only what desorbs or is buried, slowly (less than a tenth in a month)."""
    days = np.array([0.0, 5.0, 10.0, 30.0])
    ds = remodel.simulate("postmenopausal_woman", [Therapy("zoledronic_acid", stop_year=0.5)], years=0.1,
                          output_times=days / 365.25, rtol=1e-10,
                          variables=["bisphosphonate_resorbing", "bisphosphonate_bound"])
    resorbing = ds.bisphosphonate_resorbing.values.ravel()
    surface = ds.bisphosphonate_bound.values.ravel()
    dose = 5.0 * P["f_bone_BP"] * P["potency_zoledronic_acid"]
    np.testing.assert_allclose(resorbing[0], dose, rtol=1e-6)
    emptied = dose * np.exp(-P["k_r_BP"] * days)
    assert np.all(resorbing >= emptied * (1 - 1e-6)), resorbing - emptied
    np.testing.assert_allclose(resorbing, emptied, rtol=1e-3)
    assert surface[0] < 1e-6 * dose
    total = resorbing + surface
    assert np.all(np.diff(total) <= 0) and total[-1] >= 0.9 * dose, total
