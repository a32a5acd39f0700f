"""Therapy history (a negative start_year) and the adherence of self-administered drugs (issue 13, item 5)."""

import numpy as np
import pytest

from remodel import Regimen, Therapy, simulate
from remodel.scenario import parse_scenario

HEAD = 'schema_version = 1\ntitle = "t"\n[population]\npreset = "postmenopausal_woman"\n[simulation]\nyears = 2\n'


def test_therapy_history_is_simulated_before_the_start():
    """Five years of tamoxifen before the start (a partial agonist on postmenopausal bone, Powles1996)
    leave a different bone at the start than none, and its stopping at year 0 shows afterwards."""
    history = Regimen(therapies=(Therapy("tamoxifen", start_year=-5, stop_year=0), Therapy("anastrozole")))
    ds = simulate("postmenopausal_woman", {"history": history, "none": Regimen(therapies=(Therapy("anastrozole"),))},
                  years=2, output_times=[0, 1, 2])
    start = ds["bmd"].sel(time=0)
    assert np.all(start.sel(arm="history").values > start.sel(arm="none").values)
    change = ds["bmd_change"].sel(time=2)
    assert np.all(change.sel(arm="history").values < change.sel(arm="none").values)


def test_adherence_scales_the_doses_taken():
    """Half the alendronate doses taken: a BMD change between none and all of them."""
    arms = {f"{a}": Regimen(therapies=(Therapy("anastrozole"), Therapy("alendronate", adherence=a)))
            for a in (0.0, 0.5, 1.0)}
    change = simulate("postmenopausal_woman", arms, years=2, output_times=[0, 2])["bmd_change"].sel(time=2)
    none, half, full = (change.sel(arm=a).values for a in ("0.0", "0.5", "1.0"))
    assert np.all(none < half) and np.all(half < full)
    untreated = simulate("postmenopausal_woman", Regimen(therapies=(Therapy("anastrozole"),)), years=2,
                         output_times=[0, 2])["bmd_change"].sel(time=2).values
    np.testing.assert_allclose(none, untreated, rtol=1e-6, atol=1e-6)


def test_adherence_is_refused_for_drugs_the_patient_does_not_take_herself():
    with pytest.raises(ValueError, match="adherence applies to drugs the patient takes herself"):
        Therapy("zoledronic_acid", adherence=0.5)


def test_a_scenario_reads_history_and_adherence():
    scenario = parse_scenario(HEAD + '[[arms]]\nname = "a"\n[[arms.therapies]]\ndrug = "tamoxifen"\nstart_year = -5\n'
                              'stop_year = 0\n[[arms.therapies]]\ndrug = "risedronate"\nadherence = 0.6\n')
    tamoxifen, risedronate = scenario.arms["a"].therapies
    assert (tamoxifen.start_year, tamoxifen.stop_year) == (-5, 0)
    assert risedronate.adherence == 0.6
