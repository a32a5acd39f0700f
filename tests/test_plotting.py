"""Plots: labels from attributes with units, one line or bar per arm, legends, WHO bands."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import remodel
from remodel.blocks.bone import YOUNG_ADULT_REFERENCE
from remodel.plotting import plot_bmd


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def arms():
    return remodel.simulate(
        "postmenopausal_woman",
        {"none": [], "anastrozole": [remodel.Therapy("anastrozole")], "tamoxifen": [remodel.Therapy("tamoxifen")]},
        years=5,
        output_times=np.linspace(0, 5, 21),
    )


@pytest.fixture(scope="module")
def single():
    return remodel.simulate("older_man", years=2, output_times=np.linspace(0, 2, 9))


def _band_spans(ax):
    return [p for p in ax.patches if p.get_zorder() == 0]


def _band_edges(ax):
    """Lower and upper y of every shaded band (data units)."""
    edges = set()
    for patch in _band_spans(ax):
        edges.update({round(patch.get_y(), 9), round(patch.get_y() + patch.get_height(), 9)})
    return edges


def test_plot_bmd_one_line_per_arm_with_legend_and_labels(arms):
    ax = plot_bmd(arms, site="total_hip")
    assert isinstance(ax, matplotlib.axes.Axes)
    assert len(ax.get_lines()) == arms.sizes["arm"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(arms["arm"].values)
    assert ax.get_ylabel().startswith(arms["bmd"].attrs["long_name"])
    assert "g/cm²" in ax.get_ylabel()
    assert ax.get_xlabel().startswith(arms["time"].attrs["long_name"]) and "(year)" in ax.get_xlabel()
    # the anastrozole line is the plotted total-hip BMD of that arm
    line = ax.get_lines()[list(arms["arm"].values).index("anastrozole")]
    np.testing.assert_allclose(line.get_ydata(), arms.bmd.sel(arm="anastrozole", site="total_hip"))


def test_plot_bmd_limits_show_the_data_and_near_thresholds_only(arms):
    fig, ax = plt.subplots()
    assert plot_bmd(arms, ax=ax) is ax
    lo, hi = ax.get_ylim()
    values = arms.bmd.sel(site="lumbar_spine")
    assert lo <= float(values.min()) and float(values.max()) <= hi
    mean, sd = YOUNG_ADULT_REFERENCE["female"]["lumbar_spine"]
    for t in (-1.0, -2.5):
        threshold = mean + t * sd
        distance = max(threshold - float(values.max()), float(values.min()) - threshold, 0.0)
        # a threshold within one SD of the data is shown, a farther one does not stretch the axis
        assert (lo <= threshold <= hi) == (distance <= sd)


def test_plot_bmd_bands_sit_at_the_who_thresholds_of_the_population_sex(arms):
    ax = plot_bmd(arms, site="lumbar_spine")
    mean, sd = YOUNG_ADULT_REFERENCE["female"]["lumbar_spine"]
    lo, hi = ax.get_ylim()
    edges = _band_edges(ax)
    expected = {round(v, 9) for v in (mean - sd, mean - 2.5 * sd) if lo < v < hi}
    assert expected and expected <= edges
    labels = {t.get_text() for t in ax.texts}
    assert labels <= {"normal", "osteopenia", "osteoporosis"} and len(labels) == len(_band_spans(ax))


def test_plot_bmd_t_score_bands_are_at_minus_one_and_minus_two_and_a_half(arms):
    ax = plot_bmd(arms, site="lumbar_spine", variable="t_score")
    lo, hi = ax.get_ylim()
    expected = {v for v in (-1.0, -2.5) if lo < v < hi}
    assert expected and expected <= _band_edges(ax)
    assert ax.get_ylabel() == "T-score (dimensionless)"


def test_plot_bmd_without_arm_dimension_draws_one_line_and_no_legend(single):
    ax = plot_bmd(single, variable="bmd_change")
    assert len(ax.get_lines()) == 1
    assert ax.get_legend() is None
    assert ax.get_ylabel() == f"{single.bmd_change.attrs['long_name']} (%)"
    assert not _band_spans(ax)  # % change has no WHO bands


def test_plot_bmd_unknown_site_or_variable_is_a_clear_error(single):
    with pytest.raises(ValueError, match="site 'wrist' not in the dataset"):
        plot_bmd(single, site="wrist")
    with pytest.raises(ValueError, match="variable 'bmc'"):
        plot_bmd(single, variable="bmc")
