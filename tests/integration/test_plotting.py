"""Plots: labels from attributes with units, one line or bar per arm, legends, WHO bands."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import remodel
from remodel.model.physiology.bone import YOUNG_ADULT_REFERENCE
import xarray as xr

from remodel.plotting import plot_arms_bar, plot_bmd, plot_dose_response, plot_markers, plot_mechanism


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


def _label(ax, which="y"):
    return (ax.get_ylabel() if which == "y" else ax.get_xlabel()).replace("\n", " ")


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle) and p.get_zorder() != 0]


# plot_arms_bar -------------------------------------------------------------------------------

def test_plot_arms_bar_groups_by_site_with_one_bar_per_arm(arms):
    ax = plot_arms_bar(arms, year=3)
    bars = _bars(ax)
    assert len(bars) == arms.sizes["arm"] * arms.sizes["site"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(arms["arm"].values)
    assert [t.get_text() for t in ax.get_xticklabels()] == [s.replace("_", " ") for s in arms["site"].values]
    assert _label(ax) == f"{arms.bmd_change.attrs['long_name']} (%)"
    heights = sorted(round(b.get_height(), 9) for b in bars)
    expected = sorted(np.round(arms.bmd_change.sel(time=3, method="nearest").values.ravel(), 9))
    assert heights == expected


def test_plot_arms_bar_at_one_site_labels_arms_on_the_x_axis(arms):
    ax = plot_arms_bar(arms, year=5, site="femoral_neck", variable="t_score")
    bars = _bars(ax)
    assert len(bars) == arms.sizes["arm"]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(arms["arm"].values)
    assert _label(ax, "x") == arms["arm"].attrs["long_name"]
    assert _label(ax) == "T-score (dimensionless)"
    np.testing.assert_allclose([b.get_height() for b in bars], arms.t_score.sel(site="femoral_neck").isel(time=-1))


def test_plot_arms_bar_rejects_a_year_outside_the_simulation(arms):
    with pytest.raises(ValueError, match="year 7 is outside the simulated times 0 to 5 years"):
        plot_arms_bar(arms, year=7)


# plot_mechanism -------------------------------------------------------------------------------

def test_plot_mechanism_panels_labels_and_legend(arms):
    axes = plot_mechanism(arms)
    assert axes.shape == (6,)
    n_arms = arms.sizes["arm"]
    expected_units = ["pg/mL", "dimensionless", "dimensionless", "pM", "%/year", "g/cm²"]
    lines_per_panel = [1, 1, 1, 2, 2, 1]
    for ax, units, per_arm in zip(axes, expected_units, lines_per_panel):
        assert _label(ax).endswith(f"({units})")
        assert len(ax.get_lines()) == per_arm * n_arms
    assert _label(axes[0]).startswith(arms.estradiol.attrs["long_name"])
    assert _label(axes[-1]).startswith(arms.bmd.attrs["long_name"])
    assert [t.get_text() for t in axes[-1].get_legend().get_texts()] == list(arms["arm"].values)
    assert [t.get_text() for t in axes[3].get_legend().get_texts()] == ["active osteoblast", "active osteoclast"]
    assert [t.get_text() for t in axes[4].get_legend().get_texts()] == ["bone formation", "bone resorption"]
    for ax in axes[3:]:
        assert _label(ax, "x") == "time since the simulation start (year)"


def test_plot_mechanism_shows_the_anastrozole_chain(arms):
    """Anastrozole vs no therapy, same simulation, at year 3: estradiol lower, RANKL/OPG higher,
    more osteoclasts, lower BMD - read from the plotted lines."""
    axes = plot_mechanism(arms, arm=["none", "anastrozole"])
    later = int(np.argmin(np.abs(arms.time.values - 3.0)))

    def at_later(ax, k):
        none, anastrozole = ax.get_lines()[k], ax.get_lines()[k + len(ax.get_lines()) // 2]
        return none.get_ydata()[later], anastrozole.get_ydata()[later]

    e2_none, e2_ai = at_later(axes[0], 0)
    ratio_none, ratio_ai = at_later(axes[2], 0)
    oc_none, oc_ai = at_later(axes[3], 1)  # dashed osteoclast line follows the osteoblast line
    bmd_none, bmd_ai = at_later(axes[5], 0)
    assert e2_ai < 0.5 * e2_none
    assert ratio_ai > ratio_none
    assert oc_ai > oc_none
    assert bmd_ai < bmd_none
    # and the plotted values are the dataset's
    assert oc_ai == pytest.approx(float(arms.active_osteoclasts.sel(arm="anastrozole", site="lumbar_spine").isel(time=later)))


def test_plot_mechanism_men_show_testosterone_on_a_right_hand_axis():
    ds = remodel.simulate(
        "hypogonadal_man", {"none": [], "testosterone": [remodel.Therapy("testosterone")]},
        years=1, output_times=np.linspace(0, 1, 5),
    )
    axes = plot_mechanism(ds, arm="testosterone", site="total_hip")
    assert all(len(ax.get_lines()) in (1, 2) for ax in axes)
    twins = [a for a in axes[0].figure.axes if a not in list(axes)]
    assert len(twins) == 1 and "ng/dL" in _label(twins[0])
    np.testing.assert_allclose(twins[0].get_lines()[0].get_ydata(), ds.testosterone.sel(arm="testosterone"))


def test_plot_mechanism_on_given_axes_and_bad_arm(arms):
    fig, grid = plt.subplots(3, 2)
    assert list(plot_mechanism(arms, axes=grid)) == list(grid.ravel())
    with pytest.raises(ValueError, match="needs 6 axes"):
        plot_mechanism(arms, axes=grid[:2])
    with pytest.raises(ValueError, match=r"arm\(s\) \['placebo'\] not in the dataset"):
        plot_mechanism(arms, arm="placebo")


# plot_dose_response ---------------------------------------------------------------------------

def test_plot_dose_response_along_a_numeric_arm_coordinate(arms):
    doses = [0.0, 1.0, 0.5]  # deliberately unsorted
    ds = arms.assign_coords(dose_mg=("arm", doses))
    ds["dose_mg"].attrs.update(long_name="anastrozole-equivalent dose", units="mg/day")
    ax = plot_dose_response(ds, "arm", year=4, site="total_hip")
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), sorted(doses))
    expected = ds.bmd_change.sel(site="total_hip").sel(time=4, method="nearest").sortby("dose_mg").values
    np.testing.assert_allclose(line.get_ydata(), expected)
    assert _label(ax, "x") == "anastrozole-equivalent dose (mg/day)"
    assert _label(ax) == f"{ds.bmd_change.attrs['long_name']} (%)"
    assert ax.get_legend() is None


SAMPLED_INHIBITION = [0.3, 0.9, 0.6, 0.0]


@pytest.fixture(scope="module")
def sampled():
    ds = remodel.simulate(
        "postmenopausal_woman", {"none": [], "anastrozole": [remodel.Therapy("anastrozole")]},
        years=2, output_times=np.linspace(0, 2, 5), samples={"I_anastrozole": SAMPLED_INHIBITION},
    )
    ds["I_anastrozole"].attrs.update(long_name="aromatase inhibition", units="1")
    return ds


def test_plot_bmd_and_bars_summarise_samples_by_median_and_range(sampled):
    ax = plot_bmd(sampled, site="total_hip")
    assert len(ax.get_lines()) == sampled.sizes["arm"]
    assert len(ax.collections) == sampled.sizes["arm"]  # one shaded 5-95 % band per arm
    median = sampled.bmd.sel(arm="anastrozole", site="total_hip").median("sample")
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), median)
    ax = plot_arms_bar(sampled, year=2, site="total_hip")
    bars = [c for c in ax.containers if isinstance(c, matplotlib.container.BarContainer)]
    assert len(bars) == 1 and bars[0].errorbar is not None
    assert len(_bars(ax)) == sampled.sizes["arm"]


def test_plot_dose_response_along_samples_one_line_per_arm(sampled):
    values, ds = SAMPLED_INHIBITION, sampled
    ax = plot_dose_response(ds, "sample", year=2, site="lumbar_spine", variable="bmd")
    assert len(ax.get_lines()) == ds.sizes["arm"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(ds["arm"].values)
    assert _label(ax, "x") == "aromatase inhibition (dimensionless)"
    assert "g/cm²" in _label(ax)
    anastrozole = ax.get_lines()[1]
    np.testing.assert_array_equal(anastrozole.get_xdata(), sorted(values))
    # stronger aromatase inhibition, lower BMD
    assert np.all(np.diff(anastrozole.get_ydata()) < 0)


def test_plot_dose_response_names_the_problem(arms):
    with pytest.raises(ValueError, match="dimension 'arm' needs exactly one numeric coordinate"):
        plot_dose_response(arms, "arm", year=1, site="total_hip")
    with pytest.raises(ValueError, match="'dose' is neither"):
        plot_dose_response(arms, "dose", year=1, site="total_hip")


# plot_markers ---------------------------------------------------------------------------------

def _markers_dataset(with_arm=True):
    time = np.linspace(0, 2, 9)
    ctx = np.stack([np.zeros_like(time), -60 * (1 - np.exp(-4 * time))])
    p1np = np.stack([np.zeros_like(time), -40 * (1 - np.exp(-1.5 * time))])
    ds = xr.Dataset(
        {
            "ctx_change": (("arm", "time"), ctx, {"units": "%", "long_name": "serum CTX change from baseline"}),
            "p1np_change": (("arm", "time"), p1np, {"units": "%", "long_name": "serum P1NP change from baseline"}),
        },
        coords={
            "time": ("time", time, {"units": "year", "long_name": "time since the simulation start"}),
            "arm": ("arm", ["none", "alendronate"], {"long_name": "treatment arm"}),
        },
    )
    return ds if with_arm else ds.sel(arm="alendronate", drop=True)


def test_plot_markers_one_line_per_marker_and_arm():
    ds = _markers_dataset()
    ax = plot_markers(ds)
    data_lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]  # not the zero line
    assert len(data_lines) == 2 * ds.sizes["arm"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        f"{arm}: {ds[m].attrs['long_name']}" for arm in ds["arm"].values for m in ("ctx_change", "p1np_change")
    ]
    assert _label(ax).endswith("(%)")
    assert _label(ax, "x") == "time since the simulation start (year)"
    np.testing.assert_allclose(data_lines[2].get_ydata(), ds.ctx_change.sel(arm="alendronate"))
    assert data_lines[2].get_linestyle() == "-" and data_lines[3].get_linestyle() == "--"


def test_plot_markers_without_arms_and_missing_markers():
    ds = _markers_dataset(with_arm=False)
    ax = plot_markers(ds)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [ds.ctx_change.attrs["long_name"], ds.p1np_change.attrs["long_name"]]
    with pytest.raises(ValueError, match="lacks the turnover markers p1np_change"):
        plot_markers(ds.drop_vars("p1np_change"))


def test_plot_validation_one_point_per_row_identity_and_labels():
    from remodel.plotting import plot_validation
    from remodel.validation import ValidationRow

    rows = [ValidationRow(f"R{i}", trial, "arm", "lumbar_spine", 1.0, "pct_change", "mean", obs, sim, 1.5, True)
            for i, (trial, obs, sim) in enumerate([("A", -4.0, -3.5), ("A", 2.0, 2.5), ("B", 6.0, 5.0)])]
    marker = ValidationRow("M", "C", "arm", "serum", 0.5, "ctx_pct_change", "mean", -72.0, -80.0, 8.0, True)
    ax = plot_validation(rows + [marker])  # serum marker rows (percent) are left to the table
    assert ax.get_xlabel() == "observed BMD change (percentage points)"
    assert ax.get_ylabel() == "simulated BMD change (percentage points)"
    points = [c for c in ax.containers]
    assert sum(len(c.lines[0].get_xdata()) for c in points) == len(rows)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["identity", "A", "B"]
    identity = ax.get_lines()[0]
    assert list(identity.get_xdata()) == list(identity.get_ydata())
