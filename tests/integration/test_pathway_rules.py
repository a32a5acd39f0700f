"""Rules that stop a therapy, fire after a simulated fracture or count risk factors, several rules
per arm in a stated order (issue 13)."""

import numpy as np
import pytest

from remodel import Therapy, run_scenario
from remodel.clinical.pathway import StopRule, TreatmentRule, Visit, _apply, shared_risk_factors
from remodel.scenario import parse_scenario

HEAD = """\
schema_version = 1
title = "rules"
[population]
preset = "postmenopausal_woman"
age_years = 72
[population.t_scores]
lumbar_spine = -1.9
total_hip = -1.8
femoral_neck = -2.2
[simulation]
years = 4
output_step_months = 3
patients = 40
seed = 11
[fracture_risk]
prior_fracture = true
"""
ARM = '[[arms]]\nname = "{name}"\n[[arms.therapies]]\ndrug = "anastrozole"\n[arms.monitoring]\ninterval_months = 12\n'
START = ('[[arms.rules]]\n{condition}\n[arms.rules.therapy]\ndrug = "zoledronic_acid"\ndose_mg = 4\n'
         'interval_months = 6\n')
STOP = '[[arms.rules]]\naction = "stop"\ndrug = "zoledronic_acid"\n{condition}\n'
SCENARIO = (HEAD + ARM.format(name="never treat")
            + ARM.format(name="treat") + START.format(condition="t_score_below = -2.0")
            + ARM.format(name="holiday") + START.format(condition="t_score_below = -2.0")
            + STOP.format(condition="after_years = 2")
            + ARM.format(name="after fracture") + START.format(condition="after_fracture = true")
            + ARM.format(name="holiday, restart") + START.format(condition="t_score_below = -2.0\nrepeat = true")
            + STOP.format(condition="after_years = 2"))


@pytest.fixture(scope="module")
def cohort():
    return run_scenario(parse_scenario(SCENARIO))


def test_a_stop_rule_ends_the_course_at_the_first_scan_after_so_many_years(cohort):
    fired = cohort["rule_fired_time"].sel(arm="holiday").values  # (patient, rule)
    started, stopped = fired[:, 0], fired[:, 1]
    expected = np.where(started + 2 <= 4, started + 2, np.nan)  # yearly scans: the scan two years on
    np.testing.assert_array_equal(stopped, expected)
    assert np.isfinite(stopped).any() and np.isnan(stopped).any()  # both cases covered
    np.testing.assert_array_equal(started, cohort["rule_fired_time"].sel(arm="treat").values[:, 0])
    # a holiday costs bone against continuing, after the stop only
    stop_now = np.flatnonzero(stopped == 2.0)
    spine = cohort["bmd"].sel(site="lumbar_spine")
    holiday, treat = spine.sel(arm="holiday").values[stop_now], spine.sel(arm="treat").values[stop_now]
    before = cohort["time"].values <= 2.0
    np.testing.assert_allclose(holiday[:, before], treat[:, before], rtol=1e-6)
    assert np.all(holiday[:, -1] < treat[:, -1])


def test_a_rule_after_a_fracture_starts_at_the_first_visit_after_the_simulated_fracture(cohort):
    fracture = cohort["simulated_fracture_time"].sel(arm="after fracture").values
    started = cohort["treatment_start_time"].sel(arm="after fracture").values
    times = cohort["time"].values
    expected = np.array([times[np.searchsorted(times, f - 1e-9)] if np.isfinite(f) else np.nan for f in fracture])
    np.testing.assert_array_equal(started, expected)
    assert 0 < np.isfinite(started).sum() < cohort.sizes["patient"]
    # until her treatment a patient fractures as she would untreated: the same draw, the same trajectory
    never = cohort["simulated_fracture_time"].sel(arm="never treat").values
    np.testing.assert_allclose(fracture[np.isfinite(fracture)], never[np.isfinite(fracture)], rtol=1e-6)


def test_simulated_fracture_times_invert_the_cumulative_probability():
    """10,000 draws along one trajectory: the share fractured by each time is the cumulative
    probability of the fracture model (binomial error 0.005), and each draw inverts exactly."""
    from remodel.clinical.fracture import FractureInputs, cumulative_hazard, fracture_times, fracture_uniforms, \
        yearly_hazards

    times = np.linspace(0.0, 10.0, 41)
    age, t_score = 70.0 + times, np.tile(np.linspace(-2.0, -3.0, 41), (10_000, 1))
    u = fracture_uniforms(5, 10_000)
    when = fracture_times(t_score, age, times, "female", FractureInputs(), 1.0, u)
    probability = -np.expm1(-cumulative_hazard(yearly_hazards(age, t_score[0], "female", FractureInputs())["major"],
                                               times))
    shares = (when[:, None] <= times[None, :]).mean(axis=0)
    np.testing.assert_allclose(shares, probability, atol=0.015)
    first = np.flatnonzero(np.isfinite(when))[0]
    np.testing.assert_allclose(-np.expm1(-np.interp(when[first], times, cumulative_hazard(
        yearly_hazards(age, t_score[0], "female", FractureInputs())["major"], times))), u[first], rtol=1e-3)
    assert np.isnan(when[u > probability[-1]]).all()


def test_the_same_seed_gives_bit_identical_decisions(cohort):
    again = run_scenario(parse_scenario(SCENARIO))
    for name in ("bmd", "rule_fired_time", "simulated_fracture_time", "measured_t_score"):
        np.testing.assert_array_equal(again[name].values, cohort[name].values)


ZOLEDRONIC = Therapy("zoledronic_acid", dose=4.0, interval_days=182.625)


def _visit(t_score, risk=0, fractured=False):
    t = np.atleast_2d(t_score)
    return Visit(2.0, t, np.zeros_like(t), np.array([fractured]), np.array([risk]))


@pytest.mark.parametrize("t_score, risk, fires", [
    ((-2.1, -1.0, -1.0), 0, True),    # T < -2.0 whatever the risk factors
    ((-1.9, -1.0, -1.0), 1, False),   # T < -1.5 alone is one risk factor (counted in risk)
    ((-1.9, -1.0, -1.0), 2, True),    # T < -1.5 with one more
    ((-1.0, -1.0, -1.0), 2, True),    # two risk factors without low BMD
])
def test_the_aromatase_inhibitor_algorithm_treats_below_minus_2_or_with_two_risk_factors(t_score, risk, fires):
    assert TreatmentRule(ZOLEDRONIC, aibl_algorithm=True).decide(_visit(t_score, risk)).tolist() == [fires]


def test_risk_factors_are_counted_from_the_scan_the_population_and_the_arm():
    from remodel import Habits, Population, Regimen
    from remodel.clinical.dxa import Monitoring
    from remodel.clinical.fracture import FractureInputs
    from remodel.clinical.pathway import Pathway, _Arm, _risk_factors

    import xarray as xr

    data = xr.Dataset({"bmd": (("time", "site"), np.ones((2, 3))), "t_score": (("time", "site"), np.zeros((2, 3)))},
                      coords={"site": ["lumbar_spine", "total_hip", "femoral_neck"]})
    woman = Population(name="w", sex="female", age=64.0, menopause_age=51.0, weight_kg=50.0, height_m=1.6)
    smoker = Regimen(habits=Habits(cigarettes_per_day=10.0, start_year=-20.0, stop_year=-5.0))
    arm = _Arm("a", smoker, Pathway(Monitoring()), data, 1)
    t = np.array([[-1.6, -1.0, -1.0]])
    none, both = shared_risk_factors(FractureInputs(), 1, 0), shared_risk_factors(
        FractureInputs(family_history_hip_fracture=True, oral_glucocorticoids=True), 1, 0)
    # BMI 19.5 < 20, past smoking, T < -1.5; age 64 + 2 = 66 > 65
    assert _risk_factors(arm, woman, 0.0, t, np.array([False]), False, none).tolist() == [3]
    assert _risk_factors(arm, woman, 2.0, t, np.array([False]), False, none).tolist() == [4]
    assert _risk_factors(arm, woman, 2.0, t, np.array([True]), False, both).tolist() == [7]
    assert _risk_factors(arm, woman, 2.0, t, np.array([False]), True, both).tolist() == [7]


def test_risk_factors_given_as_a_share_are_drawn_per_patient_with_the_seed():
    from remodel.clinical.fracture import FractureInputs

    inputs = FractureInputs(family_history_hip_fracture=0.15, oral_glucocorticoids=True)
    drawn = shared_risk_factors(inputs, 20_000, 4)
    assert abs(drawn[:, 0].mean() - 0.15) < 0.01 and drawn[:, 1].all()  # binomial SD 0.0025
    np.testing.assert_array_equal(drawn, shared_risk_factors(inputs, 20_000, 4))
    assert not shared_risk_factors(FractureInputs(), 100, 4).any()
    with pytest.raises(ValueError, match="share of patients between 0 and 1"):
        FractureInputs(oral_glucocorticoids=1.5)


def test_rules_at_one_visit_act_in_their_order():
    """A stop rule before a start rule of the same class lets a new course start at the same visit;
    after it, it finds the course it would stop just started and leaves it."""
    alendronate = Therapy("alendronate", start_year=0.0)
    stop = StopRule("alendronate", after_years=2)
    start = TreatmentRule(ZOLEDRONIC, t_score_below=-2.0)
    stopped = _apply(stop, (alendronate,), 2.0, False)
    assert stopped[0].stop_year == 2.0
    assert _apply(start, stopped, 2.0, False)[-1].drug == "zoledronic_acid"
    # the other order: the start rule finds a bisphosphonate being taken and does not fire
    assert _apply(start, (alendronate,), 2.0, False) is None
    # a start rule fires once, unless it repeats (after a holiday)
    assert _apply(start, (), 2.0, True) is None
    again = TreatmentRule(ZOLEDRONIC, t_score_below=-2.0, repeat=True)
    assert _apply(again, stopped, 3.0, True)[-1].start_year == 3.0
    assert _apply(again, (again.started(2.0),), 3.0, True) is None  # not while it is taken
    # a course started at this visit and stopped at it is removed
    assert _apply(StopRule("zoledronic_acid", t_score_above=-1.0), (start.started(2.0),), 2.0, False) == ()


def test_a_scenario_with_the_algorithm_cites_it():
    from remodel.runner import scenario_references

    text = HEAD + ARM.format(name="aibl") + START.format(condition="aibl_algorithm = true")
    assert any(r.startswith("[Hadji2017]") for r in scenario_references(parse_scenario(text)))
    assert not any(r.startswith("[Hadji2017]") for r in scenario_references(parse_scenario(SCENARIO)))


def test_a_stop_rule_reads_the_years_taken_and_the_recovered_t_score_at_scans_only():
    holiday = StopRule("zoledronic_acid", after_years=3)
    recovered = StopRule("zoledronic_acid", t_score_above=-1.5)
    hip = StopRule("zoledronic_acid", t_score_above=-1.5, site="total_hip")
    t = (-1.4, -1.6, -1.2)  # spine, total hip, femoral neck
    assert holiday.decide(_visit(t), np.array([3.0])).tolist() == [True]
    assert holiday.decide(_visit(t), np.array([2.9])).tolist() == [False]
    assert recovered.decide(_visit(t), np.array([1.0])).tolist() == [False]  # "any": every site above
    assert recovered.decide(_visit((-1.4, -1.3, -1.2)), np.array([1.0])).tolist() == [True]
    assert hip.decide(_visit(t), np.array([1.0])).tolist() == [False]
    no_scan = Visit(2.5, None, None, np.array([False]))
    assert holiday.decide(no_scan, np.array([5.0])).tolist() == [False]


def test_plot_pathway_marks_the_stop_and_the_simulated_fracture(cohort):
    from remodel.plotting import plot_pathway

    stopped = cohort["rule_fired_time"].sel(arm="holiday").values[:, 1]
    patient = int(np.flatnonzero(np.isfinite(stopped))[0])
    labels = [t.get_text() for t in plot_pathway(cohort, "holiday", patient=patient).get_legend().get_texts()]
    assert f"therapy stopped (year {stopped[patient]:g})" in labels
    fracture = cohort["simulated_fracture_time"].sel(arm="after fracture").values
    patient = int(np.flatnonzero(np.isfinite(fracture))[0])
    labels = [t.get_text() for t in plot_pathway(cohort, "after fracture", patient=patient).get_legend().get_texts()]
    assert f"simulated fracture (year {fracture[patient]:.2f})" in labels


def test_each_patient_keeps_the_simulation_of_her_final_regimen(cohort):
    """The lazy re-simulation assembles, for a patient whose course was started and stopped by rules,
    exactly the simulation of her final regimen (anastrozole, zoledronic acid from her start to her
    stop), as simulating her alone with it gives."""
    import dataclasses

    from remodel import Regimen
    from remodel.cohort import simulate_cohort

    scenario = parse_scenario(SCENARIO)
    fired = cohort["rule_fired_time"].sel(arm="holiday").values
    patient = int(np.flatnonzero(np.isfinite(fired[:, 1]))[0])
    start, stop = fired[patient]
    rule = scenario.pathways["holiday"].rules[0]
    final = dataclasses.replace(rule.started(start), stop_year=stop)
    regimen = Regimen(therapies=scenario.arms["holiday"].therapies + (final,))
    alone = simulate_cohort(scenario.population, {"holiday": regimen}, scenario.patients, seed=scenario.seed,
                            members=[patient], years=scenario.years, output_times=np.asarray(scenario.output_times))
    np.testing.assert_array_equal(cohort["bmd"].sel(arm="holiday").values[patient],
                                  alone["bmd"].sel(arm="holiday").values[0])


def test_a_repeating_start_rule_restarts_after_a_holiday_at_the_first_scan_below_the_threshold(cohort):
    """Holiday after 2 years, then (repeat) zoledronic acid again at the first later scan with a
    measured T-score below -2.0: until then the patient is the holiday arm's patient."""
    stopped = cohort["rule_fired_time"].sel(arm="holiday, restart").values[:, 1]
    np.testing.assert_array_equal(stopped, cohort["rule_fired_time"].sel(arm="holiday").values[:, 1])
    lowest = cohort["measured_t_score"].sel(arm="holiday").min("site").values  # (patient, scan)
    spine = cohort["bmd"].sel(site="lumbar_spine", time=4.0)
    restart, holiday = spine.sel(arm="holiday, restart").values, spine.sel(arm="holiday").values
    after = stopped == 2.0  # scans at 3 and 4 follow the stop
    again = after & (lowest[:, 3] < -2.0)  # restarted at year 3: a year of treatment by year 4
    assert again.any() and (after & ~again & (lowest[:, 4] >= -2.0)).any()  # both cases covered
    assert np.all(restart[again] > holiday[again])
    never = after & (lowest[:, 3] >= -2.0) & (lowest[:, 4] >= -2.0)
    np.testing.assert_allclose(restart[never], holiday[never], rtol=1e-6)
