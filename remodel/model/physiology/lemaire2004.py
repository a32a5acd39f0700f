r"""Lemaire 2004 cell model: responding osteoblasts R, active osteoblasts B, active osteoclasts C.

The ancestor of the Pivonka line, kept verbatim so that it can be verified against the curated
SBML (BioModels BIOMD0000000278) and used for teaching. Concentrations in pM, time in days.

.. math::

    \dot R &= D_R \pi_C - \frac{D_B}{\pi_C} R, \qquad
    \dot B  = \frac{D_B}{\pi_C} R - k_B B, \qquad
    \dot C  = D_C \pi_L - D_A \pi_C C,

    \pi_C &= \frac{C + f_0 C_s}{C + C_s}, \qquad
    \pi_P = \frac{I_P/k_P + S_P/k_P}{I_P/k_P + k_6/k_5}, \qquad D_B = f_0 d_B,

    \pi_L &= \frac{(k_3/k_4) K_{LP} \pi_P B}
                  {1 + k_3 K/k_4 + \frac{k_1}{k_2 k_O}\left(I_O + K_{OP} R/\pi_P\right)}
             \left(1 + \frac{I_L}{r_L}\right).

References: Lemaire2004.
"""

from __future__ import annotations

import numpy as np

STATE_NAMES = ("R", "B", "C")
CITATIONS = ("Lemaire2004",)


def pth_occupancy(p):
    r"""Fraction of PTH receptors occupied, :math:`\pi_P`."""
    infused = p["I_P"] / p["k_P"]
    return (infused + p["S_P"] / p["k_P"]) / (infused + p["k6"] / p["k5"])


def rankl_occupancy(R, B, p):
    r"""Fraction of RANK occupied by RANKL, :math:`\pi_L` (may exceed 1 under RANKL infusion)."""
    pi_P = pth_occupancy(p)
    numerator = p["k3"] / p["k4"] * p["K_L_P"] * pi_P * B
    denominator = 1.0 + p["k3"] * p["K"] / p["k4"] + p["k1"] / (p["k2"] * p["kO"]) * (
        p["I_O"] + p["K_O_P"] * R / pi_P
    )
    return numerator / denominator * (1.0 + p["I_L"] / p["r_L"])


def rhs(t, y, p):
    """Right-hand side for states ``y`` of shape ``(3, ...)``; parameters broadcast over the batch."""
    R, B, C = y
    pi_C = (C + p["f0"] * p["C_s"]) / (C + p["C_s"])
    D_B = p["f0"] * p["d_B"]
    commitment = D_B / pi_C * R
    return np.stack(
        [
            p["D_R"] * pi_C - commitment,
            commitment - p["k_B"] * B,
            p["D_C"] * rankl_occupancy(R, B, p) - p["D_A"] * pi_C * C,
        ]
    )


def simulate(times_days, initial=(7.734e-4, 7.282e-4, 9.127e-4), rtol=1e-10, **overrides):
    """Integrate the Lemaire 2004 model over ``times_days`` and return an ``xarray.Dataset``.

    ``initial`` defaults to the initial concentrations of the curated SBML (pM); ``overrides``
    replace values of the ``Lemaire2004`` parameter set (e.g. ``I_P=100``).
    """
    import xarray as xr
    from scipy.integrate import solve_ivp

    from ...parameter_sets import Lemaire2004
    from ...solvers import SolverError

    p = Lemaire2004.updated(**overrides).values() if overrides else Lemaire2004.values()
    times = np.asarray(times_days, dtype=float)
    sol = solve_ivp(lambda t, y: rhs(t, y, p), (times[0], times[-1]), np.asarray(initial, dtype=float),
                    method="Radau", t_eval=times, rtol=rtol, atol=1e-6 * rtol * min(initial))
    if not sol.success:
        raise SolverError(f"Lemaire 2004 integration failed: {sol.message}")
    long_names = {"R": "responding osteoblasts", "B": "active osteoblasts", "C": "active osteoclasts"}
    return xr.Dataset(
        {k: ("time", sol.y[i], {"units": "pM", "long_name": long_names[k]}) for i, k in enumerate(STATE_NAMES)},
        coords={"time": ("time", times, {"units": "day"})},
        attrs={"title": "Lemaire 2004 bone cell model", "references": "Lemaire2004"},
    )
