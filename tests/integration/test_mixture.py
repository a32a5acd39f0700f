"""Arms as stated mixes of sub-arms (issue 13): each patient of a cohort's mix is one of a
sub-arm's patients, in the stated numbers; a mean person's mix is the weighted mean."""

import numpy as np
import pytest

from remodel import run_scenario
from remodel.mixture import allocation
from remodel.scenario import parse_scenario

ARM = """
[[arms]]
name = "{name}"
[[arms.therapies]]
drug = "anastrozole"
[[arms.therapies]]
drug = "zoledronic_acid"
dose_mg = 4
interval_months = 6
start_year = {start}
"""
SCENARIO = """\
schema_version = 1
title = "mix"
[population]
preset = "postmenopausal_woman"
age_years = 64
[simulation]
years = 3
output_step_months = 6
{patients}
[fracture_risk]
""" + ARM.format(name="immediate", start=0) \
    + ARM.format(name="delayed", start=2) + """
[[mixes]]
name = "real world"
[mixes.shares]
immediate = 0.8
delayed = 0.2
"""


def test_allocation_gives_the_stated_numbers_in_a_seeded_order():
    labels = allocation([0.8, 0.2], 31, 5)
    assert np.bincount(labels).tolist() == [25, 6]  # 24.8 and 6.2: the larger remainder rounds up
    np.testing.assert_array_equal(labels, allocation([0.8, 0.2], 31, 5))
    assert not np.array_equal(labels, allocation([0.8, 0.2], 31, 6))


def test_a_cohort_mix_takes_each_patient_from_her_sub_arm():
    ds = run_scenario(parse_scenario(SCENARIO.format(patients="patients = 20\nseed = 3")))
    assert list(ds["arm"].values) == ["immediate", "delayed", "real world"]
    labels = allocation([0.8, 0.2], 20, 3)
    for name in ("bmd", "hip_fracture_cumulative_probability", "simulated_fracture_time"):
        mixed = ds[name].sel(arm="real world").values
        expected = np.stack([ds[name].sel(arm=["immediate", "delayed"][k]).values[p] for p, k in enumerate(labels)])
        np.testing.assert_array_equal(mixed, expected)
    assert "mix of 80 % immediate, 20 % delayed" in ds.attrs["mixtures"]


def test_a_mean_persons_mix_is_the_weighted_mean():
    ds = run_scenario(parse_scenario(SCENARIO.format(patients="")))
    for name in ("bmd", "t_score", "major_fracture_probability_10y"):
        parts = ds[name].sel(arm=["immediate", "delayed"])
        np.testing.assert_allclose(ds[name].sel(arm="real world"), 0.8 * parts[0] + 0.2 * parts[1], rtol=1e-12)
    assert ds["bmd"].attrs["units"] == "g/cm2"


@pytest.mark.parametrize("old, new, where, hint", [
    ("delayed = 0.2", "delayed = 0.1", "mixes[0].shares", "add up to 1"),
    ("immediate = 0.8", "immediat = 0.8", "mixes[0].shares.immediat", "did you mean 'immediate'"),
    ('name = "real world"', 'name = "delayed"', "mixes[0].name", "unique among the arms"),
    ("delayed = 0.2", "delayed = 0", "mixes[0].shares.delayed", "> 0 and <= 1"),
    ("delayed = 0.2", 'delayed = "a fifth"', "mixes[0].shares.delayed", "a finite number"),
])
def test_malformed_mixes_name_the_key(old, new, where, hint):
    from remodel.scenario import ScenarioError

    with pytest.raises(ScenarioError) as err:
        parse_scenario(SCENARIO.format(patients="").replace(old, new))
    assert err.value.path == where and hint in str(err.value), str(err.value)
