"""Figures of a run (``--plots DIR``), drawn from the predictions the run has already made.

Nothing here evaluates the model: every point comes from the session's evaluation cache
(Evaluator.lookup), so a figure shows exactly the numbers the tests judged, and a curve the
run did not compute (a test deselected, a model that reads no charge) is simply not drawn.
matplotlib is optional (the 'plots' extra); asking for plots without it is a usage error
(mlip_conformance/outputs.py).
"""

from pathlib import Path

import numpy as np

from mlip_conformance.conformance import systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.references.constants import COULOMB_EV_ANGSTROM
from mlip_conformance.references.grids import COULOMB_GRID_ANGSTROM, DISSOCIATION_DISTANCE_ANGSTROM, H2_GRID_ANGSTROM
from mlip_conformance.references.levels import reference_set


def draw_all(evaluator, model, directory, suffix=""):
    """Write every figure the run has data for; returns the paths written (or why not)."""
    import matplotlib
    matplotlib.use("Agg")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    import matplotlib.pyplot as plt
    for name, draw in (("h2-curve", h2_curve_figure), ("bare-protons", bare_protons_figure),
                       ("h2-force-consistency", force_consistency_figure)):
        path = directory / f"{name}{suffix}.png"
        try:
            figure = draw(evaluator, model)
        except Exception as error:   # a figure must never turn a verdict into a crash
            written.append(f"{path} not drawn: {type(error).__name__}: {error}")
            continue
        if figure is None:
            continue
        figure.savefig(path, dpi=120)
        plt.close(figure)
        written.append(path)
    return written


def _known(evaluator, build, grid):
    """(r, predictions) for the grid points the run evaluated with a usable prediction."""
    found = [(r, evaluator.lookup(build(r))) for r in grid]
    kept = [(r, o.value) for r, o in found if o is not None and o.ok]
    return np.array([r for r, _ in kept]), [p for _, p in kept]


def _figure():
    import matplotlib.pyplot as plt
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(7, 7), sharex=True,
                                         gridspec_kw={"height_ratios": [2, 1]})
    return figure, top, bottom


def h2_curve_figure(evaluator, model):
    r, predictions = _known(evaluator, systems.h2, H2_GRID_ANGSTROM)
    if len(r) < 3 or not np.isclose(r[-1], DISSOCIATION_DISTANCE_ANGSTROM):
        return None
    energy = np.array([p.energy for p in predictions])
    energy = energy - energy[-1]
    reference = reference_set(model.capabilities.level_of_theory) or reference_set("exact")
    curve = reference.curve("h2_singlet")
    ref = curve.energy_at(r) - curve.energy_at([DISSOCIATION_DISTANCE_ANGSTROM])[0]
    figure, top, bottom = _figure()
    top.plot(r, ref, "k-", lw=1.5, label=f"reference: {reference.name}")
    top.plot(r, energy, "o-", ms=3, color="tab:red", label=model.name)
    top.set_ylim(min(ref.min(), energy.min()) - 0.5, 8.0)
    top.set_ylabel(f"E(r) − E({DISSOCIATION_DISTANCE_ANGSTROM:g} Å)  (eV)")
    top.set_title(f"H2 singlet: {model.name} vs {reference.name}")
    top.legend()
    bottom.axhspan(-tol.CHEMICAL_ACCURACY_EV, tol.CHEMICAL_ACCURACY_EV, color="0.85", label="±1 kcal/mol")
    bottom.plot(r, energy - ref, "o-", ms=3, color="tab:red")
    bottom.set_ylabel("model − reference (eV)")
    bottom.set_xlabel("H–H distance r (Å)")
    bottom.set_xscale("log")
    bottom.legend()
    figure.tight_layout()
    return figure


def bare_protons_figure(evaluator, model):
    r, predictions = _known(evaluator, systems.bare_protons, COULOMB_GRID_ANGSTROM)
    proton = evaluator.lookup(systems.bare_nucleus("H"))
    if len(r) < 3 or proton is None or not proton.ok:
        return None
    energy = np.array([p.energy for p in predictions]) - 2 * proton.energy
    coulomb = COULOMB_EV_ANGSTROM / r
    figure, top, bottom = _figure()
    top.plot(r, coulomb, "k-", lw=1.5, label="Coulomb's law k/r")
    top.plot(r, energy, "o", ms=4, color="tab:blue", label=model.name)
    top.set_yscale("symlog", linthresh=1.0)
    top.set_ylabel("E(r) − 2E(H⁺)  (eV)")
    top.set_title(f"Two bare protons (H2, charge +2): {model.name}")
    top.legend()
    bottom.axhspan(-100 * tol.COULOMB_RELATIVE, 100 * tol.COULOMB_RELATIVE, color="0.85", label="±1 %")
    bottom.plot(r, 100 * (energy - coulomb) / coulomb, "o-", ms=4, color="tab:blue")
    bottom.set_ylabel("error (%)")
    bottom.set_xlabel("proton–proton distance r (Å)")
    bottom.set_xscale("log")
    bottom.legend()
    figure.tight_layout()
    return figure


def force_consistency_figure(evaluator, model):
    """The model's bond force along the H2 curve, and −dE/dr of its own energy by central
    differences wherever the run evaluated r ± h (the points test_forces checks)."""
    r, predictions = _known(evaluator, systems.h2, H2_GRID_ANGSTROM)
    h = tol.FINITE_DIFFERENCE_STEP_ANGSTROM
    points = []
    for x, centre in zip(r, predictions):
        shorter, longer = (evaluator.lookup(systems.h2(x + d)) for d in (-h, h))
        if all(o is not None and o.ok for o in (shorter, longer)):
            points.append((x, centre.forces[1, 2], -(longer.energy - shorter.energy) / (2 * h)))
    if len(r) < 5 or not points:
        return None
    force = np.array([p.forces[1, 2] for p in predictions])
    inside = (r >= 0.3) & (r <= 5.0)
    x, bond_force, slope = np.array(points).T
    figure, top, bottom = _figure()
    top.plot(r[inside], force[inside], "-", color="tab:green", label=f"{model.name}: bond force F(r)")
    top.plot(x, slope, "kD", ms=5, label=f"−dE/dr of its energy (central differences, h = {h} Å)")
    top.axhline(0, color="0.6", lw=0.8)
    top.set_ylim(max(-10.0, force[inside].min() - 1), min(20.0, force[inside].max() + 1))
    top.set_ylabel("force along the bond (eV/Å), > 0 repulsive")
    top.set_title(f"H2 force consistency: {model.name}")
    top.legend(fontsize=8)
    allowed = np.maximum(tol.CONSERVATION_RELATIVE * np.abs(slope), tol.CONSERVATION_ABSOLUTE_EV_PER_A)
    bottom.fill_between(x, -allowed, allowed, color="0.85", step="mid", label="tolerance")
    bottom.plot(x, bond_force - slope, "D-", color="tab:purple", label="F − (−dE/dr)")
    bottom.set_ylabel("F − (−dE/dr) (eV/Å)")
    bottom.set_xlabel("H–H distance r (Å)")
    bottom.legend(fontsize=8)
    figure.tight_layout()
    return figure
