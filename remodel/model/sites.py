"""The skeletal sites simulated: one table of what the model knows about each.

Per site: the loading region whose strain parameters apply (:mod:`remodel.model.physiology.exercise`),
the parameter of its turnover rate, the parameter of the fraction of its osteoblasts on open surfaces
(cancellous, endocortical, periosteal), where the anabolic drugs add bone, rather than in closing
intracortical osteons (:mod:`remodel.model.physiology.site`), the young-adult (20-29 y) reference
BMD, mean and SD in g/cm2 per sex (Looker1998 for the hip, the Hologic reference for the spine; :mod:`remodel.model.physiology.bone`),
and the DXA precision error, coefficient of variation in % (Baim2005; :mod:`remodel.cohort`), and the
share of its habitual loading that locomotion brings, the exponent of the fall of habitual activity
in old age at the site (:func:`remodel.model.physiology.exercise.habitual_activity`): 1 at the hip,
loaded at every step by hip contact forces of about 2.5 times body weight (Bergmann2001), and 0 at
the lumbar spine, whose loads are those of the trunk muscles holding posture: the disc pressure of
unsupported sitting (0.46 MPa) is nearly that of relaxed standing (0.5 MPa), walking raises it
little, and bending and lifting two- to five-fold (Wilke1999); and whether its areal BMD (an
anteroposterior DXA projection) gathers the apparent mineral of degenerative changes with age
(:func:`remodel.model.physiology.bone.degenerative_bmd`): the lumbar spine does, whose projection
adds osteophytes, end-plate and facet sclerosis and aortic calcification to the vertebral bodies
(Rand1997, Tenne2013); the hip regions do not.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SITES", "SITE_TABLE", "Site", "YOUNG_ADULT_REFERENCE"]


@dataclass(frozen=True)
class Site:
    """One skeletal site (see module docstring)."""

    name: str
    region: str
    turnover_parameter: str
    open_surface_parameter: str
    young_adult: dict[str, tuple[float, float]]
    dxa_precision_cv: float
    locomotion: float
    degenerative: bool


#: The sites, in output order.
SITE_TABLE = (
    Site("lumbar_spine", "spine", "rho_lumbar_spine", "f_open_lumbar_spine",
         {"female": (1.047, 0.110), "male": (1.068, 0.124)}, 1.0, 0.0, True),
    Site("total_hip", "hip", "rho_total_hip", "f_open_total_hip", {"female": (0.942, 0.122), "male": (1.041, 0.144)}, 1.0, 1.0, False),
    Site("femoral_neck", "hip", "rho_femoral_neck", "f_open_femoral_neck",
         {"female": (0.858, 0.120), "male": (0.930, 0.136)}, 1.5, 1.0, False),
)
#: Site names, in output order.
SITES = tuple(site.name for site in SITE_TABLE)
#: Young-adult reference BMD (g/cm2): ``{sex: {site: (mean, SD)}}``.
YOUNG_ADULT_REFERENCE = {sex: {site.name: site.young_adult[sex] for site in SITE_TABLE} for sex in ("female", "male")}
