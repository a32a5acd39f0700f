"""Render the example images of docs/README.md into docs/images/ (small PNGs, 80 dpi).

Run from the repository root: ``python docs/make_images.py``. Rerun after model changes; the
turnover-marker image is drawn once the model provides ``ctx_change`` and ``p1np_change``.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import remodel  # noqa: E402
from remodel.plotting import plot_arms_bar, plot_bmd, plot_dose_response, plot_markers, plot_mechanism  # noqa: E402

OUT = Path(__file__).resolve().parent / "images"
DPI = 80


def save(ax_or_axes, name):
    fig = np.ravel(ax_or_axes)[0].figure
    fig.savefig(OUT / name, dpi=DPI)
    plt.close(fig)
    print(OUT / name)


def main():
    OUT.mkdir(exist_ok=True)
    arms = {
        "none": [],
        "anastrozole": [remodel.Therapy("anastrozole")],
        "tamoxifen": [remodel.Therapy("tamoxifen")],
    }
    ds = remodel.simulate("postmenopausal_woman", arms, years=5)
    save(plot_bmd(ds, site="total_hip", ax=plt.subplots(figsize=(6, 4), layout="constrained")[1]), "plot_bmd.png")
    save(plot_arms_bar(ds, year=5, ax=plt.subplots(figsize=(6, 4), layout="constrained")[1]), "plot_arms_bar.png")
    save(plot_mechanism(ds), "plot_mechanism.png")

    inhibition = np.linspace(0.0, 0.99, 7)
    swept = remodel.simulate(
        "postmenopausal_woman", {"anastrozole": [remodel.Therapy("anastrozole")]},
        years=5, output_times=[0, 5], samples={"I_anastrozole": inhibition},
    )
    swept["I_anastrozole"].attrs.update(long_name="aromatase inhibition by anastrozole", units="1")
    ax = plt.subplots(figsize=(6, 4), layout="constrained")[1]
    save(plot_dose_response(swept, "I_anastrozole", year=5, site="lumbar_spine", ax=ax), "plot_dose_response.png")

    drugs = remodel.simulate(
        "postmenopausal_woman",
        {"none": [], "zoledronic acid": [remodel.Therapy("zoledronic_acid")],
         "denosumab stopped at 2 y": [remodel.Therapy("denosumab", stop_year=2)]},
        years=4, output_times=np.linspace(0, 4, 209),  # weekly: resolves the 6-monthly dosing
    )
    if {"ctx_change", "p1np_change"} <= set(drugs.data_vars):
        save(plot_markers(drugs, ax=plt.subplots(figsize=(6, 4), layout="constrained")[1]), "plot_markers.png")
    else:
        print("skipped plot_markers.png: this model version has no ctx_change/p1np_change")


if __name__ == "__main__":
    main()
