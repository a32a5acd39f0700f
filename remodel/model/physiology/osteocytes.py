r"""Osteocytes: serum sclerostin, an output of the drivers that act on the osteocyte.

Osteocytes secrete sclerostin, which holds back Wnt signalling in the osteoblast lineage and
raises RANKL (Wijenayaka2011). Loading lowers its expression and disuse raises it (Robling2008;
bed rest raises serum sclerostin, Spatz2012); estrogen lowers it (Modder2011: -27 % in four weeks
of transdermal estradiol in postmenopausal women). Relative to the young-adult reference (full
estrogen receptor activity, habitual loading) serum sclerostin is

.. math::

    \mathrm{Scl} = \mathrm{Scl}_{ref}\, (1 + \lambda_{Scl,E}\, d)\,
        \left\langle \frac{1 + \kappa_{disuse} r^-}{1 + \kappa_{load} r^+} \right\rangle_{sites},

with the estrogen deficiency :math:`d = 1 - a_E` and the mechanostat responses :math:`r^\pm` of
:mod:`remodel.model.physiology.mechanics`, averaged over the skeletal sites. The mechanical factor
is the one by which loading acts on RANKL in :mod:`remodel.model.physiology.site`: sclerostin is
the osteocytes' path from strain to RANKL (Wijenayaka2011), so it takes no parameter of its own.
Sclerostin is reported, not fed back: the drivers already act on the cells through their own
terms, which this output summarises; the anti-sclerostin antibody acts through
:mod:`remodel.model.agents.romosozumab`.
"""

from __future__ import annotations

from ..declare import Output

CITATIONS = ("Wijenayaka2011", "Robling2008", "Spatz2012", "Modder2011")

#: Outputs (computed by :mod:`remodel.model.observables`).
OUTPUTS = (Output("serum_sclerostin", "pmol/L", "serum sclerostin",
                  "serum sclerostin from estrogen deficiency and mechanical loading (Modder2011, Robling2008)"),)


def serum_sclerostin(a_E, r_plus, r_minus, p):
    """Serum sclerostin (pmol/L) at estrogen receptor activity ``a_E`` and the mechanostat responses
    ``r_plus``, ``r_minus`` of each site (site first: averaged over it)."""
    mechanical = (1.0 + p["kappa_disuse"] * r_minus) / (1.0 + p["kappa_load"] * r_plus)
    return p["Scl_ref"] * (1.0 + p["lambda_Scl_E"] * (1.0 - a_E)) * mechanical.mean(axis=0)
