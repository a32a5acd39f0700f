"""Sensitivity analysis: Sobol indices of the Ishigami function (analytic values), Morris elementary
effects of a linear function (exact), and the same code path on the model end to end."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

import remodel
from remodel import Population, Therapy
from remodel.sensitivity import (format_indices, morris, morris_model, plot_indices, problem, scalar_output, sobol,
                                 sobol_model)

YOUNG = Population("young", "female", 34.5, menopause_age=35.0)


def ishigami(X, a=7.0, b=0.1):
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def ishigami_indices(a=7.0, b=0.1):
    """Analytic Sobol indices of the Ishigami function on [-pi, pi]^3 (Sobol and Levitan 1999;
    Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, sec. 2.9)."""
    pi = math.pi
    v1 = 0.5 * (1 + b * pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def test_sobol_recovers_the_analytic_indices_of_the_ishigami_function():
    prob = problem({name: (-math.pi, math.pi) for name in ("x1", "x2", "x3")})
    ds = sobol(ishigami, prob, 4096, seed=1)
    s1, st = ishigami_indices()
    assert list(ds["parameter"].values) == ["x1", "x2", "x3"]
    np.testing.assert_allclose(ds["S1"].values, s1, atol=0.03)
    np.testing.assert_allclose(ds["ST"].values, st, atol=0.03)
    assert np.all(ds["S1_conf"].values > 0) and np.all(ds["ST_conf"].values < 0.1)
    assert ds.attrs["evaluations"] == 4096 * (3 + 2)


def test_sobol_second_order_finds_the_x1_x3_interaction():
    prob = problem({name: (-math.pi, math.pi) for name in ("x1", "x2", "x3")})
    ds = sobol(ishigami, prob, 2048, seed=2, calc_second_order=True)
    s1, st = ishigami_indices()
    s13 = st[2]  # x3 acts only through its interaction with x1
    assert ds["S2"].dims == ("parameter", "parameter_2")
    assert abs(float(ds["S2"].sel(parameter="x1", parameter_2="x3")) - s13) < 0.06
    assert abs(float(ds["S2"].sel(parameter="x1", parameter_2="x2"))) < 0.06


def test_morris_elementary_effects_of_a_linear_function_are_its_slopes():
    coefficients = np.array([2.0, 0.0, -5.0])
    prob = problem({"a": (0.0, 1.0), "b": (0.0, 1.0), "c": (0.0, 1.0)})
    ds = morris(lambda X: X @ coefficients, prob, 20, seed=0)
    np.testing.assert_allclose(ds["mu"].values, coefficients, atol=1e-9)
    np.testing.assert_allclose(ds["mu_star"].values, np.abs(coefficients), atol=1e-9)
    np.testing.assert_allclose(ds["sigma"].values, 0.0, atol=1e-9)


def test_output_function_must_return_one_value_per_point():
    prob = problem({"a": (0.0, 1.0), "b": (0.0, 1.0)})
    with pytest.raises(ValueError, match="one scalar per point"):
        sobol(lambda X: X, prob, 8)
    with pytest.raises(ValueError, match="non-finite"):
        sobol(lambda X: np.full(len(X), np.nan), prob, 8)


def test_sobol_on_the_model_end_to_end():
    """Estrogen sensitivity K_E2 drives lumbar-spine loss on anastrozole after menopause;
    letrozole's inhibition constant plays no part in an anastrozole arm."""
    output = scalar_output("bmd_change", site="lumbar_spine", year=2)
    indices, ds = sobol_model(YOUNG, [Therapy("anastrozole")], output, bounds={"K_E2": None, "I_letrozole": None},
                              n=16, seed=3, years=2, output_times=[0, 1, 2], chunk_size=64, progress=False,
                              return_sweep=True)
    assert ds.sizes["sample"] == 16 * 4
    assert float(indices["ST"].sel(parameter="K_E2")) > 0.8
    assert float(indices["ST"].sel(parameter="I_letrozole")) < 0.01
    # the sweep's points are SALib's Saltelli sample and its values are the model's
    i = 5
    one = remodel.simulate(YOUNG, [Therapy("anastrozole")], years=2, output_times=[0, 1, 2],
                           samples={"K_E2": [float(ds["K_E2"][i])], "I_letrozole": [float(ds["I_letrozole"][i])]})
    np.testing.assert_allclose(float(output(ds)[i]), float(one["bmd_change"].sel(site="lumbar_spine", time=2)[0]),
                               rtol=1e-5)
    text = format_indices(indices)
    assert "K_E2" in text and "ST" in text


def test_morris_on_the_model_ranks_the_estrogen_sensitivity_first():
    output = scalar_output("bmd_change", site="total_hip", year=1)
    ds = morris_model(YOUNG, [Therapy("anastrozole")], output, bounds={"K_E2": None, "I_letrozole": None}, n=4,
                      years=1, output_times=[0, 1], progress=False)
    assert float(ds["mu_star"].sel(parameter="K_E2")) > 100 * float(ds["mu_star"].sel(parameter="I_letrozole"))


def test_scalar_output_requires_an_output_time():
    ds = xr.Dataset({"bmd_change": (("sample", "time", "site"), np.zeros((2, 2, 1)))},
                    coords={"time": [0.0, 1.0], "site": ["lumbar_spine"]})
    with pytest.raises(ValueError, match="not an output time"):
        scalar_output("bmd_change", site="lumbar_spine", year=5)(ds)


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_plot_indices_returns_axes_with_one_bar_pair_per_parameter(method):
    prob = problem({"x1": (-math.pi, math.pi), "x2": (-math.pi, math.pi), "x3": (-math.pi, math.pi)})
    ds = sobol(ishigami, prob, 64) if method == "sobol" else morris(ishigami, prob, 10)
    ax = plot_indices(ds)
    assert len(ax.patches) == 2 * 3
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x1", "x2", "x3"]
    assert ax.get_legend() is not None
    from matplotlib.figure import Figure

    own = Figure().subplots()
    assert plot_indices(ds, ax=own) is own
