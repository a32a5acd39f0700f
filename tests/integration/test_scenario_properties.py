"""Property-based: any valid scenario file (random population, therapies, exercise, nutrition,
supplements, habits, horizon) loads and runs without NaN or negative BMD.

Scenarios are generated as TOML text (written by a small writer below), so that parsing,
validation and the runner are exercised together.
"""

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remodel import DRUGS, EXERCISE_MODALITIES, SITES
from remodel.runner import run_scenario
from remodel.scenario import dose_key, parse_scenario


# ---------------------------------------------------------------------------------------------
# a minimal TOML writer (scalars, arrays of scalars, tables, arrays of tables)
# ---------------------------------------------------------------------------------------------

def _scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    raise TypeError(value)


def to_toml(doc, prefix=""):
    lines = [f"{k} = {_scalar(v)}" for k, v in doc.items()
             if not isinstance(v, dict) and not (isinstance(v, list) and v and isinstance(v[0], dict))]
    for k, v in doc.items():
        if isinstance(v, dict):
            lines += ["", f"[{prefix}{k}]", to_toml(v, f"{prefix}{k}.")]
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            for item in v:
                lines += ["", f"[[{prefix}{k}]]", to_toml(item, f"{prefix}{k}.")]
    return "\n".join(lines)


def test_toml_writer_round_trips():
    import tomllib

    doc = {"a": 1, "b": [0.5, 2.0], "s": 'x "y"', "t": {"c": 1.5}, "arms": [{"name": "n", "therapies": [{"d": 1}]}]}
    assert tomllib.loads(to_toml(doc)) == doc


# ---------------------------------------------------------------------------------------------
# strategies
# ---------------------------------------------------------------------------------------------

def num(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 3))


@st.composite
def windows(draw, years):
    """A (start, stop) window inside the horizon; stop may be absent."""
    start = draw(num(0, 0.8 * years))
    stop = draw(st.none() | num(start + 0.05 * years, 2 * years))
    return start, (None if stop is None or stop <= start else stop)


@st.composite
def therapy(draw, drug, years, window=None):
    start, stop = window or draw(windows(years))
    item = {"drug": drug, "start_year": start}
    if stop is not None:
        item["stop_year"] = stop
    if draw(st.booleans()):
        item[dose_key(drug)] = round(DRUGS[drug].standard_dose * draw(num(0.25, 2.0)), 3)
    interval = DRUGS[drug].standard_interval_days
    if interval is not None and interval < 28 and years > 1:
        # weekly dosing over years is slow (every dose is a breakpoint): weekly only up to a year
        item["interval_months"] = draw(st.sampled_from([1, 3]))
    elif interval is not None and draw(st.booleans()):
        item["interval_months"] = draw(st.sampled_from([3, 6, 12]))
    return item


@st.composite
def arm(draw, name, population, years):
    """An arm obeying the rules on combinations: one drug per class, no tamoxifen with an
    aromatase inhibitor, ovarian suppression with an aromatase inhibitor before the menopause."""
    female = population["sex"] == "female"
    therapies = []
    if female:
        endocrine = draw(st.sampled_from([None, "anastrozole", "letrozole", "exemestane", "tamoxifen"]))
        if endocrine is not None:
            window = draw(windows(years))
            therapies.append(draw(therapy(endocrine, years, window)))
            premenopausal = population["age_years"] + window[0] < population["menopause_age_years"]
            if DRUGS[endocrine].action == "aromatase_inhibitor" and premenopausal:
                therapies.append(draw(therapy("goserelin", years, window)))
    else:
        for drug in ("testosterone", "anastrozole"):
            if draw(st.booleans()):
                therapies.append(draw(therapy(drug, years)))
    bone = draw(st.sampled_from([None, "zoledronic_acid", "alendronate", "risedronate", "ibandronate", "denosumab"]))
    if bone is not None:
        therapies.append(draw(therapy(bone, years)))
    item = {"name": name}
    if therapies:
        item["therapies"] = therapies
    exercise = []
    for _ in range(draw(st.integers(0, 2))):
        modality = draw(st.sampled_from(sorted(EXERCISE_MODALITIES)))
        start, stop = draw(windows(years))
        e = {"modality": modality, "sessions_per_week": draw(num(0, 7)), "adherence": draw(num(0, 1)),
             "start_year": start, "cycles_per_session": draw(num(0, 5000))}
        if stop is not None:
            e["stop_year"] = stop
        if modality == "resistance":
            e["load_pct_1rm"] = draw(num(30, 95))
        exercise.append(e)
    if exercise:
        item["exercise"] = exercise
    if draw(st.booleans()):
        item["nutrition"] = {"calcium_mg_per_day": draw(num(100, 2500)), "vitamin_d_iu_per_day": draw(num(0, 4000)),
                             "protein_g_per_kg_per_day": draw(num(0.4, 2.5)), "sodium_mg_per_day": draw(num(500, 8000))}
    if draw(st.booleans()):
        start, stop = draw(windows(years))
        s = {"calcium_mg_per_day": draw(num(0, 1500)), "vitamin_d_iu_per_day": draw(num(0, 2000)), "start_year": start}
        if stop is not None:
            s["stop_year"] = stop
        item["supplements"] = [s]
    if draw(st.booleans()):
        item["habits"] = {"cigarettes_per_day": draw(num(0, 40)), "alcohol_drinks_per_day": draw(num(0, 6)),
                          "inflammation": draw(num(0, 1))}
    return item


@st.composite
def scenarios(draw):
    sex = draw(st.sampled_from(["female", "male"]))
    population = {"sex": sex, "age_years": draw(num(35, 85)), "weight_kg": draw(num(45, 120))}
    if sex == "female":
        population["menopause_age_years"] = draw(num(42, 56))
    else:
        population["testosterone_ng_per_dl"] = draw(num(150, 900))
    if draw(st.booleans()):
        population["t_scores"] = {site: draw(num(-3.5, 1.5)) for site in SITES if draw(st.booleans())} or {"total_hip": -1.0}
    # horizons and arms are kept small: every dose of a discrete-dose drug is an integration
    # breakpoint, and weekly oral bisphosphonates cost about 2 s per simulated year
    years = draw(num(0.5, 3))
    simulation = {"years": years, "output_step_months": draw(st.sampled_from([1, 3, 6]))}
    n_arms = draw(st.integers(1, 2))
    arms = [draw(arm(f"arm {i}", population, years)) for i in range(n_arms)]
    return {"schema_version": 1, "title": "generated", "population": population, "simulation": simulation, "arms": arms}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios())
def test_valid_scenarios_never_give_nan_or_negative_bmd(doc):
    text = to_toml(doc)
    scenario = parse_scenario(text, "generated.toml")
    assert scenario.warnings == ()
    ds = run_scenario(scenario)
    assert ds.sizes["arm"] == len(doc["arms"])
    for name, var in ds.data_vars.items():
        assert not np.isnan(var.values).any(), name
    assert np.all(ds["bmd"].values > 0)
    assert np.all(np.isfinite(ds["t_score"].values))
