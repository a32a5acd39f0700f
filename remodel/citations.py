"""Bibliography of every source remodel relies on, and the list a run used.

Blocks, parameter sets and drugs name citation keys; :func:`references` turns the keys a run
collected into formatted references (stored in a result's ``references`` attribute).
"""

from __future__ import annotations

from typing import Iterable, Mapping

BIBLIOGRAPHY: dict[str, str] = {
    "Cassidenti1992": "Cassidenti DL, Pike MC, Vijod AG, Stanczyk FZ, Lobo RA. A reevaluation of estrogen status in postmenopausal women who smoke. Am J Obstet Gynecol 1992;166:1444-1448.",
    "Brand2011": "Brand JS, et al. Cigarette smoking and endogenous sex hormones in postmenopausal women. J Clin Endocrinol Metab 2011;96:3184-3192.",
    "Devogelaer1996": "Devogelaer JP, et al. Oral alendronate induces progressive increases in bone mass of the spine, hip, and total body over 3 years in postmenopausal women with osteoporosis. Bone 1996;18:141-150.",
    "Kostenuik2009": "Kostenuik PJ, et al. Denosumab, a fully human monoclonal antibody to RANKL, inhibits bone resorption and increases BMD in knock-in mice that express chimeric (murine/human) RANKL. J Bone Miner Res 2009;24:182-195.",
    "Sheiner1979": "Sheiner LB, Stanski DR, Vozeh S, Miller RD, Ham J. Simultaneous modeling of pharmacokinetics and pharmacodynamics: application to d-tubocurarine. Clin Pharmacol Ther 1979;25:358-371.",
    "Lemaire2004": "Lemaire V, Tobin FL, Greller LD, Cho CR, Suva LJ. Modeling the interactions between osteoblast and osteoclast activities in bone remodeling. J Theor Biol 2004;229:293-309.",
    "BioModels278": "BioModels BIOMD0000000278: curated SBML of Lemaire 2004 (CC0). https://www.ebi.ac.uk/biomodels/BIOMD0000000278",
    "Pivonka2008": "Pivonka P, Zimak J, Smith DW, Gardiner BS, Dunstan CR, Sims NA, Martin TJ, Mundy GR. Model structure and control of bone remodeling: a theoretical study. Bone 2008;43:249-263.",
    "BoneModels2024": "bone-models: Python implementations of bone cell population models (PyPI package bone-models 0.1.0), reference code for Pivonka 2008 and Martinez-Reina 2019.",
    "Scheiner2013": "Scheiner S, Pivonka P, Hellmich C. Coupling systems biology with multiscale mechanics, for computer simulations of bone remodeling. Comput Methods Appl Mech Eng 2013;254:181-196.",
    "MartinezReina2019": "Martinez-Reina J, Pivonka P. Effects of long-term treatment of denosumab on bone mineral density: insights from an in-silico model of bone mineralization. Bone 2019;125:87-95.",
    "PetersonRiggs2010": "Peterson MC, Riggs MM. A physiologically based mathematical model of integrated calcium homeostasis and bone remodeling. Bone 2010;46:49-63.",
    "Randolph2011": "Randolph JF Jr, Zheng H, Sowers MR, et al. Change in follicle-stimulating hormone and estradiol across the menopausal transition: effect of age at the final menstrual period. J Clin Endocrinol Metab 2011;96:746-754.",
    "Geisler2002": "Geisler J, Haynes B, Anker G, Dowsett M, Lonning PE. Influence of letrozole and anastrozole on total body aromatization and plasma estrogen levels in postmenopausal breast cancer patients evaluated in a randomized, cross-over study. J Clin Oncol 2002;20:751-757.",
    "Geisler1998": "Geisler J, King N, Anker G, et al. In vivo inhibition of aromatization by exemestane, a novel irreversible aromatase inhibitor, in postmenopausal breast cancer patients. Clin Cancer Res 1998;4:2089-2093.",
    "Leder2004": "Leder BZ, Rohrer JL, Rubin SD, Gallo J, Longcope C. Effects of aromatase inhibition in elderly men with low or borderline-low serum testosterone levels. J Clin Endocrinol Metab 2004;89:1174-1180.",
    "BurnettBowie2009": "Burnett-Bowie SA, McKay EA, Lee H, Leder BZ. Effects of aromatase inhibition on bone mineral density and bone turnover in older men with low testosterone levels. J Clin Endocrinol Metab 2009;94:4785-4792.",
    "Finkelstein2016": "Finkelstein JS, Lee H, Leder BZ, et al. Gonadal steroid-dependent effects on bone turnover and bone mineral density in men. J Clin Invest 2016;126:1114-1125.",
    "Longcope1969": "Longcope C, Kato T, Horton R. Conversion of blood androgens to estrogens in normal adult men and women. J Clin Invest 1969;48:2191-2201.",
    "Ettinger2004": "Ettinger B, Ensrud KE, Wallace R, et al. Effects of ultralow-dose transdermal estradiol on bone mineral density: a randomized clinical trial. Obstet Gynecol 2004;104:443-451.",
    "Powles1996": "Powles TJ, Hickish T, Kanis JA, Tidy A, Ashley S. Effect of tamoxifen on bone mineral density measured by dual-energy x-ray absorptiometry in healthy premenopausal and postmenopausal women. J Clin Oncol 1996;14:78-84.",
    "Kousteni2001": "Kousteni S, Bellido T, Plotkin LI, et al. Nongenotropic, sex-nonspecific signaling through the estrogen or androgen receptors: dissociation from transcriptional activity. Cell 2001;104:719-730.",
    "Hughes1996": "Hughes DE, Dai A, Tiffee JC, et al. Estrogen promotes apoptosis of murine osteoclasts mediated by TGF-beta. Nat Med 1996;2:1132-1136.",
    "EghbaliFatourechi2003": "Eghbali-Fatourechi G, Khosla S, Sanyal A, et al. Role of RANK ligand in mediating increased bone resorption in early postmenopausal women. J Clin Invest 2003;111:1221-1230.",
    "Looker1998": "Looker AC, Wahner HW, Dunn WL, et al. Updated data on proximal femur bone mineral levels of US adults. Osteoporos Int 1998;8:468-489.",
    "Kanis1994": "Kanis JA, Melton LJ 3rd, Christiansen C, Johnston CC, Khaltaev N. The diagnosis of osteoporosis. J Bone Miner Res 1994;9:1137-1141 (WHO T-score categories).",
    "Hologic": "Hologic QDR reference database for lumbar spine L1-L4 BMD of young adults (as used by Kanis 2008 and NHANES 2005-2008 reports).",
    "Parfitt2002": "Parfitt AM. Targeted and nontargeted bone remodeling: relationship to basic multicellular unit origination and progression. Bone 2002;30:5-7.",
    "Boivin2002": "Boivin G, Meunier PJ. The degree of mineralization of bone tissue measured by computerized quantitative contact microradiography. Calcif Tissue Int 2002;70:503-511.",
    "Felson1993": "Felson DT, Zhang Y, Hannan MT, Anderson JJ. Effects of weight and body mass index on bone mineral density in men and women: the Framingham study. J Bone Miner Res 1993;8:567-573.",
    "McTiernan2006": "McTiernan A, Wu L, Chen C, Chlebowski R, et al. Relation of BMI and physical activity to sex hormones in postmenopausal women. Obesity (Silver Spring) 2006;14:1662-1677.",
    "Kley1980": "Kley HK, Edelmann P, Kruskemper HL. Relationship of plasma sex hormones to different parameters of obesity in male subjects. Metabolism 1980;29:1041-1045.",
    "Schneider1979": "Schneider G, Kirschner MA, Berkowitz R, Ertel NH. Increased estrogen production in obese men. J Clin Endocrinol Metab 1979;48:633-638.",
    "Starka2020": "Starka L, Hill M, Pospisilova H, Duskova M. Estradiol, obesity and hypogonadism. Physiol Res 2020;69(Suppl 2):S273-S278.",
    "Wu2018": "Wu A, Shi Z, Martin S, Vincent A, Heilbronn L, Wittert G. Age-related changes in estradiol and longitudinal associations with fat mass in men. PLoS One 2018;13:e0201912.",
    "Oh2017": "Oh H, Coburn SB, Matthews CE, et al. Anthropometric measures and serum estrogen metabolism in postmenopausal women: the Women's Health Initiative Observational Study. Breast Cancer Res 2017. doi:10.1186/s13058-017-0810-0.",
    "Freeman2010": "Freeman EW, Sammel MD, Lin H, Gracia CR. Obesity and reproductive hormone levels in the transition to menopause. Menopause 2010;17:718-726.",
    "Zibellini2015": "Zibellini J, et al. Systematic review and meta-analysis of diet-induced weight loss and bone in overweight or obese adults (41 publications). J Bone Miner Res 2015. doi:10.1002/jbmr.2564.",
    "Soltani2016": "Soltani S, Hunter GR, Kazemi A, Shab-Bidar S. The effects of weight loss approaches on bone mineral density in adults: a systematic review and meta-analysis of randomized controlled trials. Osteoporos Int 2016;27:2655-2671.",
    "Frost1987": "Frost HM. Bone mass and the mechanostat: a proposal. Anat Rec 1987;219:1-9.",
    "CarterHayes1977": "Carter DR, Hayes WC. The compressive behavior of bone as a two-phase porous structure. J Bone Joint Surg Am 1977;59:954-962.",
    "Rubin1992": "Rubin CT, Bain SD, McLeod KJ. Suppression of the osteogenic response in the aging skeleton. Calcif Tissue Int 1992;50:306-313.",
    "Chen2002": "Chen T, Berenson J, Vescio R, et al. Pharmacokinetics and pharmacodynamics of zoledronic acid in cancer patients with bone metastases. J Clin Pharmacol 2002;42:1228-1236.",
    "Black2007": "Black DM, Delmas PD, Eastell R, et al. Once-yearly zoledronic acid for treatment of postmenopausal osteoporosis (HORIZON-PFT). N Engl J Med 2007;356:1809-1822.",
    "Khan1997": "Khan SA, Kanis JA, Vasikaran S, et al. Elimination and biochemical responses to intravenous alendronate in postmenopausal osteoporosis. J Bone Miner Res 1997;12:1700-1707.",
    "Mitchell2000": "Mitchell DY, Eusebio RA, Sacco-Gibson NA, et al. Dose-proportional pharmacokinetics of risedronate on single-dose oral administration to healthy volunteers. J Clin Pharmacol 2000;40:258-265.",
    "Barrett2004": "Barrett J, Worth E, Bauss F, Epstein S. Ibandronate: a clinical pharmacological and pharmacokinetic update. J Clin Pharmacol 2004;44:951-965.",
    "Sutjandra2011": "Sutjandra L, Rodriguez RD, Doshi S, et al. Population pharmacokinetic meta-analysis of denosumab in healthy subjects and postmenopausal women with osteopenia or osteoporosis. Clin Pharmacokinet 2011;50:793-807.",
    "RiggsMelton1986": "Riggs BL, Melton LJ 3rd. Involutional osteoporosis. N Engl J Med 1986;314:1676-1686.",
    "Turner1998": "Turner CH. Three rules for bone adaptation to mechanical stimuli. Bone 1998;23:399-407.",
    "Schriefer2005": "Schriefer JL, Warden SJ, Saxon LK, Robling AG, Turner CH. Cellular accommodation and the response of bone to mechanical loading. J Biomech 2005;38:1838-1845.",
    "Howe2011": "Howe TE, Shea B, Dawson LJ, et al. Exercise for preventing and treating osteoporosis in postmenopausal women. Cochrane Database Syst Rev 2011;(7):CD000333.",
    "WardKlesges2001": "Ward KD, Klesges RC. A meta-analysis of the effects of cigarette smoking on bone mineral density. Calcif Tissue Int 2001;68:259-270.",
    "Gilbert2000": "Gilbert L, He X, Farmer P, et al. Inhibition of osteoblast differentiation by tumor necrosis factor-alpha. Endocrinology 2000;141:3956-3964.",
    "Cohen1999": "Cohen I, Figer A, Tepper R, et al. Ovarian overstimulation and cystic formation in premenopausal tamoxifen exposure: comparison between tamoxifen-treated and nontreated breast cancer patients. Gynecol Oncol 1999;72:202-207.",
    "Geisler1996": "Geisler J, King N, Dowsett M, et al. Influence of anastrozole (Arimidex), a selective, non-steroidal aromatase inhibitor, on in vivo aromatisation and plasma oestrogen levels in postmenopausal women with breast cancer. Br J Cancer 1996;74:1286-1291.",
    "Dalsky1988": "Dalsky GP, Stocke KS, Ehsani AA, Slatopolsky E, Lee WC, Birge SJ Jr. Weight-bearing exercise training and lumbar bone mineral content in postmenopausal women. Ann Intern Med 1988;108:824-828.",
    "Rubin2000": "Rubin J, Murphy T, Nanes MS, Fan X. Mechanical strain inhibits expression of osteoclast differentiation factor by murine stromal cells. Am J Physiol Cell Physiol 2000;278:C1126-C1132.",
    "Satterwhite2010": "Satterwhite J, Heathman M, Miller PD, et al. Pharmacokinetics of teriparatide (rhPTH[1-34]) and calcium pharmacodynamics in postmenopausal women with osteoporosis. Calcif Tissue Int 2010;87:485-492.",
    "ForteoLabel": "FORTEO (teriparatide injection), US prescribing information, Eli Lilly and Company, section 12.3 (clearance 62 L/h in women, 94 L/h in men; half-life about 5 min intravenously, 1 h subcutaneously).",
    "ForsteoSmPC": "Forsteo (teriparatide), EU summary of product characteristics, Eli Lilly Nederland, section 5.2 (absolute bioavailability 95 %).",
    "OpenBoneMin": "Metrum Research Group. OpenBoneMin: R/mrgsolve implementation of the Peterson & Riggs calcium homeostasis and bone remodelling model, with teriparatide and (inst/cabone2.cpp) the Eudy 2015 romosozumab block. https://github.com/metrumresearchgroup/OpenBoneMin",
    "Jilka1999": "Jilka RL, Weinstein RS, Bellido T, Roberson P, Parfitt AM, Manolagas SC. Increased bone formation by prevention of osteoblast apoptosis with parathyroid hormone. J Clin Invest 1999;104:439-446.",
    "Ross2012": "Ross DS, Mehta K, Cabal A. Dynamics of bone cell signaling and PTH treatments of osteoporosis. Discrete Contin Dyn Syst Ser B 2012;17:2185-2200.",
    "Frolik2003": "Frolik CA, Black EC, Cain RL, et al. Anabolic and catabolic bone effects of human parathyroid hormone (1-34) are predicted by duration of hormone exposure. Bone 2003;33:372-379.",
    "Kroll2000": "Kroll MH. Parathyroid hormone temporal effects on bone formation and resorption. Bull Math Biol 2000;62:163-188.",
    "McClung2005": "McClung MR, San Martin J, Miller PD, et al. Opposite bone remodeling effects of teriparatide and alendronate in increasing bone mass. Arch Intern Med 2005;165:1762-1768.",
    "Neer2001": "Neer RM, Arnaud CD, Zanchetta JR, et al. Effect of parathyroid hormone (1-34) on fractures and bone mineral density in postmenopausal women with osteoporosis. N Engl J Med 2001;344:1434-1441.",
    "Leder2009": "Leder BZ, Neer RM, Wyland JJ, et al. Effects of teriparatide treatment and discontinuation in postmenopausal women and eugonadal men with osteoporosis. J Clin Endocrinol Metab 2009;94:2915-2921.",
    "Black2005": "Black DM, Bilezikian JP, Ensrud KE, et al. One year of alendronate after one year of parathyroid hormone (1-84) for osteoporosis. N Engl J Med 2005;353:555-565.",
    "Leder2015": "Leder BZ, Tsai JN, Uihlein AV, et al. Denosumab and teriparatide transitions in postmenopausal osteoporosis (the DATA-Switch study): extension of a randomised controlled trial. Lancet 2015;386:1147-1155.",
    "McClung2018": "McClung MR, Brown JP, Diez-Perez A, et al. Effects of 24 months of treatment with romosozumab followed by 12 months of denosumab or placebo in postmenopausal women with low bone mineral density: a randomized, double-blind, phase 2, parallel group study. J Bone Miner Res 2018;33:1397-1406.",
    "Eudy2015": "Eudy RJ, Gastonguay MR, Baron KT, Riggs MM. Connecting the dots: linking osteocyte activity and therapeutic modulation of sclerostin by extending a multiscale systems model. CPT Pharmacometrics Syst Pharmacol 2015;4:527-536.",
    "Almeida2005": "Almeida M, Han L, Bellido T, Manolagas SC, Kousteni S. Wnt proteins prevent apoptosis of both uncommitted osteoblast progenitors and differentiated osteoblasts by beta-catenin-dependent and -independent signaling cascades involving Src/ERK and phosphatidylinositol 3-kinase/AKT. J Biol Chem 2005;280:41342-41351.",
    "Glass2005": "Glass DA 2nd, Bialek P, Ahn JD, et al. Canonical Wnt signaling in differentiated osteoblasts controls osteoclast differentiation. Dev Cell 2005;8:751-764.",
    "Cosman2016": "Cosman F, Crittenden DB, Adachi JD, et al. Romosozumab treatment in postmenopausal women with osteoporosis. N Engl J Med 2016;375:1532-1543.",
    "Cosman2022": "Cosman F, Kendler DL, Langdahl BL, Leder BZ. Romosozumab and antiresorptive treatment: the importance of treatment sequence. Osteoporos Int 2022;33:1243-1256.",
    "EvenityLabel": "EVENITY (romosozumab), prescribing information, Amgen, pharmacodynamics (P1NP peak about +145 % vs placebo at 2 weeks, back to placebo at month 9, about 15 % below at month 12; CTX about 55 % below placebo at 2 weeks and 25 % below at month 12).",
    "Chavassieux2019": "Chavassieux P, Chapurlat R, Portero-Muzy N, et al. Bone-forming and antiresorptive effects of romosozumab in postmenopausal women with osteoporosis: bone histomorphometry and microcomputed tomography analysis after 2 and 12 months of treatment. J Bone Miner Res 2019;34:1597-1608.",
    "Saag2017": "Saag KG, Petersen J, Brandi ML, et al. Romosozumab or alendronate for fracture prevention in women with osteoporosis. N Engl J Med 2017;377:1417-1427.",
    "Wijenayaka2011": "Wijenayaka AR, Kogawa M, Lim HP, Bonewald LF, Findlay DM, Atkins GJ. Sclerostin stimulates osteocyte support of osteoclast activity by a RANKL-dependent pathway. PLoS One 2011;6:e25900.",
    "Robling2008": "Robling AG, Niziolek PJ, Baldridge LA, et al. Mechanical stimulation of bone in vivo reduces osteocyte expression of Sost/sclerostin. J Biol Chem 2008;283:5866-5875.",
    "Spatz2012": "Spatz JM, Fields EE, Yu EW, et al. Serum sclerostin increases in healthy adult men during bed rest. J Clin Endocrinol Metab 2012;97:E1736-E1740.",
    "Modder2011": "Modder UI, Clowes JA, Hoey K, et al. Regulation of circulating sclerostin levels by sex steroids in women and in men. J Bone Miner Res 2011;26:27-34.",
    "Kim2015": "Kim et al. Serum sclerostin in postmenopausal women with breast cancer on aromatase inhibitors (alendronate and calcitriol vs placebo, 6 months) and premenopausal controls. Endocrinol Metab (Seoul) 2015;30:58-64.",
    "Tai2015": "Tai V, Leung W, Grey A, Reid IR, Bolland MJ. Calcium intake and bone mineral density: systematic review and meta-analysis. BMJ 2015;351:h4183.",
    "Reid2014": "Reid IR, Bolland MJ, Grey A. Effects of vitamin D supplements on bone mineral density: a systematic review and meta-analysis. Lancet 2014;383:146-155.",
    "Burt2019": "Burt LA, Billington EO, Rose MS, Raymond DA, Hanley DA, Boyd SK. Effect of high-dose vitamin D supplementation on volumetric bone density and bone strength: a randomized clinical trial. JAMA 2019;322:736-745.",
    "Gnant2015": "Gnant M, Pfeiler G, Dubsky PC, et al. Adjuvant denosumab in breast cancer (ABCSG-18): a multicentre, randomised, double-blind, placebo-controlled trial. Lancet 2015;386:433-443.",
    "Cummings2009": "Cummings SR, San Martin J, McClung MR, et al. Denosumab for prevention of fractures in postmenopausal women with osteoporosis. N Engl J Med 2009;361:756-765.",
    "Bone2017": "Bone HG, Wagman RB, Brandi ML, et al. 10 years of denosumab treatment in postmenopausal women with osteoporosis: results from the phase 3 randomised FREEDOM trial and open-label extension. Lancet Diabetes Endocrinol 2017;5:513-523.",
    "McClung2017": "McClung MR, Wagman RB, Miller PD, Wang A, Lewiecki EM. Observations following discontinuation of long-term denosumab therapy. Osteoporos Int 2017;28:1723-1732.",
    "Black2006": "Black DM, Schwartz AV, Ensrud KE, et al. Effects of continuing or stopping alendronate after 5 years of treatment: the Fracture Intervention Trial Long-term Extension (FLEX). JAMA 2006;296:2927-2938.",
    "Eastell2011": "Eastell R, Adams J, Clack G, et al. Long-term effects of anastrozole on bone mineral density: 7-year results from the ATAC trial. Ann Oncol 2011;22:857-862.",
    "Sestak2021": "Sestak I, Blake G, Patel R, et al. Off-treatment bone mineral density changes in postmenopausal women receiving anastrozole for 5 years: 7-year results from the IBIS-II prevention trial. Br J Cancer 2021;124:1373-1378.",
    "Greendale2012": "Greendale GA, Sowers M, Han W, et al. Bone mineral density loss in relation to the final menstrual period in a multiethnic cohort: results from the Study of Women's Health Across the Nation (SWAN). J Bone Miner Res 2012;27:111-118.",
    "Finkelstein2013": "Finkelstein JS, Lee H, Burnett-Bowie SA, et al. Gonadal steroids and body composition, strength, and sexual function in men. N Engl J Med 2013;369:1011-1022.",
    "Winters2000": "Winters KM, Snow CM. Detraining reverses positive effects of exercise on the musculoskeletal system in premenopausal women. J Bone Miner Res 2000;15:2495-2503.",
    "Shojaa2020": "Shojaa M, von Stengel S, Kohl M, Schoene D, Kemmler W. Effects of dynamic resistance exercise on bone mineral density in postmenopausal women: a systematic review and meta-analysis with special emphasis on exercise parameters. Osteoporos Int 2020;31:1427-1444.",
    "Thomas2017": "Thomas GA, Cartmel B, Harrigan M, et al. The effect of exercise on body composition and bone mineral density in breast cancer survivors taking aromatase inhibitors. Obesity 2017;25:346-351.",
    "RoblingTurner2002": "Robling AG, Hinant FM, Burr DB, Turner CH. Shorter, more frequent mechanical loading sessions enhance bone mass. Med Sci Sports Exerc 2002;34:196-202.",
    "Oncken2006": "Oncken C, Prestwood K, Kleppinger A, Wang Y, Cooney J, Raisz L. Impact of smoking cessation on bone mineral density in postmenopausal women. J Womens Health 2006;15:1141-1150.",
    "Lee2003": "Lee K, Jessop H, Suswillo R, Zaman G, Lanyon L. Endocrinology: bone adaptation requires oestrogen receptor-alpha. Nature 2003;424:389.",
    "RubinLanyon1984": "Rubin CT, Lanyon LE. Regulation of bone formation by applied dynamic loads. J Bone Joint Surg Am 1984;66:397-402.",
    "Beaupre1990": "Beaupre GS, Orr TE, Carter DR. An approach for time-dependent bone modeling and remodeling: theoretical development. J Orthop Res 1990;8:651-661.",
    "Kohrt1997": "Kohrt WM, Ehsani AA, Birge SJ Jr. Effects of exercise involving predominantly either joint-reaction or ground-reaction forces on bone mineral density in older women. J Bone Miner Res 1997;12:1253-1261.",
    "Watson2018": "Watson SL, Weeks BK, Weis LJ, et al. High-intensity resistance and impact training improves bone mineral density and physical function in postmenopausal women with osteopenia and osteoporosis: the LIFTMOR randomized controlled trial. J Bone Miner Res 2018;33:211-220.",
    "Heaney2003": "Heaney RP, Davies KM, Chen TC, Holick MF, Barger-Lux MJ. Human serum 25-hydroxycholecalciferol response to extended oral dosing with cholecalciferol. Am J Clin Nutr 2003;77:204-210; and Heaney RP, Dowell MS, Hale CA, Bendich A. Calcium absorption varies within the reference range for serum 25-hydroxyvitamin D. J Am Coll Nutr 2003;22:142-146.",
    "Uwitonze2018": "Uwitonze AM, Razzaque MS. Role of magnesium in vitamin D activation and function. J Am Osteopath Assoc 2018;118:181-189.",
    "Nordin1993": "Nordin BE, Need AG, Morris HA, Horowitz M. The nature and significance of the relationship between urinary sodium and urinary calcium in women. J Nutr 1993;123:1615-1622.",
    "ShamsWhite2017": "Shams-White MM, Chung M, Du M, et al. Dietary protein and bone health: a systematic review and meta-analysis from the National Osteoporosis Foundation. Am J Clin Nutr 2017;105:1528-1543.",
    "Knapen2013": "Knapen MH, Drummen NE, Smit E, Vermeer C, Theuwissen E. Three-year low-dose menaquinone-7 supplementation helps decrease bone loss in healthy postmenopausal women. Osteoporos Int 2013;24:2499-2507.",
    "LawHackshaw1997": "Law MR, Hackshaw AK. A meta-analysis of cigarette smoking, bone mineral density and risk of hip fracture: recognition of a major effect. BMJ 1997;315:841-846.",
    "Kanis2005": "Kanis JA, Johansson H, Johnell O, et al. Alcohol intake as a risk factor for fracture. Osteoporos Int 2005;16:737-742.",
    "Redlich2012": "Redlich K, Smolen JS. Inflammatory bone loss: pathogenesis and therapeutic intervention. Nat Rev Drug Discov 2012;11:234-250.",
    "Tang2007": "Tang BM, Eslick GD, Nowson C, Smith C, Bensoussan A. Use of calcium or calcium in combination with vitamin D supplementation to prevent fractures and bone loss in people aged 50 years and older: a meta-analysis. Lancet 2007;370:657-666.",
    "Russell2008": "Russell RG, Watts NB, Ebetino FH, Rogers MJ. Mechanisms of action of bisphosphonates: similarities and differences and their potential influence on clinical efficacy. Osteoporos Int 2008;19:733-759.",
    "Bone2011": "Bone HG, Bolognese MA, Yuen CK, et al. Effects of denosumab treatment and discontinuation on bone mineral density and bone turnover markers in postmenopausal women with low bone mass. J Clin Endocrinol Metab 2011;96:972-980.",
    "Siris2006": "Siris ES, Harris ST, Rosen CJ, et al. Adherence to bisphosphonate therapy and fracture rates in osteoporotic women: relationship to vertebral and nonvertebral fractures from 2 US claims databases. Mayo Clin Proc 2006;81:1013-1022.",
    "Garnero1996": "Garnero P, Sornay-Rendu E, Chapuy MC, Delmas PD. Increased bone turnover in late postmenopausal women is a major determinant of osteoporosis. J Bone Miner Res 1996;11:337-349.",
    "Eastell2006": "Eastell R, Hannon RA, Cuzick J, et al. Effect of an aromatase inhibitor on BMD and bone turnover markers: 2-year results of the Anastrozole, Tamoxifen, Alone or in Combination (ATAC) trial. J Bone Miner Res 2006;21:1215-1223.",
    "Orentreich1984": "Orentreich N, Brind JL, Rizer RL, Vogelman JH. Age changes and sex differences in serum dehydroepiandrosterone sulfate concentrations throughout adulthood. J Clin Endocrinol Metab 1984;59:551-555.",
    "Baim2005": "Baim S, Wilson CR, Lewiecki EM, Luckey MM, Downs RW Jr, Lentle BC. Precision assessment and radiation safety for dual-energy X-ray absorptiometry: position paper of the International Society for Clinical Densitometry. J Clin Densitom 2005;8:371-378.",
    "Jonat2002": "Jonat W, Kaufmann M, Sauerbrei W, et al. Goserelin versus cyclophosphamide, methotrexate, and fluorouracil as adjuvant therapy in premenopausal patients with node-positive breast cancer: the ZEBRA study. J Clin Oncol 2002;20:4628-4635.",
    "Harman2001": "Harman SM, Metter EJ, Tobin JD, Pearson J, Blackman MR. Longitudinal effects of aging on serum total and free testosterone levels in healthy men. J Clin Endocrinol Metab 2001;86:724-731.",
    "Hofbauer1999": "Hofbauer LC, Khosla S, Dunstan CR, et al. Estrogen stimulates gene expression and protein production of osteoprotegerin in human osteoblastic cells. Endocrinology 1999;140:4367-4370.",
    "Kanis2008": "Kanis JA, Johnell O, Oden A, Johansson H, McCloskey E. FRAX and the assessment of fracture probability in men and women from the UK. Osteoporos Int 2008;19:385-397 (table 3: ten-year probabilities by age and femoral-neck T-score).",
    "Johnell2005": "Johnell O, Kanis JA, Oden A, et al. Predictive value of BMD for hip and other fractures. J Bone Miner Res 2005;20:1185-1194.",
    "Kanis2004": "Kanis JA, Johnell O, De Laet C, et al. A meta-analysis of previous fracture and subsequent fracture risk. Bone 2004;35:375-382.",
    "Parkkari1999": "Parkkari J, Kannus P, Palvanen M, et al. Majority of hip fractures occur as a result of a fall and impact on the greater trochanter of the femur: a prospective controlled hip fracture study with 206 consecutive patients. Calcif Tissue Int 1999;65:183-187.",
    "Sherrington2019": "Sherrington C, Fairhall NJ, Wallbank GK, et al. Exercise for preventing falls in older people living in the community. Cochrane Database Syst Rev 2019;1:CD012424.",
    "Coleman2013": "Coleman R, de Boer R, Eidtmann H, et al. Zoledronic acid (zoledronate) for postmenopausal women with early breast cancer receiving adjuvant letrozole (ZO-FAST study): final 60-month results. Ann Oncol 2013;24:398-405.",
    "Hadji2011": "Hadji P, Aapro MS, Body JJ, et al. Management of aromatase inhibitor-associated bone loss in postmenopausal women with breast cancer: practical guidance for prevention and treatment. Ann Oncol 2011;22:2546-2555.",
    "Hadji2017": "Hadji P, Aapro MS, Body JJ, et al. Management of aromatase inhibitor-associated bone loss (AIBL) in postmenopausal women with hormone sensitive breast cancer: joint position statement of the IOF, CABS, ECTS, IEG, ESCEO, IMS, and SIOG. J Bone Oncol 2017;7:1-12.",
}

#: Keys cited for the extended model itself, whatever the scenario.
CORE = ("Pivonka2008", "BoneModels2024", "Scheiner2013", "MartinezReina2019", "Looker1998", "Kanis1994")


def references(keys: Iterable[str], extra: Mapping[str, str] | None = None) -> list[str]:
    """Formatted references for ``keys`` (first-seen order, duplicates dropped), from
    :data:`BIBLIOGRAPHY` and ``extra`` (references a mechanism declares itself).

    Raises
    ------
    KeyError
        For a key absent from :data:`BIBLIOGRAPHY`.
    """
    known = {**BIBLIOGRAPHY, **(extra or {})}
    out = []
    for key in dict.fromkeys(keys):
        if key not in known:
            raise KeyError(f"unknown citation key {key!r}")
        out.append(f"[{key}] {known[key]}")
    return out
