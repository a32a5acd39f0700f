"""Malformed scenario files through the command line: each must exit with code 2 and one line on
stderr naming the file and the offending key (or line and column), never a traceback.

Each case is a small file differing from a valid base in one way; ``where`` is the key path (or
position) the message must name, ``hint`` a further word it must contain where the message should
say what was meant.
"""

import copy
import datetime
import json
import math
import os
import random
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import pytest

from remodel import cli
from remodel.scenario import ScenarioError, ScenarioWarning, load_scenario, parse_scenario

BASE = """\
schema_version = 1
title = "base"

[population]
preset = "postmenopausal_woman"

[simulation]
years = 2

[[arms]]
name = "a"
[[arms.therapies]]
drug = "anastrozole"
dose_mg_per_day = 1
"""

HEADER = 'schema_version = 1\ntitle = "t"\n'
POSTMENOPAUSAL = '[population]\npreset = "postmenopausal_woman"\n'
SIM = "[simulation]\nyears = 2\n"
ARM = '[[arms]]\nname = "a"\n'


MONITORING = "[arms.monitoring]\ninterval_months = 24\n"
RULE = ('[arms.rule]\nt_score_below = -2.0\n[arms.rule.therapy]\ndrug = "zoledronic_acid"\ndose_mg = 4\n'
        'interval_months = 6\n')
RULES = RULE.replace("[arms.rule]", "[[arms.rules]]").replace("[arms.rule.therapy]", "[arms.rules.therapy]")
STOP = '[[arms.rules]]\naction = "stop"\ndrug = "zoledronic_acid"\nafter_years = 1\n'


def arm(body):
    return HEADER + POSTMENOPAUSAL + SIM + ARM + body


def therapy(body):
    return arm("[[arms.therapies]]\n" + body)


# (id, file content (str or bytes), where, hint)
CASES = [
    ("missing schema_version", BASE.replace("schema_version = 1\n", ""), "schema_version", "1"),
    ("future schema_version", BASE.replace("schema_version = 1", "schema_version = 2"), "schema_version", "unsupported"),
    ("schema_version as string", BASE.replace("schema_version = 1", 'schema_version = "1"'), "schema_version", "integer"),
    ("empty file", "", "schema_version", "missing"),
    ("missing title", BASE.replace('title = "base"\n', ""), "title", "missing"),
    ("title is a table", BASE.replace('title = "base"', "title = {a = 1}"), "title", "string"),
    ("typo in top-level key", BASE.replace("title =", "titel ="), "titel", "title"),
    ("missing population", BASE.replace('[population]\npreset = "postmenopausal_woman"\n', ""), "population", "missing"),
    ("missing simulation", BASE.replace("[simulation]\nyears = 2\n", ""), "simulation", "missing"),
    ("missing years", BASE.replace("years = 2", 'parameter_set = "Remodel2026"'), "simulation.years", "missing"),
    ("years as string", BASE.replace("years = 2", 'years = "five"'), "simulation.years", "number"),
    ("huge horizon", BASE.replace("years = 2", "years = 500"), "simulation.years", "100"),
    ("zero horizon", BASE.replace("years = 2", "years = 0"), "simulation.years", "100"),
    ("negative horizon", BASE.replace("years = 2", "years = -3"), "simulation.years", "100"),
    ("infinite horizon", BASE.replace("years = 2", "years = inf"), "simulation.years", "finite"),
    ("output times not increasing", BASE.replace("years = 2", "years = 2\noutput_years = [0, 1, 0.5]"),
     "simulation.output_years", "increasing"),
    ("both output step and list", BASE.replace("years = 2", "years = 2\noutput_years = [0, 1]\noutput_step_months = 1"),
     "simulation.output_years", "one of"),
    ("report year beyond horizon", BASE.replace("years = 2", "years = 2\nreport_years = [1, 5]"),
     "simulation.report_years", "horizon"),
    ("unknown parameter set", BASE.replace("years = 2", 'years = 2\nparameter_set = "Remodel2025"'),
     "simulation.parameter_set", "Remodel2026"),
    ("cell-only parameter set", BASE.replace("years = 2", 'years = 2\nparameter_set = "Lemaire2004"'),
     "simulation.parameter_set", "Remodel2026"),
    ("unknown population preset", BASE.replace('"postmenopausal_woman"', '"postmenopausal_women"'),
     "population.preset", "postmenopausal_woman"),
    ("age below 30", BASE.replace('preset = "postmenopausal_woman"', 'preset = "postmenopausal_woman"\nage_years = 20'),
     "population.age_years", "30"),
    ("unknown t-score site", BASE.replace('preset = "postmenopausal_woman"',
                                          'preset = "postmenopausal_woman"\n[population.t_scores]\nspine = -1'),
     "population.t_scores.spine", "lumbar_spine"),
    ("explicit population without sex", BASE.replace('preset = "postmenopausal_woman"', "age_years = 60\nmenopause_age_years = 50"),
     "population.sex", "missing"),
    ("menopause age for a man", BASE.replace('preset = "postmenopausal_woman"', 'preset = "older_man"\nmenopause_age_years = 50'),
     "population.menopause_age_years", "women"),
    ("no arms at all", HEADER + POSTMENOPAUSAL + SIM, "arms", "[[arms]]"),
    ("empty arms list", HEADER + "arms = []\n" + POSTMENOPAUSAL + SIM, "arms", "[[arms]]"),
    ("arms as a single table", HEADER + POSTMENOPAUSAL + SIM + '[arms]\nname = "a"\n', "arms", "array of tables"),
    ("arm without name", HEADER + POSTMENOPAUSAL + SIM + "[[arms]]\n[arms.habits]\ncigarettes_per_day = 1\n",
     "arms[0].name", "missing"),
    ("duplicate arm names", BASE + ARM, "arms[1].name", "unique"),
    ("typo in arm key", arm("[[arms.therapy]]\ndrug = 'tamoxifen'\n"), "arms[0].therapy", "therapies"),
    ("negative dose", BASE.replace("dose_mg_per_day = 1", "dose_mg_per_day = -1"),
     "arms[0].therapies[0].dose_mg_per_day", "positive"),
    ("dose as string", BASE.replace("dose_mg_per_day = 1", 'dose_mg_per_day = "1 mg"'),
     "arms[0].therapies[0].dose_mg_per_day", "number"),
    ("dose in the wrong units", BASE.replace("dose_mg_per_day = 1", "dose_mg = 1"),
     "arms[0].therapies[0].dose_mg", "dose_mg_per_day"),
    ("unknown drug", BASE.replace('drug = "anastrozole"', 'drug = "anastrozol"'),
     "arms[0].therapies[0].drug", "anastrozole"),
    ("therapy without drug", therapy("start_year = 0\n"), "arms[0].therapies[0].drug", "missing"),
    ("stop before start", therapy('drug = "tamoxifen"\nstart_year = 1\nstop_year = 0.5\n'),
     "arms[0].therapies[0].stop_year", "after"),
    ("start after horizon", therapy('drug = "tamoxifen"\nstart_year = 3\n'), "arms[0].therapies[0].start_year", "horizon"),
    # a therapy may start before the simulation (therapy history, issue 13); an exercise programme may not
    ("negative start", arm('[[arms.exercise]]\nmodality = "walking"\nsessions_per_week = 3\nstart_year = -1\n'),
     "arms[0].exercise[0].start_year", ">= 0"),
    ("typo in therapy key", therapy('drug = "tamoxifen"\nstop_yaer = 1\n'), "arms[0].therapies[0].stop_yaer", "stop_year"),
    ("interval for a continuous drug", therapy('drug = "anastrozole"\ninterval_days = 30\n'),
     "arms[0].therapies[0].interval_days", "discrete"),
    ("both interval keys", therapy('drug = "denosumab"\ninterval_days = 180\ninterval_months = 6\n'),
     "arms[0].therapies[0].interval_months", "one of"),
    ("two aromatase inhibitors", therapy('drug = "anastrozole"\n[[arms.therapies]]\ndrug = "letrozole"\nstart_year = 1\n'),
     "arms[0].therapies[1].drug", "aromatase inhibitor"),
    ("same drug twice", therapy('drug = "denosumab"\n[[arms.therapies]]\ndrug = "denosumab"\n'),
     "arms[0].therapies[1].drug", "same drug"),
    ("aromatase inhibitor before menopause", (HEADER + '[population]\npreset = "premenopausal_woman"\n' + SIM + ARM
                                              + '[[arms.therapies]]\ndrug = "letrozole"\n'),
     "arms[0].therapies[0].drug", "ovarian suppression"),
    ("ovarian suppression ends too early", (HEADER + '[population]\npreset = "premenopausal_woman"\n' + SIM + ARM
                                            + '[[arms.therapies]]\ndrug = "goserelin"\nstop_year = 1\n'
                                            + '[[arms.therapies]]\ndrug = "exemestane"\n'),
     "arms[0].therapies[1].drug", "ovarian suppression"),
    ("testosterone in a woman", therapy('drug = "testosterone"\ntarget_ng_per_dl = 500\n'),
     "arms[0].therapies[0].drug", "men"),
    ("unknown exercise modality", arm('[[arms.exercise]]\nmodality = "yoga"\nsessions_per_week = 2\n'),
     "arms[0].exercise[0].modality", "balance"),
    ("too many sessions", arm('[[arms.exercise]]\nmodality = "walking"\nsessions_per_week = 30\n'),
     "arms[0].exercise[0].sessions_per_week", "21"),
    ("load for walking", arm('[[arms.exercise]]\nmodality = "walking"\nsessions_per_week = 3\nload_pct_1rm = 80\n'),
     "arms[0].exercise[0].load_pct_1rm", "resistance"),
    ("adherence as boolean", arm('[[arms.exercise]]\nmodality = "running"\nsessions_per_week = 3\nadherence = true\n'),
     "arms[0].exercise[0].adherence", "number"),
    ("exercise without sessions", arm('[[arms.exercise]]\nmodality = "running"\n'),
     "arms[0].exercise[0].sessions_per_week", "missing"),
    ("typo in nutrition key", arm("[arms.nutrition]\ncalcium_mg_per_dy = 700\n"),
     "arms[0].nutrition.calcium_mg_per_dy", "calcium_mg_per_day"),
    ("negative calcium", arm("[arms.nutrition]\ncalcium_mg_per_day = -5\n"),
     "arms[0].nutrition.calcium_mg_per_day", "between"),
    ("nutrition as array", arm("[[arms.nutrition]]\ncalcium_mg_per_day = 700\n"), "arms[0].nutrition", "table"),
    ("supplement dose as string", arm('[[arms.supplements]]\ncalcium_mg_per_day = "1000"\n'),
     "arms[0].supplements[0].calcium_mg_per_day", "number"),
    ("supplement stops before it starts", arm("[[arms.supplements]]\ncalcium_mg_per_day = 500\nstart_year = 1\nstop_year = 1\n"),
     "arms[0].supplements[0].stop_year", "after"),
    ("immobilisation above the habitual loading", arm("[[arms.disuse]]\nloading_fraction = 1.5\n"),
     "arms[0].disuse[0].loading_fraction", "between"),
    ("immobilisation without loading_fraction", arm("[[arms.disuse]]\nstop_year = 0.25\n"),
     "arms[0].disuse[0].loading_fraction", "missing"),
    ("unphysical smoking", arm("[arms.habits]\ncigarettes_per_day = 200\n"), "arms[0].habits.cigarettes_per_day", "80"),
    ("weight change without change_kg", arm("[arms.weight]\nover_years = 1\n"), "arms[0].weight.change_kg", "missing"),
    ("weight change to below 30 kg", arm("[arms.weight]\nchange_kg = -50\n"), "arms[0].weight.change_kg", "between 30"),
    ("weight change after the horizon", arm("[arms.weight]\nchange_kg = -5\nstart_year = 2\n"),
     "arms[0].weight.start_year", "horizon"),
    ("weight change over no time", arm("[arms.weight]\nchange_kg = -5\nover_years = 0\n"),
     "arms[0].weight.over_years", "0.1"),
    ("typo in weight key", arm("[arms.weight]\nchange = -5\n"), "arms[0].weight.change", "change_kg"),
    ("weight history before age 30", arm("[arms.weight]\nchange_kg = -5\nstart_year = -40\n"),
     "arms[0].weight.start_year", "<= start_year"),
    ("weight history from below 30 kg", arm("[arms.weight]\nchange_kg = 50\nstart_year = -10\n"),
     "arms[0].weight.change_kg", "goes from 20 to 70 kg"),
    ("height out of range", BASE.replace('preset = "postmenopausal_woman"', 'preset = "postmenopausal_woman"\nheight_m = 162'),
     "population.height_m", "2.2"),
    ("factor without levels", HEADER + POSTMENOPAUSAL + SIM + "[factorial]\nbone = []\n", "factorial.bone", "level"),
    ("empty factorial", HEADER + POSTMENOPAUSAL + SIM + "[factorial]\n", "factorial", "factor"),
    ("repeated level name", HEADER + POSTMENOPAUSAL + SIM + '[[factorial.bone]]\nname = "x"\n[[factorial.bone]]\nname = "x"\n',
     "factorial.bone[1].name", "unique"),
    ("nutrition set by two factors", (HEADER + POSTMENOPAUSAL + SIM
                                      + '[[factorial.diet]]\nname = "low"\n[factorial.diet.nutrition]\ncalcium_mg_per_day = 400\n'
                                      + '[[factorial.more]]\nname = "high"\n[factorial.more.nutrition]\ncalcium_mg_per_day = 1400\n'),
     "factorial.more[0].nutrition", "at most one"),
    ("factorial too large", HEADER + POSTMENOPAUSAL + SIM + "".join(
        f'[[factorial.f{i}]]\nname = "a{i}"\n[[factorial.f{i}]]\nname = "b{i}"\n' for i in range(7)), "factorial", "64"),
    ("TOML: missing value", BASE.replace("years = 2", "years = "), "line 8, column 9", "TOML"),
    ("TOML: duplicate key", BASE.replace("years = 2", "years = 2\nyears = 3"), "line 9", "TOML"),
    ("TOML: unclosed string", BASE.replace('title = "base"', 'title = "base'), "line 2", "TOML"),
    ("non-UTF-8 bytes", BASE.replace('title = "base"', 'title = "b\udcffse"').encode("utf-8", "surrogateescape"),
     "line 2, column 11", "UTF-8"),
    ("UTF-16 file", BASE.encode("utf-16"), "line 1, column 1", "UTF-8"),
    # limits of issue 16: accepted before, impossible
    ("report years not increasing", BASE.replace("years = 2", "years = 2\nreport_years = [2, 1]"),
     "simulation.report_years", "increasing"),
    ("tiny horizon", BASE.replace("years = 2", "years = 1e-10"), "simulation.years", "0.1"),
    ("NUL in an arm name", BASE.replace('name = "a"', 'name = "a\\u0000"'), "arms[0].name", "printable"),
    ("control character in an arm name", BASE.replace('name = "a"', 'name = "a\\u001b[31m"'), "arms[0].name",
     "printable"),
    ("newline in the title", BASE.replace('title = "base"', 'title = "two\\nlines"'), "title", "printable"),
    ("control character in a factor name", HEADER + POSTMENOPAUSAL + SIM + '[[factorial."f\\u0007"]]\nname = "x"\n',
     'factorial."f\\u0007"', "printable"),
    ("dose far above the label", BASE.replace("dose_mg_per_day = 1", "dose_mg_per_day = 9e18"),
     "arms[0].therapies[0].dose_mg_per_day", "at most 4 mg/day"),
    ("tamoxifen dose of 1e308", therapy('drug = "tamoxifen"\ndose_mg_per_day = 1e308\n'),
     "arms[0].therapies[0].dose_mg_per_day", "at most 80 mg/day"),
    ("tiny dose of zero", BASE.replace("dose_mg_per_day = 1", "dose_mg_per_day = 0"),
     "arms[0].therapies[0].dose_mg_per_day", "positive"),
    ("testosterone target beyond physiology", (HEADER + '[population]\npreset = "older_man"\n' + SIM + ARM
                                               + '[[arms.therapies]]\ndrug = "testosterone"\ntarget_ng_per_dl = 1e308\n'),
     "arms[0].therapies[0].target_ng_per_dl", "1500"),
    ("interval in months out of range", therapy('drug = "denosumab"\ninterval_months = 200\n'),
     "arms[0].therapies[0].interval_months", "months"),
    ("teriparatide dosed in mg", therapy('drug = "teriparatide"\ndose_mg = 20\n'),
     "arms[0].therapies[0].dose_mg", "dose_ug"),
    ("romosozumab far above the label", therapy('drug = "romosozumab"\ndose_mg = 2100\n'),
     "arms[0].therapies[0].dose_mg", "at most 840 mg"),
    ("65 explicit arms", HEADER + POSTMENOPAUSAL + SIM + "".join(f'[[arms]]\nname = "a{i}"\n' for i in range(65)),
     "arms", "64"),
    ("arrays nested 500 deep", BASE + "x = " + "[" * 500 + "]" * 500 + "\n", "line 15, column 37", "at most 32"),
    ("inline tables nested 33 deep", BASE + "x = " + "{a = " * 33 + "1" + "}" * 33 + "\n", "line 15, column 165",
     "at most 32"),
    ("file larger than 1 MiB", BASE + "# " + "x" * (1 << 20) + "\n", "(file)", "bytes"),
    # the clinical pathway (issue 13)
    ("rule without scans can never fire", BASE + RULE, "arms[0].rule", "monitoring"),
    ("rule without a condition", BASE + MONITORING + RULE.replace("t_score_below = -2.0\n", ""),
     "arms[0].rule.t_score_below", "significant_loss"),
    ("rule threshold that can never be reached", BASE + MONITORING + RULE.replace("-2.0", "-7.0"),
     "arms[0].rule.t_score_below", "> -5"),
    ("rule on an unknown site", BASE + MONITORING + RULE.replace("t_score_below", 'site = "wrist"\nt_score_below'),
     "arms[0].rule.site", "femoral_neck"),
    ("rule starting an unknown drug", BASE + MONITORING + RULE.replace("zoledronic_acid", "zoledronate"),
     "arms[0].rule.therapy.drug", "zoledronic_acid"),
    ("rule therapy with its own start", BASE + MONITORING + RULE + "start_year = 1\n",
     "arms[0].rule.therapy.start_year", "fires"),
    ("rule starting a second aromatase inhibitor", BASE + MONITORING + RULE.replace(
        'drug = "zoledronic_acid"\ndose_mg = 4\ninterval_months = 6', 'drug = "letrozole"'),
     "arms[0].rule.therapy.drug", "one aromatase inhibitor at a time"),
    ("scan interval of a week", BASE + MONITORING.replace("24", "0.25"), "arms[0].monitoring.interval_months",
     "between 3 and 120"),
    ("first scan after the horizon", BASE + MONITORING + "start_year = 3\n", "arms[0].monitoring.start_year",
     "< 2"),
    ("unknown monitoring key", BASE + MONITORING + "scans = 3\n", "arms[0].monitoring.scans", "interval_months"),
    ("fall rate of zero", BASE + "[fracture_risk]\nfall_rate_ratio = 0\n", "fracture_risk.fall_rate_ratio",
     "between 0.1 and 10"),
    ("prior fracture as a number", BASE + "[fracture_risk]\nprior_fracture = 1\n", "fracture_risk.prior_fracture",
     "true/false"),
    ("therapy history before age 30", therapy('drug = "tamoxifen"\nstart_year = -40\nstop_year = 0\n'),
     "arms[0].therapies[0].start_year", "-32 <= start_year"),
    ("adherence of an infusion", therapy('drug = "zoledronic_acid"\nadherence = 0.5\n'),
     "arms[0].therapies[0].adherence", "alendronate"),
    ("adherence above one", therapy('drug = "alendronate"\nadherence = 1.5\n'),
     "arms[0].therapies[0].adherence", "between 0 and 1"),
    ("sweep of a cohort", BASE.replace("years = 2", "years = 2\npatients = 10") + '[sweep]\nparameters = ["K_E2"]\n',
     "sweep", "without monitoring, rules, a cohort, fracture risk or mixes"),
    ("sweep with fracture risk", BASE + '[fracture_risk]\n[sweep]\nparameters = ["K_E2"]\n', "sweep",
     "fracture risk"),
    # stop rules, rules after a fracture or on risk factors, several rules (issue 13)
    ("both rule and rules", BASE + MONITORING + RULE + RULES, "arms[0].rules", "[[...rules]] for several"),
    ("stop rule without a drug", BASE + MONITORING + RULES + STOP.replace('drug = "zoledronic_acid"\n', ""),
     "arms[0].rules[1].drug", "the drug the rule stops"),
    ("stop rule for an unknown drug", BASE + MONITORING + RULES + STOP.replace("zoledronic", "ibandronic"),
     "arms[0].rules[1].drug", "unknown drug"),
    ("stop rule for a drug the arm never takes", BASE + MONITORING + RULES
     + STOP.replace("zoledronic_acid", "denosumab"), "arms[0].rules[1].drug", "zoledronic_acid"),
    ("stop rule without a condition", BASE + MONITORING + RULES + STOP.replace("after_years = 1\n", ""),
     "arms[0].rules[1].t_score_above", "after_years"),
    ("drug holiday after the horizon", BASE + MONITORING + RULES + STOP.replace("= 1", "= 2"),
     "arms[0].rules[1].after_years", "< 2"),
    ("stop rule with a start condition", BASE + MONITORING + RULES + STOP + "t_score_below = -2\n",
     "arms[0].rules[1].t_score_below", "t_score_above"),
    ("start rule with a stop condition", BASE + MONITORING + RULES.replace("t_score_below = -2.0", "after_years = 2"),
     "arms[0].rules[0].after_years", "for action = \"start\""),
    ("unknown rule action", BASE + MONITORING + RULES.replace("t_score_below", 'action = "pause"\nt_score_below'),
     "arms[0].rules[0].action", "start, stop"),
    ("start rule without a therapy", BASE + MONITORING + '[[arms.rules]]\nafter_fracture = true\n[fracture_risk]\n',
     "arms[0].rules[0].therapy", "the therapy the rule starts"),
    ("rule after a fracture without fracture risk", BASE + MONITORING + RULES.replace(
        "t_score_below = -2.0", "after_fracture = true"), "arms[0].rules[0].after_fracture", "[fracture_risk]"),
    ("risk-factor rule as a string", BASE + MONITORING + RULES.replace("t_score_below = -2.0", 'aibl_algorithm = "yes"'),
     "arms[0].rules[0].aibl_algorithm", "Hadji2017"),
    ("recovery threshold out of range", BASE + MONITORING + RULES + STOP.replace("after_years = 1", "t_score_above = 9"),
     "arms[0].rules[1].t_score_above", "<= 4"),
    ("family history share above one", BASE.replace("years = 2", "years = 2\npatients = 10")
     + "[fracture_risk]\nfamily_history_hip_fracture = 1.5\n", "fracture_risk.family_history_hip_fracture",
     "share of patients who have it, between 0 and 1"),
    ("family history share without a cohort", BASE + "[fracture_risk]\nfamily_history_hip_fracture = 0.2\n",
     "fracture_risk.family_history_hip_fracture", "[simulation] patients"),
    # arms as mixes of arms (issue 13)
    ("mix of one arm", BASE + '[[mixes]]\nname = "m"\n[mixes.shares]\na = 1.0\n', "mixes[0].shares", "two or more"),
    ("mix of an unknown arm", BASE + '[[mixes]]\nname = "m"\n[mixes.shares]\na = 0.5\nb = 0.5\n', "mixes[0].shares.b",
     "names of arms of the file"),
    ("mix named as an arm", BASE + '[[mixes]]\nname = "a"\n[mixes.shares]\na = 1.0\n', "mixes[0].name", "unique"),
    ("mix share above one", BASE + '[[mixes]]\nname = "m"\n[mixes.shares]\na = 1.5\n', "mixes[0].shares.a", "<= 1"),
    ("mix without shares", BASE + '[[mixes]]\nname = "m"\n', "mixes[0].shares", "missing"),
    ("mix with an empty name", BASE + '[[mixes]]\nname = " "\n[mixes.shares]\na = 1.0\n', "mixes[0].name", "non-empty"),
    ("repeat for a stop rule", BASE + MONITORING + RULES + STOP + "repeat = true\n", "arms[0].rules[1].repeat",
     "t_score_above, after_years"),
    ("repeat as a number", BASE + MONITORING + RULES.replace("t_score_below = -2.0", "t_score_below = -2.0\nrepeat = 1"),
     "arms[0].rules[0].repeat", "drug holiday"),
    ("glucocorticoids as a string", BASE + '[fracture_risk]\noral_glucocorticoids = "6 months"\n',
     "fracture_risk.oral_glucocorticoids", "more than 6 months"),
    ("glucocorticoids as an array", BASE + '[fracture_risk]\noral_glucocorticoids = [true]\n',
     "fracture_risk.oral_glucocorticoids", "true or false"),
    ("sweep of mixes", BASE + '[[arms]]\nname = "b"\n[[mixes]]\nname = "m"\n[mixes.shares]\na = 0.5\nb = 0.5\n'
     '[sweep]\nparameters = ["K_E2"]\n', "sweep", "mixes"),
    ("cohort of no patients", BASE.replace("years = 2", "years = 2\npatients = 0"), "simulation.patients", "1"),
]


def test_at_least_thirty_malformed_cases():
    assert len(CASES) >= 30
    assert len({c[0] for c in CASES}) == len(CASES)


def write(tmp_path, content):
    path = tmp_path / "bad scenario.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def assert_clean_error(err, path, where, hint):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    (line,) = lines
    assert "Traceback" not in err
    prefix = f"remodel: error: {path}: {where}"
    assert line.startswith(prefix), line
    # the whole key path, not a prefix of a longer one (positions may go on with the column)
    assert line[len(prefix)] == ":" or (where.startswith("line") and line[len(prefix)] == ","), line
    assert "; allowed: " in line, line
    assert hint.lower() in line.lower(), line


def test_base_is_valid(tmp_path):
    path = write(tmp_path, BASE)
    scenario = load_scenario(path)
    assert list(scenario.arms) == ["a"]


@pytest.mark.parametrize("name, content, where, hint", CASES, ids=[c[0] for c in CASES])
def test_malformed_scenario_exits_2_with_one_line(tmp_path, capsys, name, content, where, hint):
    path = write(tmp_path, content)
    out = tmp_path / "out.nc"
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", str(path), "-o", str(out)])
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert_clean_error(captured.err, path, where, hint)
    assert not out.exists()


@pytest.mark.parametrize("name, content, where, hint", CASES[::7], ids=[c[0] for c in CASES[::7]])
def test_malformed_scenario_raises_scenario_error_from_the_api(tmp_path, name, content, where, hint):
    path = write(tmp_path, content)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    assert exc.value.path == where or exc.value.path.startswith(where)
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("name", ["typo in nutrition key", "TOML: missing value", "non-UTF-8 bytes", "huge horizon"])
def test_python_dash_m_remodel_gives_one_line_no_traceback(tmp_path, name):
    _, content, where, hint = next(c for c in CASES if c[0] == name)
    path = write(tmp_path, content)
    result = subprocess.run([sys.executable, "-m", "remodel", "run", str(path), "-o", str(tmp_path / "x.nc")],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 2, result.stderr
    assert_clean_error(result.stderr, path, where, hint)


def test_a_long_key_gives_a_bounded_error_line(tmp_path, capsys):
    path = write(tmp_path, BASE.replace("title =", "t" * 200_000 + " ="))
    with pytest.raises(SystemExit) as exc:
        cli.main(["check", str(path)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and len(err) < 1500, len(err)
    assert f"{path}: tttt" in err and "; allowed: " in err


def test_brackets_in_strings_and_comments_are_not_nesting(tmp_path):
    deep = "[{" * 40
    text = BASE.replace('title = "base"', f"title = \"{deep}\\\"{deep}\"  # {deep}\n"
                                          f"description = \"\"\"{deep}\n{deep}\"\"\"\"")
    text += f"[arms.habits]\n'{deep}' = '{deep}'\n"  # an unknown key, after the nesting check
    with pytest.raises(ScenarioError) as exc:
        load_scenario(write(tmp_path, text))
    assert exc.value.path == f'arms[0].habits.{json.dumps(deep)}', str(exc.value)
    assert load_scenario(write(tmp_path, text.rsplit("[arms.habits]", 1)[0])).description == f"{deep}\n{deep}\""


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + BASE.encode("utf-8"))
    scenario = load_scenario(path)
    assert list(scenario.arms) == ["a"] and scenario.title == "base"


@pytest.mark.parametrize("kind", ["fifo", "symlink to a device", "directory"])
def test_only_regular_files_are_read(tmp_path, kind):
    path = tmp_path / "scenario.toml"
    if kind == "fifo":
        os.mkfifo(path)  # nobody writes to it: reading it would block forever
    elif kind == "symlink to a device":
        path.symlink_to("/dev/zero")  # reading it would never end
    else:
        path.mkdir()
    result = subprocess.run([sys.executable, "-m", "remodel", "check", str(path)], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 2, result.stderr
    assert_clean_error(result.stderr, path, "(file)", "")


def test_missing_file_exits_2(tmp_path, capsys):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", str(path)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and str(path) in err



# ---------------------------------------------------------------------------------------------
# generated malformed files: valid files with values replaced, keys dropped or added
# ---------------------------------------------------------------------------------------------

ODD_VALUES = [-1, 0, 1, 2.5, 1e308, -1e308, 5e-324, math.inf, -math.inf, math.nan, 2**62, -(2**63), True, "",
              "x", "a\u0000b", "é" * 3, "anastrozole", "lumbar_spine", [], [1, "a"], [[[]]], [0, 1, 2], [2, 1],
              {}, {"a": 1}, {"name": "x"}, datetime.date(2020, 1, 1), datetime.time(7, 30),
              datetime.datetime(2020, 1, 1, 7, 30)]


def _toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)  # a JSON string is a valid TOML basic string
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(map(_toml_value, v)) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"


def _to_toml(doc):
    """TOML of ``doc`` with every table inline (any nesting and mix of kinds)."""
    return "\n".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in doc.items())


def _mutant(doc, rng):
    """``doc`` with one to three values replaced, keys dropped or unknown keys added."""
    doc = copy.deepcopy(doc)
    for _ in range(rng.randint(1, 3)):
        node = doc
        while True:  # walk down to a random table or array
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = rng.choice(keys)
            if isinstance(node[key], (dict, list)) and node[key] and rng.random() < 0.7:
                node = node[key]
                continue
            action = rng.random()
            if action < 0.7:  # a copy: a later mutation must not change ODD_VALUES (or make a cycle)
                node[key] = copy.deepcopy(rng.choice(ODD_VALUES))
            elif action < 0.85 and isinstance(node, dict):
                del node[key]
            elif isinstance(node, dict):
                node[rng.choice(["extra", "nam", "dose", "years "])] = copy.deepcopy(rng.choice(ODD_VALUES))
            break
    return doc


def test_a_thousand_generated_malformed_files_give_one_line_errors():
    bases = [tomllib.loads(BASE)] + [tomllib.loads(p.read_text(encoding="utf-8"))
                                     for p in sorted((Path(__file__).parents[2] / "scenarios").glob("*.toml"))]
    rng = random.Random(20261201)
    rejected = 0
    for i in range(1200):
        text = _to_toml(_mutant(bases[i % len(bases)], rng))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ScenarioWarning)
            try:
                parse_scenario(text, "generated.toml")
            except ScenarioError as exc:
                rejected += 1
                message = str(exc)
                assert "\n" not in message and len(message) < 1500, message
                assert message.startswith(f"generated.toml: {exc.path}: ") and "; allowed: " in message, message
    assert rejected >= 1000, rejected


# ---------------------------------------------------------------------------------------------
# every subcommand that reads a file, on generated malformed files (issue 16)
# ---------------------------------------------------------------------------------------------

SWEEP_BASE = BASE + """
[sweep]
design = "lhs"
n = 4
variables = ["bmd_change"]
sites = ["lumbar_spine"]
output_years = [0, 1, 2]
[sweep.parameters]
K_E2 = [10, 40]
gamma_age = []
"""

TRIAL_COLUMNS = ["id", "trial", "reference", "population", "arm", "comparator", "site", "time_years", "metric", "value",
                 "tolerance", "statistic", "n", "scenario", "from_year", "notes"]
TRIAL_ROWS = [["MY06", "ATAC", "", "", "", "", "lumbar_spine", "2", "pct_change", "-4.1", "", "median", "", "CAL06", "",
               ""],
              ["MY14", "HORIZON", "", "", "", "", "total_hip", "3", "difference_vs_comparator", "6.02", "2", "mean", "",
               "CAL14", "", ""]]
ODD_CELLS = ["", "nan", "NaN", "inf", "-inf", "1e309", "-1", "0", "1e6", "x" * 300, "wrist", "serum", "a\x00b",
             "a\x1bb", "../x", ".hidden", "CAL06", "MY06", "median ", "mean;", "pct_change_per_day", '"', "1,2",
             "é", "\u2028", "5e-324", "101", "-1000.5"]


def _text_mutant(text: str, rng) -> str | bytes:
    """``text`` broken at the level of characters and lines: cut, lines dropped or repeated,
    bytes that are not UTF-8, control characters, a byte-order mark before garbage, deep nesting."""
    lines = text.splitlines(keepends=True)
    action = rng.randrange(8)
    if action == 0:
        return text[:rng.randrange(len(text))]
    if action == 1:
        del lines[rng.randrange(len(lines))]
    elif action == 2:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif action == 3:
        i = rng.randrange(len(text))
        return text[:i].encode() + bytes(rng.choice([[0xff], [0xc3], [0x00], [0xed, 0xa0, 0x80]])) + text[i:].encode()
    elif action == 4:
        i = rng.randrange(len(text))
        return text[:i] + rng.choice(["\x00", "\x07", "\x1b", "\x7f", "\u202e", "[", "]", "{", "=", '"', "'''"]) + text[i:]
    elif action == 5:
        return "\ufeff" + rng.choice(["[", "= 1", "x", "\x00"]) + text
    elif action == 6:
        depth = rng.choice([33, 200, 5000])
        lines.insert(rng.randrange(len(lines) + 1), "deep = " + "[" * depth + "]" * depth + "\n")
    else:
        i = rng.randrange(len(lines))
        lines[i] = lines[i].replace("=", rng.choice(["==", ":", "= =", ""]), 1)
    return "".join(lines)


def _csv_text(rows) -> str:
    return "".join(",".join(json.dumps(c) if ("," in c or '"' in c or "\n" in c) and c != '"' else c for c in row)
                   + "\n" for row in rows)


def _csv_mutant(rng) -> str | bytes:
    """A trial table broken in one or two places: odd cells, rows of the wrong length, a missing or
    repeated column, no rows, bytes that are not UTF-8, a repeated id."""
    header, rows = list(TRIAL_COLUMNS), [list(r) for r in TRIAL_ROWS]
    for _ in range(rng.randint(1, 2)):
        action = rng.randrange(6)
        if action < 3:
            row = rng.choice(rows) if rows else header
            row[rng.randrange(len(row))] = rng.choice(ODD_CELLS)
        elif action == 3:
            if rng.random() < 0.5:
                rows = []
            else:
                rows.append(list(rows[0]) if rows else [])
        elif action == 4:
            row = rng.choice(rows) if rows else header
            if rng.random() < 0.5:
                del row[rng.randrange(len(row))]
            else:
                row.append("extra")
        else:
            return _text_mutant(_csv_text([header] + rows), rng)
    return _csv_text([header] + rows)


def _write_input(path: Path, content) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def _rejected(load) -> bool:
    """True unless ``load()`` accepts the input (then the command would simulate it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScenarioWarning)
        try:
            load()
        except Exception:  # noqa: BLE001 - any failure: the command line must still give one line
            return True
    return False


def test_generated_malformed_inputs_of_every_subcommand_exit_2_with_one_line_and_write_nothing(tmp_path):
    """At least 1,000 generated malformed inputs over every subcommand that reads a file (run, compare,
    check, cite, sweep with its [sweep] table, validate --trials CSV, validate --scenarios): exit 2,
    one line on stderr, no traceback, nothing written. Inputs are valid files broken in their
    values (structure) or their text (characters, lines, bytes), kept only if the library refuses
    them, so that no case simulates; plus files that are not regular files."""
    import contextlib
    import io

    from remodel.sweep import sweep_from_scenario
    from remodel.trials import DEFAULT_TRIALS, load_targets, load_trial_scenarios

    rng = random.Random(16)
    scenario_bases = [BASE] + [p.read_text(encoding="utf-8")
                               for p in sorted((Path(__file__).parents[2] / "scenarios").glob("*.toml"))]
    work, out = tmp_path / "inputs", tmp_path / "outputs"
    work.mkdir()
    out.mkdir()
    trial_dir = work / "trials"
    trial_dir.mkdir()
    for name in ("CAL06", "CAL14"):
        (trial_dir / f"{name}.toml").write_text((DEFAULT_TRIALS / f"{name}.toml").read_text(encoding="utf-8"))
    valid_table = work / "valid.csv"
    valid_table.write_text(_csv_text([TRIAL_COLUMNS] + TRIAL_ROWS), encoding="utf-8")
    commands = {
        "run": lambda f: ["run", f, "-o", str(out / "r.nc")],
        "compare": lambda f: ["compare", f, "-o", str(out / "c.png"), "--table", str(out / "c.csv")],
        "check": lambda f: ["check", f],
        "cite": lambda f: ["cite", f],
        "sweep": lambda f: ["sweep", f, "-o", str(out / "s.nc"), "--quiet"],
        "validate --trials": lambda f: ["validate", "--trials", f, "--scenarios", str(trial_dir),
                                        "-o", str(out / "v.png"), "--table", str(out / "v.csv")],
        "validate --scenarios": lambda f: ["validate", "--trials", str(work / "one.csv"), "--scenarios",
                                           str(Path(f).parent), "-o", str(out / "v.png"), "--table", str(out / "v.csv")],
    }
    (work / "one.csv").write_text(_csv_text([TRIAL_COLUMNS, [*TRIAL_ROWS[0][:13], "", "", ""]]), encoding="utf-8")
    mutant_dir = work / "mutant"
    mutant_dir.mkdir()

    def generate(command):
        if command == "validate --trials":
            path = work / "mutant.csv"
            _write_input(path, _csv_mutant(rng))
            return path, lambda: load_trial_scenarios(load_targets(path), trial_dir)
        base = SWEEP_BASE if command == "sweep" else rng.choice(scenario_bases)
        if rng.random() < 0.5:
            doc = tomllib.loads(base)
            if command == "sweep" and rng.random() < 0.7:
                doc["sweep"] = _mutant({"sweep": doc["sweep"]}, rng).get("sweep", {})
            else:
                doc = _mutant(doc, rng)
            content = _to_toml(doc)
        else:
            content = _text_mutant(base, rng)
        path = mutant_dir / ("MY06.toml" if command == "validate --scenarios" else "mutant.toml")
        _write_input(path, content)
        load = {"sweep": lambda: sweep_from_scenario(path),
                "validate --scenarios": lambda: load_trial_scenarios(load_targets(work / "one.csv"), mutant_dir)}
        return path, load.get(command, lambda: load_scenario(path))

    fifo = work / "fifo"
    os.mkfifo(fifo)
    large = work / "large.toml"
    large.write_text(BASE + "#" * (1 << 20))
    not_files = [str(fifo), str(work), str(work / "missing.toml"), str(large), "/dev/null"]
    counts = {command: 0 for command in commands}
    for i in range(1400):
        command = list(commands)[i % len(commands)]
        if i < len(commands) * len(not_files):
            path = not_files[i // len(commands)]
            if command == "validate --scenarios":
                continue  # a directory argument, not a file
        else:
            path, load = generate(command)
            if not _rejected(load):
                continue
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                cli.main(commands[command](str(path)))
                code = 0
            except SystemExit as exc:
                code = exc.code
        err = stderr.getvalue()
        assert code == 2 and len(err.splitlines()) == 1 and err.startswith("remodel: error: "), (command, path, err)
        assert "Traceback" not in err and len(err) < 2000, err
        assert not any(out.iterdir()), (command, list(out.iterdir()))
        counts[command] += 1
    print(counts)
    assert sum(counts.values()) >= 1000 and min(counts.values()) >= 100, counts
