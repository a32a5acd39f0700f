"""Remodel2026: the Pivonka 2008 cell model extended with the drivers of remodel.

Cell and signalling values are Pivonka2008's. Driver, bone and mechanics values come from the
literature where it gives them; the rest were fitted to the calibration trial arms named in their
source by ``benchmarks``-independent script ``scripts/calibrate.py`` (see its docstring).
"""

from ..parameters import Parameter as P
from .pivonka2008 import Pivonka2008

DAYS_PER_YEAR = 365.25

# Values written by scripts/calibrate.py (do not edit by hand; re-run the script).
CALIBRATED = {
    "K_E2": 25.4013,
    "theta_tamoxifen": 6.49557,
    "eps_tamoxifen": 0.360029,
    "lambda_A": 4.22989,
    "gamma_age": 0.000340039,
    "w_lazy": 0.1,
    "kappa_form": 0.0488149,
    "rho_lumbar_spine": 0.000429331,
    "rho_total_hip": 0.000368408,
    "rho_femoral_neck": 0.000339887,
}

_CAL_E = "calibrated: CAL01, CAL02, CAL03, CAL06, CAL07"
_CAL_TAM = "calibrated: CAL08, CAL09"

Remodel2026 = Pivonka2008.extended(
    "Remodel2026",
    "Pivonka2008",
    "Pivonka 2008 cells with estradiol, androgen, ageing, mechanostat, osteoclast precursor pool and mineralisation.",
    [
        # --- estradiol and testosterone (remodel.blocks.estradiol)
        P("E2_pre", 100.0, "pg/mL", "cycle-average serum estradiol of premenopausal women", "Randolph2011", (50.0, 200.0)),
        P("E2_post", 8.0, "pg/mL", "serum estradiol from peripheral aromatization after menopause", "Ettinger2004", (3.0, 20.0)),
        P("tau_FMP", 0.9, "year", "time scale of the logistic fall of ovarian estradiol around the final menstrual period (10-90% over -2 to +2 y)", "Randolph2011", (0.5, 1.5)),
        P("s_GnRH", 1.0, "1", "fraction of ovarian estradiol suppressed by goserelin (postmenopausal levels)", "Jonat2002", (0.8, 1.0)),
        P("I_anastrozole", 0.973, "1", "whole-body aromatization inhibition by anastrozole 1 mg/day", "Geisler2002", (0.9, 1.0)),
        P("I_letrozole", 0.991, "1", "whole-body aromatization inhibition by letrozole 2.5 mg/day", "Geisler2002", (0.95, 1.0)),
        P("I_exemestane", 0.979, "1", "whole-body aromatization inhibition by exemestane 25 mg/day", "Geisler1998", (0.9, 1.0)),
        P("E2_ref_male", 25.0, "pg/mL", "serum estradiol of a man at testosterone T_ref", "Leder2004", (10.0, 40.0)),
        P("T_ref", 450.0, "ng/dL", "reference serum testosterone for E2_ref_male", "Leder2004", (300.0, 700.0)),
        P("T_young", 600.0, "ng/dL", "serum testosterone of men at the reference age (30 y)", "Harman2001", (400.0, 900.0)),
        P("f_E2_direct", 0.6, "1", "fraction of measured male estradiol not removed by aromatase inhibition (testicular secretion plus immunoassay floor); gives the -35% of Leder2004", "calibrated: Leder2004 estradiol 26 to 17 pg/mL", (0.15, 0.8)),
        P("g_fb", 0.69, "1", "rise of endogenous testosterone per unit aromatase inhibition in men not on therapy (343 to 572 ng/dL)", "Leder2004", (0.3, 1.2)),
        P("K_T", 300.0, "ng/dL", "testosterone giving half-maximal androgen receptor action on bone", "Finkelstein2016", (100.0, 600.0)),
        P("K_E2", CALIBRATED["K_E2"], "pg/mL", "estradiol giving half-maximal estrogen receptor activity in bone", _CAL_E, (2.0, 40.0)),
        P("theta_tamoxifen", CALIBRATED["theta_tamoxifen"], "1", "estrogen receptor occupancy ratio of tamoxifen at 20 mg/day", _CAL_TAM, (1.0, 200.0)),
        P("eps_tamoxifen", CALIBRATED["eps_tamoxifen"], "1", "intrinsic efficacy of tamoxifen at the bone estrogen receptor (partial agonist)", _CAL_TAM, (0.0, 1.0)),
        # --- effects of receptor activity on cells (remodel.model)
        P("lambda_RANKL_E", 2.0, "1", "rise of RANKL production at full estrogen deficiency, as 1 + lambda (2-3 fold in early postmenopausal women)", "EghbaliFatourechi2003", (0.0, 10.0)),
        P("lambda_OPG_E", 0.5, "1", "fall of OPG production at full estrogen deficiency, as 1/(1+lambda)", "Hofbauer1999", (0.0, 2.0)),
        P("lambda_OCa_E", 1.0, "1", "lengthening of osteoclast life at full estrogen deficiency (estrogen doubles apoptosis)", "Hughes1996", (0.0, 3.0)),
        P("lambda_OBa_E", 0.5, "1", "rise of osteoblast apoptosis at full estrogen deficiency", "Kousteni2001", (0.0, 2.0)),
        P("lambda_A", CALIBRATED["lambda_A"], "1", "reduction of osteoblast apoptosis at full androgen receptor activity, as 1/(1+lambda a_A)", "calibrated: CAL24", (0.0, 5.0)),
        P("gamma_age", CALIBRATED["gamma_age"], "1/year", "exponential decline with age after 30 of osteoblast progenitor supply and of the osteogenic response to overload", "calibrated: CAL25, CAL26, CAL04, CAL05", (0.0, 0.05)),
        # --- osteoclast precursor pool (remodel.blocks.cells)
        P("k_phi", 0.05, "1/day", "turnover rate of the osteoclast precursor pool", "MartinezReina2019", (0.005, 0.5)),
        P("w_phi", 0.5, "1", "fraction of precursor turnover that is differentiation into osteoclasts", "MartinezReina2019", (0.0, 0.95)),
        # --- mechanostat (remodel.blocks.mechanics)
        P("n_V", 2.0, "1", "exponent of tissue strain on matrix volume (stiffness ~ density^2)", "CarterHayes1977", (1.0, 3.0)),
        P("w_lazy", CALIBRATED["w_lazy"], "1", "half-width of the mechanostat lazy zone relative to the set-point (Frost1987 gives its existence, not its width in these units)", "calibrated: CAL04, CAL05, CAL26, NH01, NH02", (0.001, 0.5)),
        P("delta_lazy", 0.02, "1", "smoothing width of the lazy-zone edges (numerical; results insensitive below 0.05)", "Scheiner2013", (0.005, 0.1)),
        P("kappa_form", CALIBRATED["kappa_form"], "1/day", "osteoblast precursor proliferation per unit of overload", "calibrated: CAL04, CAL05, CAL26", (0.0, 1.0)),
        P("kappa_disuse", 1.0, "1", "rise of RANKL expression per unit of underload", "Scheiner2013", (0.0, 10.0)),
        # --- bone and mineral (remodel.blocks.bone)
        P("rho_lumbar_spine", CALIBRATED["rho_lumbar_spine"], "1/day", "turnover of the lumbar spine (fraction of bone volume remodelled per day)", "calibrated: CAL01, CAL04, CAL06", (0.03 / DAYS_PER_YEAR, 0.4 / DAYS_PER_YEAR)),
        P("rho_total_hip", CALIBRATED["rho_total_hip"], "1/day", "turnover of the total hip", "calibrated: CAL05, CAL07", (0.02 / DAYS_PER_YEAR, 0.3 / DAYS_PER_YEAR)),
        P("rho_femoral_neck", CALIBRATED["rho_femoral_neck"], "1/day", "turnover of the femoral neck", "calibrated: CAL02, CAL25, CAL26", (0.02 / DAYS_PER_YEAR, 0.3 / DAYS_PER_YEAR)),
        P("tau_lag", 17.0, "day", "mean time from osteoid deposition to primary mineralisation (12 d lag + 10 d primary phase)", "MartinezReina2019", (10.0, 30.0)),
        P("c_primary", 0.274, "1", "mineral content after primary mineralisation, fraction of maximum (0.121/0.442)", "MartinezReina2019", (0.2, 0.7)),
        P("k_sec", 0.007, "1/day", "rate of secondary mineralisation towards maximum mineral content", "MartinezReina2019", (0.001, 0.02)),
    ],
)
