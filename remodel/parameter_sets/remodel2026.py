"""Remodel2026: the Pivonka 2008 cell model extended with the drivers of remodel.

Cell and signalling values are Pivonka2008's. Driver, bone and mechanics values come from the
literature where it gives them; the rest were fitted to the trial arms named in their source
(ids of ``remodel/data/calibration_trials.csv`` and ``extra_targets.csv``) by the fits of
``remodel.calibration.FITS``, each of which rewrites its block below. To reproduce them, run the
fits in their order, each from the values of the fits before it: the joint fit of the shared
physiology (``CALIBRATED``), then the blocks fitted alone, every other parameter fixed: ``MEN``,
``PTH_ANALOGUES``, ``ABALOPARATIDE``, ``ROMOSOZUMAB``::

    python -m remodel.calibration --fit joint --write      # about an hour on 2 cores
    for fit in men pth abaloparatide romosozumab; do python -m remodel.calibration --fit $fit --write; done

(or ``--fit all --write``); ``--check`` reports how far the shipped values are from each fit's
minimum. The shipped joint values are the best point of a joint fit stopped before it converged.
Last, when the osteoclasts' resorbing activity came to follow RANKL (``K_act_OC``, with the
osteocytes' RANKL ``OBp_ocy``), formation gained its modeling-based share (``f_modeling``) with a
saturating secondary mineralisation (``k_sec``), and tamoxifen its own efficacy at the osteoblast
(``eps_tamoxifen_OB``), each introduced by restricted fits on the joint fit's objective, all 39
joint values were refitted from the merged values for 15 evaluations (cost 270.6 -> 24.6), 15 more
with the behaviours of the hip's mineral share on denosumab, FLEX's course and the tamoxifen spine
(378.6 -> 24.6), then in two restricted fits of 8 values each (10 evaluations each) and all 39 again for 20 evaluations
(23.47 -> 21.32, still saving cost). After walking's spine strain, the whole-skeleton serum markers, the
bisphosphonate's recycling onto the resorbing surfaces (with alendronate's onset as two behaviours) and
the sites' order on anti-resorptives (two behaviours) were merged, all 39 for 20 evaluations
(23.785 -> 23.705), then, with ``theta_OM`` lowered to 0.38, a restricted fit of the 8 denosumab and
osteomorph values (15 evaluations, 23.061 in all); then the blocks
``PTH_ANALOGUES``, ``ABALOPARATIDE`` (12 evaluations each) and ``ROMOSOZUMAB`` (to its minimum) were
refitted by their fits (romosozumab's with its site ratios and the waning of its formation response as
hard constraints). ``MEN`` keeps the values of its scratch fit below: refitted by its fit on these
values (12 evaluations, cost 4.55 -> 3.77) it took the hip loss of androgen deprivation past the
contract's bound (-3.6 points at 48 weeks; Smith2001: -1.8 +- 0.4), while the shipped values keep
its rows within tolerance and the contract's men behaviours.
"""

from ..model.timing import DAYS_PER_YEAR
from ..parameters import Parameter as P
from .pivonka2008 import Pivonka2008

# Values written by `python -m remodel.calibration --fit joint --write` (do not edit by hand; re-run it).
CALIBRATED = {
    "K_E2": 25.8113,
    "n_E2": 1.18019,
    "eps_tamoxifen": 0.507729,
    "eps_tamoxifen_OB": 0.0965524,
    "gamma_age": 0.00398666,
    "kappa_form": 5.761,
    "rho_lumbar_spine": 0.000419395,
    "rho_total_hip": 0.000250797,
    "rho_femoral_neck": 0.000256049,
    "eta_PTH": 0.129422,
    "zeta_protein": 0.111797,
    "lambda_smoke_OB": 0.176411,
    "H_habitual": 541.897,
    "ell_max": 1.16806,
    "k_sec": 0.00810853,
    "f_modeling": 0.110139,
    "E_max_BP": 11.1447,
    "EC50_BP": 27.3134,
    "chi_den": 11.1192,
    "k_e0_den": 0.0199432,
    "B_max_den": 22.1748,
    "k_des_BP": 0.000517477,
    "k_bury_BP": 0.00160642,
    "k_phi": 0.0116216,
    "w_phi": 0.453056,
    "omega_OC": 0.291745,
    "K_act_OC": 0.121356,
    "OBp_ocy": 0.000772791,
    "f_OM": 0.836586,
    "k_fus_OM": 0.0145037,
    "A_OM": 0.00336799,
    "k_S": 0.000996025,
    "alpha_S": 0.619965,
    "lambda_mech_E": 0.254591,
    "k_r_BP": 0.0563311,
    "w_r_BP": 12.8632,
    "age_activity": 74.7467,
    "r_DXA_spine": 0.00527841,
    "age_DXA_spine": 64.6081,
}

# The blocks fitted alone after the joint fit, in this order, every other parameter fixed: the fits "men",
# "pth", "abaloparatide" and "romosozumab" of remodel.calibration.FITS, which declares their priors, rows and
# hard constraints; `python -m remodel.calibration --fit NAME --write` rewrites the fit's block (do not edit by
# hand). The shipped MEN values come from a scratch fit of the same cost as the fit "men" (with the
# Finkelstein2016 behaviours), started from K 9, n 5, gamma 0.02, lambda_A 0.25, delta 0.28: cost 5.23.
MEN = {
    "f_E2_testis": 0.408637,
    "K_E2_male": 10.5194,
    "n_E2_male": 4.80804,
    "lambda_A": 0.224973,
    "delta_E_male": 0.363847,
    "gamma_SHBG_male": 0.012368,
}
PTH_ANALOGUES = {
    "E_OB_PTH1R": 105.712,
    "E_arr_PTH1R": 1.2431,
    "chi_ptd": 3.21512,
    "f_open_femoral_neck": 0.545905,
}
ABALOPARATIDE = {
    "pi_abl": 0.219484,
    "f_open_total_hip": 0.618217,
}
ROMOSOZUMAB = {
    "E_OB_rmab": 0.784379,
    "E_OPG_rmab": 5.6344,
    "k_tol_rmab": 0.00385706,
    "K_b_rmab": 405.879,
    "nu_RANKL_Scl": 0.935428,
    "k_e0_rmab": 0.117577,
}

_CAL_E = "calibrated: CAL01, CAL02, CAL03, CAL06, CAL07"
_CAL_TAM = "calibrated: CAL08, CAL09, KENNY-CTX, KENNY-P1NP"
_CAL_EX = "calibrated: CAL17, CAL18, CAL19"
_MEN = " with the other men's parameters (MEN), every other parameter fixed (fit 'men')"

Remodel2026 = Pivonka2008.extended(
    "Remodel2026",
    "Pivonka2008",
    "Pivonka 2008 cells with estradiol, androgen, ageing, mechanostat, osteoclast precursor pool and mineralisation.",
    [
        # --- estradiol and testosterone (remodel.model.physiology.estradiol)
        P("E2_pre", 100.0, "pg/mL", "cycle-average serum estradiol of premenopausal women", "Randolph2011", (50.0, 200.0)),
        P("E2_post", 8.0, "pg/mL", "serum estradiol from peripheral aromatization at the final menstrual period", "Ettinger2004", (3.0, 20.0)),
        P("gamma_DHEA", 0.02, "1/year", "yearly fall of peripheral estradiol with its adrenal precursors (DHEA-S)", "Orentreich1984", (0.0, 0.05)),
        P("tau_FMP", 0.5, "year", "time scale of the logistic fall of ovarian estradiol around the final menstrual period: 88-12 % over -1 to +1 y, within 2 % of the postmenopausal level 2 y after (SWAN: estradiol falls from 2 y before the FMP, fastest at it, and is stable from 2 y after, Randolph2011)", "Randolph2011", (0.4, 1.0)),
        P("s_GnRH", 1.0, "1", "fraction of gonadal secretion suppressed by goserelin (ovarian estradiol to postmenopausal levels; in men testicular secretion to castrate levels)", "Jonat2002", (0.8, 1.0)),
        P("I_anastrozole", 0.973, "1", "whole-body aromatization inhibition by anastrozole 1 mg/day", "Geisler2002", (0.9, 1.0)),
        P("I_letrozole", 0.991, "1", "whole-body aromatization inhibition by letrozole 2.5 mg/day", "Geisler2002", (0.95, 1.0)),
        P("I_exemestane", 0.979, "1", "whole-body aromatization inhibition by exemestane 25 mg/day", "Geisler1998", (0.9, 1.0)),
        P("E2_ref_male", 25.0, "pg/mL", "serum estradiol of a man at testosterone T_ref", "Leder2004", (10.0, 40.0)),
        P("T_ref", 450.0, "ng/dL", "reference serum testosterone for E2_ref_male", "Leder2004", (300.0, 700.0)),
        P("T_young", 600.0, "ng/dL", "serum testosterone of men at the reference age (30 y)", "Harman2001", (400.0, 900.0)),
        P("f_E2_testis", MEN["f_E2_testis"], "1", "fraction of a man's serum estradiol secreted by the testes: follows the gonadotropin drive, not reached by aromatase inhibitors, removed by a GnRH agonist (bounds: 15 %, Longcope1969, about 0.2 from letrozole in men, TSjoen2005, to 0.47 from anastrozole, BurnettBowie2009)", "Leder2004; fitted alone to MEN-E2 and MEN-E2-BB" + _MEN, (0.1, 0.6)),
        P("g_fb", 0.69, "1", "rise of endogenous testosterone per unit aromatase inhibition in men not on therapy (343 to 572 ng/dL)", "Leder2004", (0.3, 1.2)),
        P("K_T", 300.0, "ng/dL", "testosterone giving half-maximal androgen receptor action on bone", "Finkelstein2016", (100.0, 600.0)),
        P("K_E2_male", MEN["K_E2_male"], "pg/mL", "men: serum estradiol of a 30-year-old man giving half-maximal estrogen receptor activity in bone (an older man needs more, gamma_SHBG_male; bounds around the 10-15 pg/mL thresholds of Finkelstein2016)", "BurnettBowie2009; Finkelstein2016; fitted alone to MEN-AI, CAL24, CAL25 and ADT-LS and the Finkelstein2016 behaviours" + _MEN, (5.0, 40.0)),
        P("n_E2_male", MEN["n_E2_male"], "1", "men: Hill exponent of estrogen receptor activity in bone on estradiol (a threshold, Finkelstein2016, is steep)", "BurnettBowie2009; fitted alone to MEN-AI, CAL24, CAL25 and ADT-LS and the Finkelstein2016 behaviours" + _MEN, (0.5, 6.0)),
        P("gamma_SHBG_male", MEN["gamma_SHBG_male"], "1/year", "men: yearly fall, after age 30, of the bioavailable (not SHBG-bound) fraction of serum estradiol, which the bone answers (SHBG rises with age; bounds: 0.5 %/year, SHBG +1.3 %/year in MMAS, Feldman2002, binding a third of a man's estradiol, to 2 %/year, bioavailable estradiol 38 % lower at 60 y and over than at 20-39 y, Khosla2005, and 47 % lower from 20 to 90 y with total estradiol unchanged, Khosla1998; bioavailable, not total, estradiol predicts older men's bone loss, Khosla2001)", "Khosla2001; fitted alone to MEN-AI, CAL24, CAL25 and ADT-LS and the Finkelstein2016 behaviours" + _MEN, (0.005, 0.02)),
        P("delta_E_male", MEN["delta_E_male"], "1", "men: estrogen deficiency of bone relative to women's at the same receptor occupancy, 1 - a_E -> delta (1 - a_E) (phenomenological: androgen deprivation costs men 3.3 % of spine in 48 weeks, Smith2001)", "Smith2001; fitted alone to ADT-LS and MEN-AI" + _MEN, (0.1, 1.0)),
        P("K_E2", CALIBRATED["K_E2"], "pg/mL", "women: estradiol giving half-maximal estrogen receptor activity in bone", _CAL_E, (2.0, 40.0)),
        P("n_E2", CALIBRATED["n_E2"], "1", "women: Hill exponent of estrogen receptor activity in bone on estradiol", "calibrated: CAL01, CAL06", (0.5, 4.0)),
        P("r_tamoxifen_E2", 2.4, "1", "rise of premenopausal ovarian estradiol on tamoxifen, as 1 + r at full receptor occupancy (3.1-3.7 fold at mid and late cycle)", "Cohen1999", (1.0, 4.0)),
        P("theta_tamoxifen", 50.0, "1", "estrogen receptor occupancy ratio of tamoxifen at 20 mg/day: saturating, so that the receptor activity on tamoxifen is its efficacy (fits to CAL08-09 drive it to saturation)", "Powles1996", (1.0, 500.0)),
        P("eps_tamoxifen", CALIBRATED["eps_tamoxifen"], "1", "intrinsic efficacy of tamoxifen at the bone estrogen receptor (partial agonist)", _CAL_TAM, (0.0, 1.0)),
        P("eps_tamoxifen_OB", CALIBRATED["eps_tamoxifen_OB"], "1", "intrinsic efficacy of tamoxifen at the estrogen receptor of the osteoblast's survival (lambda_OBa_E), below its efficacy on resorption (long-term tamoxifen: bone formation rate lower with mineral apposition rate and osteoid unchanged, Wright1994; formation markers -17 to -36 % in 10 weeks, as far as resorption markers, Kenny1995; a SERM's efficacy depends on the cell's coactivators, ShangBrown2002)", "calibrated: KENNY-CTX, KENNY-P1NP, CAL08, CAL09", (0.0, 1.0)),
        # --- effects of receptor activity on cells (remodel.model)
        P("lambda_RANKL_E", 2.0, "1", "rise of RANKL production at full estrogen deficiency, as 1 + lambda (2-3 fold in early postmenopausal women)", "EghbaliFatourechi2003", (0.0, 10.0)),
        P("lambda_OPG_E", 0.5, "1", "fall of OPG production at full estrogen deficiency, as 1/(1+lambda)", "Hofbauer1999", (0.0, 2.0)),
        P("lambda_OCa_E", 1.0, "1", "lengthening of osteoclast life at full estrogen deficiency (estrogen doubles osteoclast apoptosis)", "Hughes1996", (0.0, 3.0)),
        P("lambda_OBa_E", 0.5, "1", "rise of osteoblast apoptosis at full estrogen deficiency (sex steroids are anti-apoptotic for osteoblasts)", "Kousteni2001", (0.0, 2.0)),
        P("lambda_A", MEN["lambda_A"], "1", "reduction of osteoblast apoptosis at full androgen receptor activity, as 1/(1+lambda a_A) (acts in men only)", "BurnettBowie2009; fitted alone to CAL24, MEN-AI and ADT-LS" + _MEN, (0.0, 50.0)),
        P("age_involution", 50.0, "year", "age from which estrogen-independent involutional loss sets in", "RiggsMelton1986", (40.0, 70.0)),
        P("gamma_age", CALIBRATED["gamma_age"], "1/year", "exponential decline per year of age beyond age_involution of osteoblast progenitor supply and of the osteogenic response to overload", "calibrated: CAL03, CAL25, CAL26", (0.0, 0.05)),
        # --- osteoclast precursor pool (remodel.model.physiology.cells)
        P("k_phi", CALIBRATED["k_phi"], "1/day", "turnover rate of the osteoclast precursor pool", "calibrated: DMAB-OFF, CAL12", (0.001, 0.5)),
        P("w_phi", CALIBRATED["w_phi"], "1", "fraction of precursor turnover that is differentiation into osteoclasts: the pool can grow 1/(1-w) fold under RANKL blockade", "calibrated: DMAB-OFF, DMAB-CTX6, DMAB-CTX36", (0.05, 0.95)),
        P("omega_OC", CALIBRATED["omega_OC"], "1", "rise of osteoclast apoptosis when RANK occupancy falls to zero, as (1 + omega) fold (RANKL is a survival factor of mature osteoclasts: Fuller1998, Lacey2000; osteoclasts idled by denosumab still die)", "calibrated: DMAB-CTX1, DMAB-CTX6, DMAB-OFF", (0.0, 10.0)),
        P("K_act_OC", CALIBRATED["K_act_OC"], "1", "RANK occupancy, relative to the young-adult reference, at which osteoclasts resorb at about half their capacity (resorbing fraction a(u) = u^2 (1 + K^2)/(K^2 + u^2); RANKL activates mature osteoclasts, Fuller1998, Burgess1999; bounds: serum CTX about 85 % down 3 days after denosumab, Amgen2010, when occupancy in the model is a few percent of the reference, and resorption at least 90 % of capacity at the lowest occupancy without a RANKL antibody, 0.43 on romosozumab)", "calibrated: DMAB-CTX1, DMAB-CTX6 and the denosumab behaviour at 3 days (Amgen2010)", (0.02, 0.15)),
        P("OBp_ocy", CALIBRATED["OBp_ocy"], "pM", "RANKL expressed by osteocytes, in osteoblast-precursor equivalents (osteocytes are a major source of RANKL in remodelling bone: Nakashima2011, Xiong2011; bounds: a tenth to ten times the young-adult osteoblast precursors, about 1e-3 pM)", "calibrated: DMAB-CTX6, DMAB-CTX36, DMAB-OFF", (1e-4, 1e-2)),
        # --- osteomorphs (remodel.model.physiology.cells)
        P("theta_OM", 0.38, "1", "RANK occupancy, relative to the young-adult reference, below which cells collect in the osteomorph pool and above which they fuse into osteoclasts (bounds: above the occupancy just before each dose of denosumab, at most 0.25 in the model, and below the lowest it reaches without a RANKL antibody, between 0.38 and 0.40 on romosozumab in a hypogonadal man, so that without one the pool stays empty)", "McDonald2021; osteomorphs collect under RANKL blockade only: set at its upper bound, the lowest occupancy without a RANKL antibody (a restricted refit of the joint fit went to its bound, 0.447 with bounds 0.3-0.45)", (0.3, 0.38)),
        P("f_OM", CALIBRATED["f_OM"], "1", "flux of cells into the osteomorph pool under full RANKL blockade, relative to the young-adult osteoclast formation D_OCp phi pi_ref (bounds: osteomorphs accumulate under OPG:Fc in mice, McDonald2021, and osteoclast precursors on denosumab, Fontalis2020, neither as a flux; up to about twice the postmenopausal formation, 1.7 times the young adult's)", "calibrated: DMAB-OFF and the denosumab overshoot behaviours (McDonald2021)", (0.05, 3.5)),
        P("k_fus_OM", CALIBRATED["k_fus_OM"], "1/day", "fusion rate of osteomorphs into osteoclasts at a RANK occupancy of twice theta_OM (bounds: in mice, osteoclasts recycle again within 3 weeks of OPG:Fc withdrawal, McDonald2021, up to within a day)", "calibrated: DMAB-OFF and the denosumab overshoot behaviours (McDonald2021)", (0.001, 1.0)),
        P("A_OM", CALIBRATED["A_OM"], "1/day", "loss rate of osteomorphs (bounds: they persist through weeks of OPG:Fc in mice, McDonald2021, and the overshoot after stopping denosumab follows treatment of years, Bone2011; from a lifetime of 20 days to 5 years)", "calibrated: DMAB-OFF and the denosumab overshoot behaviours (McDonald2021)", (0.000548, 0.05)),
        # --- mechanostat (remodel.model.physiology.mechanics)
        P("n_V", 2.0, "1", "exponent of tissue strain on matrix volume (stiffness ~ density^2)", "CarterHayes1977", (1.0, 3.0)),
        P("w_lazy", 0.01, "1", "half-width of the mechanostat lazy zone relative to the set-point: narrow, since fits to the trial table drive it to zero (Frost1987 gives its existence, not its width in these units)", "Frost1987", (0.0, 0.5)),
        P("delta_lazy", 0.02, "1", "smoothing width of the lazy-zone edges (numerical; results insensitive below 0.05)", "Scheiner2013", (0.005, 0.1)),
        P("kappa_form", CALIBRATED["kappa_form"], "1", "relative rise of osteoblastogenesis (progenitor commitment) per unit of the Wnt drive w = 1/(s f_free) - 1 of the osteocytes' free sclerostin, which is kappa_load r+ under overload (Robling2008, Baron2013; at least a tenth of the calibrated value: without a mechanostat response the skeleton of the model collapses, which no population shows, Frost1987)", "calibrated: CAL04, CAL05, CAL26", (0.3, 30.0)),
        P("kappa_disuse", 1.0, "1", "rise of the osteocytes' sclerostin expression per unit of underload, as 1 + kappa r- (raising RANKL and lowering the Wnt drive of osteoblastogenesis): strict bed rest (r- about 0.99 at every site) raised serum sclerostin by 29 +- 20 % at 28 days, 42 +- 31 % at 60 and 22 +- 21 % at 90 (mean +- SD of seven men; 31 % the mean of the three), kappa f_weight_bearing r- in the model: 0.31/(0.35 0.99) = 0.9, rounded to the neutral 1; bounds: the lowest mean less its SD and the highest plus its SD, over f_weight_bearing 0.35", "Spatz2012; LeBlanc1990", (0.26, 2.1)),
        P("kappa_load", 1.0, "1", "fall of the osteocytes' sclerostin expression per unit of overload, as 1/(1 + kappa r+), lowering RANKL (mechanical strain suppresses RANKL in stromal cells, Rubin2000) and raising the Wnt drive (loading lowers Sost, Robling2008); as strong as the rise of kappa_disuse", "Rubin2000; Robling2008", (0.0, 10.0)),
        P("k_S", CALIBRATED["k_S"], "1/day", "rate at which the mechanostat set-point accommodates to a sustained rise of the tissue stimulus above the habitual, and returns towards the habitual while the stimulus stays above it (exercise gains level off within 1-2 years, Howe2011)", "calibrated: CAL17, CAL19, HOPE, SWAN-DECADE, SWAN-POST", (1.0 / 3652.5, 1.0 / 30.0)),
        P("k_S_restore", 1.0 / 30.0, "1/day", "rate at which the mechanostat set-point returns to the habitual once the tissue stimulus is below the habitual, as when a training programme stops (time off restores the mechanosensitivity that accommodation took: after weeks off in rats loaded for months, Saxon2005, here about a month; bounds: within 8 hours between bouts, Robling2001, to a year, within which the gains of a stopped programme are lost, Winters2000, Dalsky1988)", "Saxon2005; Robling2001", (1.0 / 365.25, 3.0)),
        P("alpha_S", CALIBRATED["alpha_S"], "1", "fraction of a sustained rise of the tissue stimulus above the habitual to which the mechanostat set-point accommodates (Turner1998 rule 3: cells accommodate to customary loading; none of a fall below it, Saxon2005)", "calibrated: CAL17, CAL19, HOPE", (0.01, 0.95)),
        P("lambda_mech_E", CALIBRATED["lambda_mech_E"], "1", "loss of the osteogenic response to overload at full estrogen deficiency, as 1 - lambda (the response to loading needs estrogen receptor alpha, Lee2003)", "calibrated: HOPE, SWAN-DECADE, SWAN-POST, CAL06, CAL07", (0.01, 0.99)),
        # --- mechanical loading dose (remodel.model.physiology.exercise)
        P("m_stimulus", 4.0, "1", "stress exponent of the daily stress stimulus (weights magnitude over cycle number)", "Beaupre1990", (2.0, 8.0)),
        P("s_sat", 3.0, "1/week", "sessions per week at which the weekly loading dose saturates (1 - 1/e of maximum): more than 2-3 sessions a week add no bone", "Shojaa2020", (1.0, 14.0)),
        P("N_sat", 36.0, "1", "loading cycles per session at which the response saturates (1 - 1/e of maximum)", "RubinLanyon1984", (10.0, 100.0)),
        P("ell_max", CALIBRATED["ell_max"], "1", "largest daily loading stimulus relative to habitual that any exercise reaches (the response to a day's loading saturates, as it does for cycles and sessions; the most intense trial programme, LIFTMOR, bounds it from below)", _CAL_EX, (1.02, 2.0)),
        P("H_habitual", CALIBRATED["H_habitual"], "1", "habitual daily stimulus, in saturated walking-strain cycles per day", _CAL_EX, (10.0, 10000.0)),
        P("eps_walking_spine", 0.6, "1", "effective peak strain of a walking step at the lumbar spine relative to the spine's habitual loading cycle (rising from a chair, bending forward: intradiscal pressure 1.1 MPa): walking 0.53-0.65 MPa, little above relaxed standing at 0.50, so 0.65/1.1 (walking programmes left spine BMD unchanged, MartynStJames2008; bounds: 0.53/1.1, and 1, walking as loading as the spine's habitual cycle)", "Wilke1999; MartynStJames2008", (0.48, 1.0)),
        P("eps_running_spine", 1.2, "1", "effective peak strain of running at the spine relative to the spine's habitual loading cycle (eps_walking_spine; ground reaction 2-3 x body weight)", "Kohrt1997", (1.0, 2.0)),
        P("eps_running_hip", 1.3, "1", "effective peak strain of running at the hip relative to walking (ground reaction 2-3 x body weight at moderate strain rate)", "Kohrt1997", (1.0, 2.5)),
        P("eps_impact_spine", 1.4, "1", "effective peak strain of high-impact jumping at the spine relative to the spine's habitual loading cycle (eps_walking_spine)", "Kohrt1997", (1.0, 2.5)),
        P("eps_impact_hip", 2.2, "1", "effective peak strain of high-impact jumping at the hip relative to walking (3-6 x body weight, high strain rate)", "Turner1998", (1.3, 3.5)),
        P("eps_resistance_spine", 2.0, "1", "effective peak strain at the spine of resistance training at 80% 1RM relative to the spine's habitual loading cycle (eps_walking_spine): joint-reaction loading of squat and deadlift (lifting 20 kg with a flexed back, 2.3 MPa intradiscal pressure, is 2.1 times rising from a chair or bending forward, Wilke1999)", "Kohrt1997", (1.2, 3.0)),
        P("eps_resistance_hip", 1.0, "1", "effective peak strain at the hip of resistance training at 80% 1RM: no more than walking, since joint-reaction loading raised spine but not hip BMD (fits to CAL19 drive it lower still)", "Kohrt1997", (0.5, 2.5)),
        P("age_activity", CALIBRATED["age_activity"], "year", "age beyond which habitual loading falls with physical activity, ever faster (accelerometry: activity stable through midlife, Varma2017, lower in each older decade, Evenson2012, the steep decline of the oldest old, Jefferis2015; bounds: 60, the end of the stable midlife, to 75)", "calibrated: CAL13, FLEX-TH (prior 70: Evenson2012, Jefferis2015)", (60.0, 75.0)),
        P("beta_activity", 0.0022, "1/year2", "yearly rise, beyond age_activity, of the relative rate at which the habitual loading stimulus falls: steps -7.1 %/year in men of mean age 78 (4806 steps a day, 341 fewer a year), -1.8 %/year of the stimulus through the stress exponent m_stimulus, over the 8 years from age_activity (bounds: 0, no decline, to 0.006, the peak forces falling as well, with leg strength -2.6 %/year at 70-79, Goodpaster2006)", "Jefferis2015", (0.0, 0.006)),
        # --- body weight (remodel.model.physiology.body)
        P("k_W_load", 1.0, "1", "exponent of the loading stimulus on body weight: stress in weight-bearing activity is proportional to the load (ground reaction forces are multiples of body weight); weight acts on BMD through load on weight-bearing sites (Felson1993)", "Felson1993", (0.5, 2.0)),
        P("beta_E2_BMI", 0.048, "m2/kg", "rise of log peripheral estradiol per kg/m2 of body mass index (adipose aromatization; 27 % per 5 kg/m2)", "McTiernan2006", (0.0, 0.12)),
        P("beta_E2_BMI_male", 0.06, "m2/kg", "men: rise of log estradiol per unit testosterone per kg/m2 of body mass index (adipose aromatization; x 3-4.4 in morbidly obese men, read as about 20 kg/m2 above lean controls)", "Kley1980; Schneider1979", (0.0, 0.12)),
        # --- nutrition and habits (remodel.model.physiology.nutrition)
        P("D_base", 20.0, "ng/mL", "serum 25(OH)D without vitamin D intake (sun exposure, diet)", "Heaney2003", (5.0, 40.0)),
        P("sigma_D", 0.8, "ng/mL", "rise of serum 25(OH)D per 100 IU/day of vitamin D", "Heaney2003", (0.5, 1.2)),
        P("K_D", 10.0, "ng/mL", "25(OH)D at half-maximal fractional calcium absorption (absorption rises about 65% from 8 to 34 ng/mL)", "Heaney2003", (3.0, 30.0)),
        P("K_Mg", 50.0, "mg/day", "magnesium intake at half-maximal vitamin D activation", "Uwitonze2018", (10.0, 200.0)),
        P("f_abs_max", 0.4, "1", "maximal fractional intestinal calcium absorption", "Heaney2003", (0.2, 0.7)),
        P("u_Na", 40.0 / 2300.0, "1", "urinary calcium loss per mg of sodium intake (40 mg calcium per 2300 mg sodium)", "Nordin1993", (0.005, 0.04)),
        P("eta_PTH", CALIBRATED["eta_PTH"], "1", "exponent of PTH production on calcium sufficiency (secondary hyperparathyroidism)", "calibrated: CAL20, CAL21", (0.05, 5.0)),
        P("K_P", 0.8, "g/kg/day", "protein intake at half-maximal anabolic (IGF-1) effect", "ShamsWhite2017", (0.3, 2.0)),
        P("zeta_protein", CALIBRATED["zeta_protein"], "1", "exponent of osteoblast progenitor supply on protein sufficiency", "calibrated: CAL22", (0.01, 5.0)),
        P("K_K2", 90.0, "ug/day", "vitamin K2 intake at half-maximal osteocalcin carboxylation (adequate intake of vitamin K)", "Knapen2013", (20.0, 300.0)),
        P("lambda_K2", 0.5, "1", "relative speed-up of secondary mineralisation at full vitamin K sufficiency (MK-7 180 ug/day: about 1 point less loss over 3 years)", "Knapen2013", (0.0, 2.0)),
        P("lambda_smoke_OB", CALIBRATED["lambda_smoke_OB"], "1", "reduction of the osteogenic response to overload per 20 cigarettes/day, as 1/(1+lambda) (toxicity of nicotine and cadmium to osteoblast precursors)", "calibrated: CAL23", (0.001, 2.0)),
        P("lambda_alcohol", 0.05, "1", "reduction of the osteogenic response to overload per drink/day above 2, as 1/(1+lambda) (heavy drinking raises hip fracture risk like heavy smoking)", "Kanis2005", (0.0, 0.5)),
        P("lambda_inflammation", 1.0, "1", "rise of RANKL production at active inflammatory disease (IL-6, TNF-alpha), as 1 + lambda", "Redlich2012", (0.0, 5.0)),
        P("lambda_inflammation_OB", 0.3, "1", "reduction of the osteogenic response to overload at active inflammatory disease, as 1/(1+lambda) (TNF-alpha inhibits osteoblast differentiation)", "Gilbert2000", (0.0, 2.0)),
        # --- bisphosphonates (remodel.model.agents.bisphosphonates)
        P("F_alendronate", 0.0064, "1", "oral bioavailability of alendronate", "Khan1997", (0.003, 0.01)),
        P("F_risedronate", 0.0063, "1", "oral bioavailability of risedronate", "Mitchell2000", (0.003, 0.01)),
        P("F_ibandronate", 0.006, "1", "oral bioavailability of ibandronate", "Barrett2004", (0.003, 0.01)),
        P("f_bone_BP", 0.55, "1", "fraction of absorbed bisphosphonate taken up by bone (38-41% excreted in 24 h)", "Chen2002", (0.3, 0.8)),
        P("potency_zoledronic_acid", 20.0, "1", "antiresorptive potency of bone-bound zoledronic acid relative to alendronate (in vivo rank order: zoledronate at least 10-fold alendronate)", "Russell2008", (5.0, 100.0)),
        P("potency_risedronate", 0.6, "1", "potency of risedronate relative to alendronate per mg absorbed: 35 mg weekly gains 0.67 of 70 mg weekly alendronate's total hip in 12 months (0.66 of the spine's; CTX -34 against -51 %) in a 64-year-old woman, as in the head-to-head trials: hip trochanter +2.1 against +3.4 % (Rosen2005, FACT), the differences growing at 24 months (Bonnick2006), urinary NTX -32 against -52 % at 3 months with risedronate 5 mg daily (Reid2006); set by simulating that ratio, not fitted (equal potency per weekly dose, 2.0, gave a ratio of 1.0)", "Rosen2005; Bonnick2006, Reid2006; bounds: a hip ratio of 0.55 (0.4) to equal weekly doses (2.0, Russell2008)", (0.4, 2.0)),
        P("potency_ibandronate", 2.2, "1", "potency of ibandronate relative to alendronate that makes 150 mg monthly equipotent with 70 mg weekly", "Russell2008", (1.0, 10.0)),
        P("k_r_BP", CALIBRATED["k_r_BP"], "1/day", "rate at which drug leaves the resorbing surfaces it first binds for the rest of the bone surface (bounds: the resorption phase of a remodelling site lasts weeks)", "calibrated: CAL10, CAL11, CAL14, CAL15, CAL16, ZOL-CTX, FLEX-LS, FLEX-TH, DEVO-5, DEVO-10", (1.0 / 120.0, 1.0 / 7.0)),
        P("w_r_BP", CALIBRATED["w_r_BP"], "1", "effect of a mg on the resorbing surfaces, where the osteoclasts meet it, relative to a mg on the rest of the surface (most of which no osteoclast reaches)", "calibrated: CAL10, CAL11, CAL14, CAL15, CAL16, ZOL-CTX, FLEX-LS, FLEX-TH", (1.0, 100.0)),
        P("E_max_BP", CALIBRATED["E_max_BP"], "1", "maximal rise of osteoclast apoptosis caused by bone-bound bisphosphonate", "calibrated: CAL14, CAL15, CAL16, ZOL-CTX", (0.1, 100.0)),
        P("EC50_BP", CALIBRATED["EC50_BP"], "mg", "surface-bound bisphosphonate (alendronate-equivalent) at half-maximal effect", "calibrated: CAL14, CAL15, CAL16, ZOL-CTX", (0.001, 100.0)),
        P("k_des_BP", CALIBRATED["k_des_BP"], "1/day", "desorption and excretion of surface-bound bisphosphonate (bounds: half-lives from the terminal plasma half-life of zoledronic acid, about 190 days, Chen2002, to the skeletal half-life of alendronate, about 10 years, Khan1997)", "calibrated: FLEX-LS, FLEX-TH, CAL14, CAL16", (0.693 / 3652.5, 0.693 / 30.0)),
        P("k_bury_BP", CALIBRATED["k_bury_BP"], "1/day", "burial of surface-bound drug by new bone at reference formation (bounds: new bone covers a remodelling surface within months to years, Khan1997)", "calibrated: FLEX-LS, FLEX-TH, CAL14, CAL16", (1.0 / 3652.5, 1.0 / 30.0)),
        P("k_exh_BP", 0.693 / (10.0 * 365.25), "1/day", "release of buried drug by resorption at reference turnover (skeletal half-life of alendronate about 10 years)", "Khan1997", (0.693 / (30 * 365.25), 0.693 / 365.25)),
        P("chi_BP", 0.5, "1", "fraction of drug released by resorption that re-adsorbs to bone", "Khan1997", (0.0, 0.9)),
        # --- denosumab (remodel.model.agents.denosumab)
        P("k_a_den", 0.17, "1/day", "subcutaneous absorption rate of denosumab", "MartinezReina2019", (0.05, 0.5)),
        P("F_den", 0.62, "1", "subcutaneous bioavailability of denosumab", "Sutjandra2011", (0.4, 0.9)),
        P("V_c_den", 77.9, "mL/kg", "central volume of distribution of denosumab", "Sutjandra2011", (40.0, 150.0)),
        P("V_max_den", 2672.0, "ng/kg/day", "maximal rate of target-mediated denosumab elimination", "Sutjandra2011", (1000.0, 6000.0)),
        P("K_m_den", 411.0, "ng/mL", "denosumab concentration at half-maximal target-mediated elimination", "Sutjandra2011", (100.0, 1500.0)),
        P("k_el_den", 0.0115, "1/day", "linear elimination rate of denosumab", "Sutjandra2011", (0.005, 0.03)),
        P("K_A_den", 0.333, "1/pM", "association constant of denosumab-RANKL binding", "MartinezReina2019", (0.05, 2.0)),
        P("chi_den", CALIBRATED["chi_den"], "1", "ratio of effective denosumab concentration in the bone microenvironment to serum", "calibrated: CAL12, CAL13, DMAB-CTX1, DMAB-CTX6, DMAB-CTX36", (0.01, 500.0)),
        P("k_e0_den", CALIBRATED["k_e0_den"], "1/day", "rate at which denosumab bound in the bone microenvironment, where it sequesters RANKL, is released as serum levels fall (an effect compartment, Sheiner1979): suppression outlasts the fall of serum levels at the end of a dosing interval", "calibrated: DMAB-CTX1, DMAB-CTX6, DMAB-CTX36, DMAB-OFF", (0.002, 1.0)),
        P("B_max_den", CALIBRATED["B_max_den"], "ng/mL", "capacity of the bone microenvironment for denosumab (the RANKL it can bind), as a serum-equivalent concentration", "calibrated: DMAB-CTX6, DMAB-CTX36, CAL12", (1.0, 10000.0)),
        # --- osteocytes (remodel.model.physiology.osteocytes): an output only
        P("Scl_ref", 22.3, "pmol/L", "serum sclerostin at habitual loading and no estrogen deficiency of sclerostin (d_Scl = 0)", "Kim2015; derived: 23.1 pmol/L in premenopausal controls divided by 1 + lambda_Scl_E d_Scl at the premenopausal woman's estradiol (101 pg/mL, d_Scl = 0.031)", (10.0, 50.0)),
        P("lambda_Scl_E", 1.10, "1", "rise of serum sclerostin at full estrogen deficiency of sclerostin, as 1 + lambda", "Kim2015; Modder2011; derived with K_Scl_E2: the postmenopausal woman's sclerostin 1.28 times the premenopausal woman's (the geometric mean of +20 %, Kim2015, and +37 %, Modder2011, taking its estradiol treatment to premenopausal estradiol) and anastrozole raising it 1.48-fold (the geometric mean of Kim2015's +40 and +56 % at 6 months), at the model's estradiol (101, 6.4 and 0.17 pg/mL) and mechanical factors (1.00, 0.97 and 0.96: the bone a postmenopausal woman has lost raises its strain, in the weight-bearing share f_weight_bearing of the skeleton)", (0.0, 3.0)),
        P("K_Scl_E2", 3.27, "pg/mL", "serum estradiol at which estrogen deficiency of sclerostin is half (d_Scl = K/(K + E2)): sclerostin answers the last pg/mL of estradiol (bounds: from the residual estradiol on an aromatase inhibitor, below 1 pg/mL, Geisler2002, to the postmenopausal level, 5-10 pg/mL, Ettinger2004, Mirza2010)", "Kim2015; Modder2011; derived with lambda_Scl_E (see there)", (0.5, 10.0)),
        P("f_weight_bearing", 0.35, "1", "share of the skeleton that the simulated sites stand for, the weight-bearing skeleton that bed rest unloads and training loads: of serum sclerostin, which grows with bone mineral content (Amrein2012), and of the bone turnover that serum CTX and P1NP measure (the skull, ribs and arms make the rest, following the systemic drivers but keeping their loading): 17 weeks of bed rest took 1.4 % of total-body BMD while the spine, femoral neck and trochanter lost 3.9, 3.6 and 4.6 % (1.4/4.0; each region's loss follows its turnover); bounds: 1.4 over the largest and the smallest of those losses", "LeBlanc1990; Amrein2012", (0.30, 0.39)),
        # --- teriparatide, abaloparatide and romosozumab: the values "fitted alone" are fitted to their own rows of
        # extra_targets.csv with every other parameter fixed (the blocks PTH_ANALOGUES, ABALOPARATIDE, ROMOSOZUMAB)
        # --- PTH analogues (remodel.model.agents.pth_analogues): teriparatide PK
        P("F_ptd", 0.95, "1", "subcutaneous bioavailability of teriparatide", "ForsteoSmPC", (0.8, 1.0)),
        P("k_a_ptd", 0.659 * 24, "1/day", "subcutaneous absorption rate of teriparatide (apparent half-life about 1 h after injection, absorption-limited, Satterwhite2010)", "OpenBoneMin", (8.0, 30.0)),
        P("k_el_ptd", 0.693147 / (5.0 / 1440.0), "1/day", "elimination rate of teriparatide from serum (half-life about 5 min after intravenous injection)", "ForteoLabel", (50.0, 500.0)),
        P("CL_ptd", 62.0 * 24, "L/day", "systemic clearance of teriparatide in women (94 L/h in men)", "ForteoLabel", (1000.0, 2500.0)),
        # abaloparatide PK: one compartment, the terminal half-life that of elimination; absorption from the time to peak
        P("F_abl", 0.36, "1", "subcutaneous bioavailability of abaloparatide", "TymlosLabel", (0.2, 0.6)),
        P("V_abl", 50.0, "L", "volume of distribution of abaloparatide", "TymlosLabel", (25.0, 100.0)),
        P("k_el_abl", 0.693147 / (1.7 / 24.0), "1/day", "elimination rate of abaloparatide (half-life 1.7 h)", "TymlosLabel", (5.0, 20.0)),
        P("k_a_abl", 132.35, "1/day", "subcutaneous absorption rate of abaloparatide", "TymlosLabel; derived: peak at the median 0.51 h with the 1.7 h half-life", (50.0, 300.0)),
        P("pi_abl", ABALOPARATIDE["pi_abl"], "1", "potency of abaloparatide at PTH1R relative to teriparatide, per pM, on both paths", "Miller2016; fitted alone to ABL-LS and ABL-TH with the other ABALOPARATIDE value, every other parameter fixed (fit 'abaloparatide')", (0.01, 10.0)),
        # PTH1R on osteoblasts: desensitisation, the survival programme and the two paths
        P("k_rec_PTH1R", 4.0, "1/day", "recovery rate of desensitised PTH1R (half-time about 4 h: the receptors recover between daily injections)", "Frolik2003; assumed: a daily dose stays anabolic, the same dose spread over 6-8 h does not", (1.0, 24.0)),
        P("k_des_PTH1R", 2.0, "1/(pM day)", "desensitisation rate of PTH1R per pM of ligand (half-time about 12 min at the 40 pM peak of teriparatide; a continuous infusion keeps the responsive signal below k_rec/k_des = 2 pM)", "Frolik2003; Datta2010; assumed: desensitisation within minutes at the peak, as for GPCRs", (0.2, 20.0)),
        P("K_a_PTH1R", 8.0, "pM", "threshold of the responsive-receptor signal for the osteoblast survival programme (between the mean, 3 pM, and the peak, 40 pM, of daily teriparatide)", "Frolik2003; derived: time above a threshold, not dose, decides", (3.0, 30.0)),
        P("n_PTH1R", 4.0, "1", "steepness (Hill coefficient) of that threshold", "Frolik2003; assumed", (1.0, 8.0)),
        P("k_B_PTH1R", 0.693147 / 0.25, "1/day", "rate of the osteoblast survival programme (half-time 6 h: it outlasts the hour-long signal of a pulse through the day)", "Jilka1999; Bellido2003; assumed", (1.0, 48.0)),
        P("E_OB_PTH1R", PTH_ANALOGUES["E_OB_PTH1R"], "1", "reduction of osteoblast apoptosis by the full survival programme, as 1/(1 + f_open E) at a site with a fraction f_open of its osteoblasts on open surfaces (1/(1 + E) at the spine)", "Neer2001; fitted alone to TPTD-LS, TPTD-FN, TPTD-NTX6 and TPTD-INF-P1NP with the other PTH_ANALOGUES, every other parameter fixed (fit 'pth')", (0.1, 1000.0)),
        P("E_arr_PTH1R", PTH_ANALOGUES["E_arr_PTH1R"], "1", "rise of osteoblast apoptosis with every receptor desensitised (sustained signalling arrests osteoblast maturation), as 1 + E", "Horwitz2011; fitted alone to TPTD-LS, TPTD-FN, TPTD-NTX6 and TPTD-INF-P1NP with the other PTH_ANALOGUES, every other parameter fixed (fit 'pth')", (0.0, 100.0)),
        P("k_e0_ptd", 3.0 / 182.625, "1/day", "equilibration rate of the slow (catabolic) effect compartment of the PTH analogues", "McClung2005; derived: 95 % of the steady effect by month 6, when the turnover markers peak", (0.005, 0.1)),
        P("chi_ptd", PTH_ANALOGUES["chi_ptd"], "1", "ratio of the PTH the catabolic path sees (RANKL up, OPG down) to the effect-compartment ligand", "McClung2005; fitted alone to TPTD-LS, TPTD-FN, TPTD-NTX6 and TPTD-INF-P1NP with the other PTH_ANALOGUES, every other parameter fixed (fit 'pth')", (0.01, 100.0)),
        # --- romosozumab (remodel.model.agents.romosozumab); PK of Eudy2015 as coded in OpenBoneMin (per hour made per day)
        P("k_a_rmab", 0.187, "1/day", "subcutaneous absorption rate of romosozumab", "Eudy2015", (0.05, 0.5)),
        P("F_rmab", 0.904, "1", "subcutaneous bioavailability of romosozumab", "Eudy2015", (0.5, 1.0)),
        P("V_c_rmab", 2.9, "L", "central volume of distribution of romosozumab", "Eudy2015", (1.5, 6.0)),
        P("V_p_rmab", 3.29, "L", "peripheral volume of distribution of romosozumab", "Eudy2015", (1.5, 6.0)),
        P("CL_rmab", 0.254, "L/day", "linear clearance of romosozumab", "Eudy2015", (0.1, 0.5)),
        P("Q_rmab", 0.467, "L/day", "intercompartmental clearance of romosozumab", "Eudy2015", (0.2, 1.0)),
        P("V_max_rmab", 5.87, "nM/day", "maximal rate of target-mediated romosozumab elimination", "Eudy2015", (2.0, 12.0)),
        P("K_m_rmab", 0.453, "nM", "romosozumab concentration at half-maximal target-mediated elimination, taken as the concentration binding half the sclerostin", "Eudy2015", (0.1, 2.0)),
        P("K_b_rmab", ROMOSOZUMAB["K_b_rmab"], "nM", "serum romosozumab concentration binding half the sclerostin of the bone fluid (at or above K_m_rmab, the binding scale of the target-mediated elimination, since the bone fluid sees a fraction of the serum antibody (Eudy2015: serum peaks about 135 nM after 210 mg, troughs about 30 nM); up to ten times the peak)", "Cosman2016; fitted alone to ROMO-LS, ROMO-TH, ROMO-P1NP12, ROMO-CTX12 and ROMO-LS24 with the other ROMOSOZUMAB values, every other parameter fixed (fit 'romosozumab')", (0.453, 1500.0)),
        P("k_e0_rmab", ROMOSOZUMAB["k_e0_rmab"], "1/day", "rate at which the bone fluid's romosozumab follows the serum (effect compartment, Sheiner1979; bounds: half-times from a day to two months)", "Cosman2016; fitted alone to ROMO-LS, ROMO-TH, ROMO-P1NP12, ROMO-CTX12 and ROMO-LS24 with the other ROMOSOZUMAB values, every other parameter fixed (fit 'romosozumab')", (0.0115, 0.7)),
        P("nu_RANKL_Scl", ROMOSOZUMAB["nu_RANKL_Scl"], "1", "order of the osteocytes' RANKL production in their free sclerostin, as s f_free^nu (sclerostin raises osteocytic RANKL and its antibody lowers it, Wijenayaka2011; 0: no effect, 1: proportional)", "Wijenayaka2011; fitted alone to ROMO-LS, ROMO-TH, ROMO-P1NP12, ROMO-CTX12 and ROMO-LS24 with the other ROMOSOZUMAB values, every other parameter fixed (fit 'romosozumab')", (0.0, 1.0)),
        P("E_OB_rmab", ROMOSOZUMAB["E_OB_rmab"], "1", "reduction of osteoblast apoptosis with all sclerostin bound, before tolerance, as 1/(1 + f_open E) at a site with a fraction f_open of its osteoblasts on open surfaces (1/(1 + E) at the spine)", "Cosman2016; fitted alone to ROMO-LS, ROMO-TH, ROMO-P1NP12, ROMO-CTX12 and ROMO-LS24 with the other ROMOSOZUMAB values, every other parameter fixed (fit 'romosozumab')", (0.01, 100.0)),
        P("E_OPG_rmab", ROMOSOZUMAB["E_OPG_rmab"], "1", "rise of OPG production with all sclerostin bound (Wnt/beta-catenin raises OPG, Glass2005)", "Cosman2016; fitted alone to ROMO-LS, ROMO-TH, ROMO-P1NP12, ROMO-CTX12 and ROMO-LS24 with the other ROMOSOZUMAB values, every other parameter fixed (fit 'romosozumab')", (0.001, 10.0)),
        P("k_tol_rmab", ROMOSOZUMAB["k_tol_rmab"], "1/day", "rate at which tolerance to sclerostin inhibition builds (half-time about 2.0 years; the tolerance compartment of Eudy2015 is faster, 0.0019/h, on a different effect model)", "Cosman2016; fitted alone to ROMO-LS, ROMO-TH, ROMO-P1NP12, ROMO-CTX12 and ROMO-LS24 with the other ROMOSOZUMAB values, every other parameter fixed (fit 'romosozumab')", (0.0002, 0.2)),
        # --- individual traits (remodel.cohort): neutral for the mean person
        P("adherence", 1.0, "1", "fraction of prescribed exercise sessions and oral bisphosphonate doses actually taken", "Siris2006", (0.0, 1.0)),
        P("baseline_z_offset", 0.0, "1", "individual deviation of baseline BMD from the population mean, in young-adult SDs (all sites)", "Looker1998", (-4.0, 4.0)),
        # --- bone and mineral (remodel.model.physiology.bone)
        # Where an anabolic drug's longer osteoblast life adds bone (remodel.model.physiology.site)
        P("f_open_lumbar_spine", 1.0, "1", "fraction of the site's osteoblasts on open surfaces (cancellous, endocortical, periosteal), where a longer working life overfills the remodelling site and adds bone; the rest refill intracortical osteons, which close at their canal however long the osteoblasts live. The spine is the reference: vertebral bodies are cancellous bone in a thin shell", "Dempster2001; assumed: all of the lumbar spine's remodelling on open surfaces (cancellous bone volume and wall thickness rise on PTH, Arlot2005)", (0.8, 1.0)),
        P("f_open_total_hip", ABALOPARATIDE["f_open_total_hip"], "1", "fraction of the total hip's osteoblasts on open surfaces (see f_open_lumbar_spine): the hip is mostly cortical bone, whose intracortical remodelling PTH raises into porosity, not bone (Burr2001, Hansen2013)", "Hansen2013; fitted alone to ABL-LS and ABL-TH with the other ABALOPARATIDE value, every other parameter fixed (fit 'abaloparatide'); between a fifth (the cortical share of the proximal femur at most four fifths) and all", (0.2, 1.0)),
        P("f_open_femoral_neck", PTH_ANALOGUES["f_open_femoral_neck"], "1", "fraction of the femoral neck's osteoblasts on open surfaces (see f_open_lumbar_spine): the neck is the most cortical of the three sites", "Hansen2013; fitted alone to TPTD-LS, TPTD-FN, TPTD-NTX6 and TPTD-INF-P1NP with the other PTH_ANALOGUES, every other parameter fixed (fit 'pth'); between a fifth and all", (0.2, 1.0)),
        P("rho_lumbar_spine", CALIBRATED["rho_lumbar_spine"], "1/day", "turnover of the lumbar spine (fraction of bone volume remodelled per day)", "calibrated: CAL01, CAL04, CAL06", (0.03 / DAYS_PER_YEAR, 0.4 / DAYS_PER_YEAR)),
        P("rho_total_hip", CALIBRATED["rho_total_hip"], "1/day", "turnover of the total hip", "calibrated: CAL05, CAL07 and the anti-resorptives' site order (remodel.behaviours.antiresorptive_site_order)", (0.02 / DAYS_PER_YEAR, 0.3 / DAYS_PER_YEAR)),
        P("rho_femoral_neck", CALIBRATED["rho_femoral_neck"], "1/day", "turnover of the femoral neck: an anti-resorptive's gain at a site (the remodelling space refilled, secondary mineral, modeling-based formation unmasked) scales with its turnover, and every trial gains less at the neck than at the total hip (Cummings2009; Black2007: 5.06 against 6.02 points at 3 years), the neck being the more cortical of the two (f_open_femoral_neck below f_open_total_hip: the total hip adds the trochanter's cancellous bone); its loss rows and the exercise plateau hold it at the site order's bound, about the total hip's", "calibrated: CAL02, CAL25, CAL26 and the anti-resorptives' site order (remodel.behaviours.antiresorptive_site_order)", (0.02 / DAYS_PER_YEAR, 0.3 / DAYS_PER_YEAR)),
        P("tau_lag", 17.0, "day", "mean time from osteoid deposition to primary mineralisation (12 d lag + 10 d primary phase)", "MartinezReina2019", (10.0, 30.0)),
        P("c_primary", 0.65, "1", "mineral content after primary mineralisation, fraction of maximum (60-70% within days to weeks; MartinezReina2019 use 0.121/0.442 of mineral volume)", "Boivin2002", (0.2, 0.8)),
        P("r_DXA_spine", CALIBRATED["r_DXA_spine"], "1/year", "apparent areal BMD that degenerative changes (osteophytes, end-plate and facet sclerosis, aortic calcification) add to the anteroposterior DXA of the lumbar spine per year of age past age_DXA_spine, as a fraction of the young-adult mean (Tenne2013: spine BMD rose from 75 to 85 years where they appeared; bounds: none, to three times the 14 % that osteophytes add at most, Rand1997, gathered over 20 years)", "calibrated: CAL04, CAL06, CAL08, SWAN-POST, ATAC-TAM-OFF-LS, IBIS2-OFF-LS, DMAB-LS8", (0.0, 0.02)),
        P("age_DXA_spine", CALIBRATED["age_DXA_spine"], "year", "age from which degenerative changes add apparent mineral to the lumbar spine's DXA (bounds: their prevalence rises from 35 % at 55 to 80 % at 70 years, Rand1997; in women followed from 75 to 85 years spine BMD rose with them, Tenne2013)", "calibrated: CAL04, SWAN-POST, DMAB-OFF, IBIS2-OFF-LS", (50.0, 70.0)),
        P("k_sec", CALIBRATED["k_sec"], "1/day", "rate of secondary mineralisation towards maximum mineral content: its fast phase (MartinezReina2019 use 0.007/day); the slow phase over years is left out, since the mineral that suppressed turnover adds saturates (the mineralisation density distribution after 10 years of alendronate was that after 5 years on it and 5 off, Roschger2010)", "calibrated: CAL12, CAL13, CAL14, CAL15, CAL16, DMAB-LS8, FLEX-LS, FLEX-TH", (0.0001, 0.01)),
        P("f_modeling", CALIBRATED["f_modeling"], "1", "share of the young-adult formation that is modeling-based, the same at every site: bone laid on quiescent surfaces without prior resorption, not coupled to it and unchanged by an anti-resorptive, which unmasks it (Ominsky2015, Dempster2020; bounds: judgement, from half a percent to three tenths, since both give its presence on every envelope of the femoral neck, not its share)", "calibrated: CAL12, CAL13, DMAB-LS8, FLEX-LS, FLEX-TH", (0.005, 0.3)),
    ],
)
