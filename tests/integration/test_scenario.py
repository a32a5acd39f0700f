"""Scenario files: the library in scenarios/ runs end to end; format features (presets, dose keys,
factorial arms, output times) and the rules on conflicting therapies."""

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
from pydantic import Field, ValidationError

from remodel import DRUGS, POPULATIONS, SITES, Disuse, Exercise, Nutrition, Regimen, Supplement, Therapy, WeightChange
from remodel.report import compare_rows, crossing_years, format_periods, periods_below
from remodel.runner import run_scenario
from remodel.scenario import DAYS_PER_MONTH, ScenarioError, ScenarioWarning, dose_key, load_scenario, parse_scenario
from remodel.scenario.errors import explain
from remodel.scenario.schema import Table, number

SCENARIOS = sorted((Path(__file__).parents[2] / "scenarios").glob("*.toml"))

HEAD = 'schema_version = 1\ntitle = "t"\n'


def doc(population='preset = "postmenopausal_woman"', simulation="years = 2", body='[[arms]]\nname = "a"\n'):
    return f"{HEAD}[population]\n{population}\n[simulation]\n{simulation}\n{body}"


# ---------------------------------------------------------------------------------------------
# the scenario library
# ---------------------------------------------------------------------------------------------

def test_the_library_has_the_five_scenarios_of_issue_4():
    names = {p.stem for p in SCENARIOS}
    assert {"anastrozole_postmenopausal", "trt_men_anastrozole", "premenopausal_goserelin",
            "natural_menopause_lifestyle", "anastrozole_stop_after_5_years"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_library_scenario_runs_with_one_entry_per_arm(path):
    scenario = load_scenario(path)
    assert scenario.text == path.read_text(encoding="utf-8")
    assert "Sources" in scenario.text  # each file documents where its arms come from
    ds = run_scenario(scenario)
    assert [str(a) for a in ds["arm"].values] == list(scenario.arms) + list(scenario.mixtures)  # mixes after the arms
    assert len(scenario.arms) >= 2
    assert ds["time"].values[-1] == pytest.approx(scenario.years)
    bmd = ds["bmd"].values
    assert np.all(np.isfinite(bmd)) and np.all(bmd > 0)
    assert ds.attrs["scenario"] == scenario.text
    assert ds.attrs["scenario_file"] == path.name
    assert set(scenario.report_years) <= {round(float(t), 9) for t in ds["time"].values}


def test_flagship_is_the_full_factorial_plus_its_reference_arm():
    scenario = load_scenario(Path(__file__).parents[2] / "scenarios" / "anastrozole_postmenopausal.toml")
    factorial = [name for name in scenario.arms if " + " in name]
    assert len(factorial) == 1 * 3 * 2 * 2
    assert all(any(t.drug == "anastrozole" for t in scenario.arms[name].therapies) for name in factorial)
    bone = {tuple(t.drug for t in scenario.arms[n].therapies if t.action != "aromatase_inhibitor") for n in factorial}
    assert bone == {(), ("zoledronic_acid",), ("denosumab",)}
    zoledronic = next(t for n in factorial for t in scenario.arms[n].therapies if t.drug == "zoledronic_acid")
    assert (zoledronic.dose, zoledronic.interval_days) == (4, pytest.approx(6 * DAYS_PER_MONTH))
    assert scenario.years == 5


# ---------------------------------------------------------------------------------------------
# format features
# ---------------------------------------------------------------------------------------------

def test_preset_fields_can_be_overridden_one_by_one():
    text = doc(population='preset = "postmenopausal_woman"\nage_years = 70\n[population.t_scores]\ntotal_hip = -1.5')
    population = load_scenario_text(text).population
    preset = POPULATIONS["postmenopausal_woman"]
    assert population.age == 70
    assert population.menopause_age == preset.menopause_age
    assert population.sex == preset.sex
    assert population.t_scores == {"total_hip": -1.5}


def test_switching_the_preset_sex_drops_the_other_sex_hormone():
    text = doc(population='preset = "older_man"\nsex = "female"\nmenopause_age_years = 50')
    population = load_scenario_text(text).population
    assert population.sex == "female" and population.testosterone_ng_per_dl is None


def test_explicit_population_maps_unit_suffixed_keys_to_fields():
    text = doc(population='sex = "male"\nage_years = 55\ntestosterone_ng_per_dl = 300\nweight_kg = 90\n'
                          '[population.bmd_g_per_cm2]\nlumbar_spine = 1.0')
    population = load_scenario_text(text).population
    assert (population.sex, population.age, population.testosterone_ng_per_dl, population.weight_kg) == ("male", 55, 300, 90)
    assert population.bmd_g_per_cm2 == {"lumbar_spine": 1.0}


def test_weight_table_and_height_become_the_weight_change_and_the_population_height():
    body = '[[arms]]\nname = "diet"\n[arms.weight]\nchange_kg = -8\nstart_year = 0.5\n[[arms]]\nname = "usual"\n'
    scenario = load_scenario_text(doc(population='preset = "postmenopausal_woman"\nweight_kg = 80\nheight_m = 1.7',
                                      body=body))
    assert (scenario.population.weight_kg, scenario.population.height_m) == (80, 1.7)
    assert scenario.arms["diet"].weight == WeightChange(-8.0, 0.5, 1.0) and scenario.arms["diet"].weight.stop_year == 1.5
    assert scenario.arms["usual"].weight is None


@pytest.mark.parametrize("drug", sorted(DRUGS))
def test_every_drug_has_a_unit_suffixed_dose_key_mapped_to_the_dose(drug):
    key = dose_key(drug)
    assert key.startswith(("dose_", "target_"))
    units = DRUGS[drug].dose_units.lower().replace("/", "_per_").replace(" ", "_")
    assert key.endswith(units.replace("__", "_"))
    dose = 1.5 * DRUGS[drug].standard_dose
    population = 'preset = "older_man"' if DRUGS[drug].action == "androgen" else 'preset = "postmenopausal_woman"'
    if DRUGS[drug].action == "gonadal_suppression":
        population = 'preset = "premenopausal_woman"'
    body = f'[[arms]]\nname = "a"\n[[arms.therapies]]\ndrug = "{drug}"\n{key} = {dose!r}\nstart_year = 0.5\nstop_year = 1.5\n'
    (therapy,) = load_scenario_text(doc(population=population, body=body)).arms["a"].therapies
    assert therapy == Therapy(drug, start_year=0.5, stop_year=1.5, dose=dose)


def test_interval_months_becomes_interval_days():
    body = '[[arms]]\nname = "a"\n[[arms.therapies]]\ndrug = "denosumab"\ndose_mg = 60\ninterval_months = 3\n'
    (therapy,) = load_scenario_text(doc(body=body)).arms["a"].therapies
    assert therapy.interval_days == pytest.approx(3 * 365.25 / 12)


def test_lifestyle_items_are_the_regimen_dataclasses():
    body = ('[[arms]]\nname = "a"\n[[arms.exercise]]\nmodality = "resistance"\nsessions_per_week = 2\nload_pct_1rm = 70\n'
            "[arms.nutrition]\ncalcium_mg_per_day = 600\n[[arms.supplements]]\nvitamin_d_iu_per_day = 800\nstop_year = 1\n"
            "[arms.habits]\nalcohol_drinks_per_day = 2\n[[arms.disuse]]\nloading_fraction = 0\nstop_year = 0.25\n")
    regimen = load_scenario_text(doc(body=body)).arms["a"]
    assert regimen.disuse == (Disuse(0.0, stop_year=0.25),)
    assert regimen.exercise == (Exercise("resistance", 2, load_pct_1rm=70),)
    assert regimen.nutrition == Nutrition(calcium_mg_per_day=600)
    assert regimen.supplements == (Supplement(vitamin_d_iu_per_day=800, stop_year=1),)
    assert regimen.habits.alcohol_drinks_per_day == 2


def test_factorial_arms_are_all_combinations_after_the_explicit_arms():
    body = ('[[arms]]\nname = "reference"\n'
            '[[factorial.drug]]\nname = "tamoxifen"\n[[factorial.drug.therapies]]\ndrug = "tamoxifen"\n'
            '[[factorial.drug]]\nname = "anastrozole"\n[[factorial.drug.therapies]]\ndrug = "anastrozole"\n'
            '[[factorial.move]]\nname = "rest"\n'
            '[[factorial.move]]\nname = "walk"\n[[factorial.move.exercise]]\nmodality = "walking"\nsessions_per_week = 5\n'
            '[[factorial.move]]\nname = "jump"\n[[factorial.move.exercise]]\nmodality = "high_impact"\nsessions_per_week = 3\n'
            '[factorial.move.habits]\ncigarettes_per_day = 0\n')
    arms = load_scenario_text(doc(body=body)).arms
    drugs, moves = ["tamoxifen", "anastrozole"], ["rest", "walk", "jump"]
    assert list(arms) == ["reference"] + [f"{d} + {m}" for d in drugs for m in moves]
    walk = arms["anastrozole + walk"]
    assert [t.drug for t in walk.therapies] == ["anastrozole"]
    assert [e.modality for e in walk.exercise] == ["walking"]
    assert arms["reference"].therapies == ()


def test_output_times_include_start_horizon_and_report_years():
    scenario = load_scenario_text(doc(simulation="years = 2.5\noutput_step_months = 12\nreport_years = [0.25, 2.5]"))
    assert scenario.output_times == pytest.approx((0.0, 0.25, 1.0, 2.0, 2.5))
    scenario = load_scenario_text(doc(simulation="years = 3\noutput_years = [1, 2]"))
    assert scenario.output_times == pytest.approx((0.0, 1.0, 2.0, 3.0))
    assert scenario.report_years == (1.0, 2.0, 3.0)


def test_default_output_is_monthly():
    scenario = load_scenario_text(doc(simulation="years = 2"))
    assert np.diff(scenario.output_times) == pytest.approx(np.full(24, 1 / 12))


def test_with_report_years_adds_output_times_and_checks_the_horizon():
    scenario = load_scenario_text(doc(simulation="years = 2\noutput_step_months = 6"))
    changed = scenario.with_report_years([0.7, 2])
    assert 0.7 in changed.output_times and changed.report_years == (0.7, 2.0)
    with pytest.raises(ValueError, match="horizon"):
        scenario.with_report_years([3])
    for twice_or_backwards in ([1, 1], [2, 1]):
        with pytest.raises(ValueError, match="increase"):
            scenario.with_report_years(twice_or_backwards)


# ---------------------------------------------------------------------------------------------
# therapies that do not go together
# ---------------------------------------------------------------------------------------------

def therapies(*items, population='preset = "postmenopausal_woman"', years=5):
    body = '[[arms]]\nname = "a"\n' + "".join(f"[[arms.therapies]]\n{item}\n" for item in items)
    return doc(population=population, simulation=f"years = {years}", body=body)


def test_sequential_aromatase_inhibitors_are_allowed():
    load_scenario_text(therapies('drug = "anastrozole"\nstop_year = 2', 'drug = "exemestane"\nstart_year = 2'))


def test_switch_from_tamoxifen_to_an_aromatase_inhibitor_is_not_warned(recwarn):
    scenario = load_scenario_text(therapies('drug = "tamoxifen"\nstop_year = 2', 'drug = "anastrozole"\nstart_year = 2'))
    assert scenario.warnings == ()
    assert not [w for w in recwarn if issubclass(w.category, ScenarioWarning)]


def test_tamoxifen_with_an_aromatase_inhibitor_is_warned_not_rejected():
    with pytest.warns(ScenarioWarning, match="ATAC"):
        scenario = load_scenario_text(therapies('drug = "tamoxifen"', 'drug = "anastrozole"'))
    assert len(scenario.warnings) == 1 and "arms[0].therapies[1]" in scenario.warnings[0]


def test_aromatase_inhibitor_with_ovarian_suppression_in_a_premenopausal_woman_is_allowed():
    load_scenario_text(therapies('drug = "goserelin"\nstop_year = 3', 'drug = "anastrozole"\nstop_year = 3',
                                 population='preset = "premenopausal_woman"'))


def test_goserelin_in_a_man_is_androgen_deprivation():
    """Smith2001: a GnRH agonist in a man removes his testicular secretion (androgen deprivation):
    the scenario is accepted and his testosterone falls to castrate levels."""
    ds = run_scenario(load_scenario_text(therapies('drug = "goserelin"', population='preset = "older_man"', years=1)))
    assert float(ds.testosterone.isel(time=-1).max()) < 50.0


def test_aromatase_inhibitor_after_the_menopause_needs_no_ovarian_suppression():
    # premenopausal_woman reaches menopause during the simulation: an AI started after it is fine
    preset = POPULATIONS["premenopausal_woman"]
    start = math.ceil(preset.menopause_age - preset.age)
    load_scenario_text(therapies(f'drug = "letrozole"\nstart_year = {start}', years=start + 2,
                                 population='preset = "premenopausal_woman"'))
    with pytest.raises(ScenarioError, match="ovarian suppression"):
        load_scenario_text(therapies(f'drug = "letrozole"\nstart_year = {start - 1}', years=start + 2,
                                     population='preset = "premenopausal_woman"'))


def test_scenario_error_message_is_one_line_with_file_path_and_allowed():
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(doc(simulation="years = 2\nreport_years = [9]"), "my file.toml")
    message = str(exc.value)
    assert message.startswith("my file.toml: simulation.report_years: ")
    assert "; allowed: " in message and "\n" not in message
    assert (exc.value.source, exc.value.path) == ("my file.toml", "simulation.report_years")


def test_the_error_formatter_words_any_table_model_from_the_error_loc():
    # the [sweep] table is to be validated by the same layer: explain() must not know the scenario
    class Sweep(Table):
        n: int = Field(description="number of points, a positive integer")
        rtol: float = number("relative tolerance", 1e-7, gt=0, le=1e-2)
        sites: list[str] = Field([], description="site names")

    def explained(table):
        with pytest.raises(ValidationError) as exc:
            Sweep.model_validate(table)
        return explain(exc.value, Sweep, prefix=("sweep",))

    assert explained({"n": "1"}) == ("sweep.n", 'expected an integer, got a string ("1")',
                                     "number of points, a positive integer")
    assert explained({"n": 1, "rtl": 1e-6}) == ("sweep.rtl", "unknown key 'rtl' (did you mean 'rtol'?)", "n, rtol, sites")
    assert explained({"n": 1, "rtol": -1.0}) == ("sweep.rtol", "-1.0 is out of range", "relative tolerance, > 0 and <= 0.01")
    assert explained({"n": 1, "sites": ["a", 2]}) == ("sweep.sites[1]", "expected a string, got an integer (2)", "a string")
    assert explained({}) == ("sweep.n", "missing required key", "n: number of points, a positive integer")


# ---------------------------------------------------------------------------------------------
# the comparison table
# ---------------------------------------------------------------------------------------------

def test_crossing_years_interpolates_between_output_times():
    times = np.linspace(0, 4, 9)
    slope, start = -0.4, -0.2  # T = start + slope * t crosses -1 at t = 2 and -2.5 at 5.75
    t_score = start + slope * times
    assert crossing_years(t_score, times, -1.0) == pytest.approx((-1.0 - start) / slope)
    assert crossing_years(t_score, times, -2.5, inclusive=True) is None
    assert crossing_years(t_score - 5, times, -2.5, inclusive=True) == 0.0
    exactly = np.array([0.0, -1.0, -1.0])
    assert crossing_years(exactly, [0, 1, 2], -1.0) is None  # T < -1 strictly for osteopenia
    assert crossing_years(exactly - 1.5, [0, 1, 2], -2.5, inclusive=True) == pytest.approx(1.0)


def test_periods_below_a_threshold_say_when_an_arm_recovers():
    """Issue 16: an arm osteopenic at the start that recovers to normal read "osteopenia from y = 0.0"
    as if it stayed there. The periods say when it enters and leaves, and whether it is still there
    at the end."""
    times = np.arange(6.0)
    recovers = np.array([-1.2, -1.1, -0.9, -0.8, -1.05, -1.3])  # out at 1.5, back in at 3.8
    assert periods_below(recovers, times, -1.0) == [(0.0, pytest.approx(1.5)), (pytest.approx(3.0 + 0.2 / 0.25), None)]
    assert format_periods(periods_below(recovers, times, -1.0)) == "0.0-1.5, 3.8-"
    assert periods_below(recovers, times, -2.5, inclusive=True) == [] and format_periods([]) == "-"
    assert format_periods(periods_below(recovers[:3], times[:3], -1.0)) == "0.0-1.5"


def test_compare_rows_follow_the_dataset():
    scenario = load_scenario_text(therapies('drug = "anastrozole"', years=3)).with_report_years([1, 3])
    scenario = dataclasses.replace(scenario, arms={**scenario.arms, "none": Regimen()})
    ds = run_scenario(scenario)
    rows = compare_rows(ds, scenario.report_years)
    assert len(rows) == ds.sizes["arm"] * len(SITES) * 2
    for row in rows:
        at = ds.sel(arm=row["arm"], site=row["site"]).sel(time=row["year"], method="nearest")
        assert row["bmd_change_percent"] == float(at["bmd_change"])
        assert row["t_score"] == float(at["t_score"])
        assert row["who_category"] == ["normal", "osteopenia", "osteoporosis"][int(at["who_category"])]
        series = ds["t_score"].sel(arm=row["arm"], site=row["site"]).values
        if row["osteopenia_from_year"] is None:
            assert np.all(series >= -1) and row["osteopenia_years"] == 0 and row["osteopenia_periods"] == "-"
        else:
            assert np.all(series[ds["time"].values < row["osteopenia_from_year"] - 1e-9] >= -1)
            below = ds["time"].values[series < -1]
            assert below.min() >= row["osteopenia_from_year"] - 1e-9
            assert row["osteopenia_years"] <= ds["time"].values[-1] - row["osteopenia_from_year"] + 1e-9


def load_scenario_text(text):
    return parse_scenario(text, "test.toml")
