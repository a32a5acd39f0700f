"""Members with the same inputs over a segment are integrated once (remodel.model.sharing): the arms of
a batch share their life history, and later calls reuse it from the cache of the process. Sharing
changes no number: the results equal those of each member integrated alone, bit for bit (each
member is integrated alone by the compiled BDF, so its trajectory is a function of its own inputs)."""

from __future__ import annotations

import numpy as np
import pytest

import remodel
from remodel import Exercise, Habits, Regimen, Therapy
from remodel.model import sharing
from remodel.model.assembly import Assembly

ARMS = {
    "untreated": Regimen(),
    "zoledronic acid": [Therapy("zoledronic_acid", dose=4.0, interval_days=182.625)],
    "denosumab + exercise": Regimen((Therapy("denosumab"),), exercise=(Exercise("high_impact", 3),)),
}
SMOKING_BEFORE_THE_START = Regimen(habits=Habits(start_year=-15.0, cigarettes_per_day=20.0))
KWARGS = dict(years=2, output_times=[0, 0.5, 1, 2], samples={"K_E2": [15.0, 30.0]}, natural_history=False)


@pytest.fixture
def no_cache(monkeypatch):
    monkeypatch.setattr(sharing, "HISTORY_CACHE", sharing.HistoryCache(0))


@pytest.fixture
def integrated(monkeypatch):
    """The members each call of the integrator integrates, by segment start (days)."""
    calls = []
    original = Assembly.integrate

    def counting(self, inputs, Y0, a, *args, members=None, **kwargs):
        first, stop = members if members is not None else (0, Y0.shape[1])
        calls.append((a, stop - first))
        return original(self, inputs, Y0, a, *args, members=members, **kwargs)

    monkeypatch.setattr(Assembly, "integrate", counting)
    return calls


def test_arms_share_their_history_and_give_the_numbers_of_each_arm_alone(no_cache, integrated):
    batch = remodel.simulate("postmenopausal_woman", ARMS, **KWARGS)
    assert sum(n for a, n in integrated if a < 0) == 2  # one history per parameter set
    alone_steps = 0
    for name, regimen in ARMS.items():
        alone = remodel.simulate("postmenopausal_woman", {name: regimen}, **KWARGS)
        alone_steps += alone.attrs["solver_steps"]
        for variable in ("bmd", "bmd_change", "formation_rate"):
            np.testing.assert_array_equal(batch[variable].sel(arm=name).values, alone[variable].isel(arm=0).values,
                                          err_msg=f"{name}: {variable}")
    assert batch.attrs["solver_steps"] < alone_steps


def test_an_arm_that_changes_the_history_has_its_own(no_cache, integrated):
    remodel.simulate("postmenopausal_woman", {**ARMS, "smoking": SMOKING_BEFORE_THE_START}, **KWARGS)
    # per parameter set: before the smoking starts (15 years before the start) every arm shares one
    # history; after, the smoking arm has its own
    assert sum(n for a, n in integrated if a < 0) == 2 * (1 + 2)


def test_a_later_call_reuses_the_history_and_counts_its_work(monkeypatch, integrated):
    monkeypatch.setattr(sharing, "HISTORY_CACHE", sharing.HistoryCache(100))
    dose = {"zoledronic acid": ARMS["zoledronic acid"]}
    fresh = remodel.simulate("postmenopausal_woman", dose, **KWARGS)
    assert sum(n for a, n in integrated if a < 0) == 2
    integrated.clear()
    other = {"denosumab + exercise": ARMS["denosumab + exercise"]}
    reused = remodel.simulate("postmenopausal_woman", other, **KWARGS)
    assert not [n for a, n in integrated if a < 0]  # the history came from the cache
    monkeypatch.setattr(sharing, "HISTORY_CACHE", sharing.HistoryCache(0))
    recomputed = remodel.simulate("postmenopausal_woman", other, **KWARGS)
    np.testing.assert_array_equal(reused["bmd"].values, recomputed["bmd"].values)
    assert reused.attrs == recomputed.attrs  # the work of the cached history is counted as when computed
    # two samples; the exercise arm also integrates its unloaded twin, the serum markers' non-weight-bearing skeleton
    assert (fresh.attrs["solver_members"], reused.attrs["solver_members"]) == (2, 4)


def test_the_cache_keeps_the_most_recently_used():
    cache = sharing.HistoryCache(2)
    for key in (b"a", b"b", b"c"):
        cache.put(key, np.zeros(1), np.zeros(4, dtype=np.int64))
    cache.get(b"b")
    cache.put(b"d", np.ones(1), np.zeros(4, dtype=np.int64))
    assert cache.get(b"a") is None and cache.get(b"c") is None
    assert cache.get(b"b") is not None and cache.get(b"d")[0][0] == 1.0
