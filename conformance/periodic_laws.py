"""The periodic laws, written once (as symmetry.py does for invariance): what conformance/test_periodic.py
applies to Hypothesis-drawn cells and to the crystal catalogue.  Reading a model's stress, the
allowances of a periodic comparison, the Voigt comparison and its diagnosis of a sign or unit
convention, the same crystal described another way (supercell, equivalent cell, lattice shifts,
rotation, open directions), the strain and displacement derivatives at a step and their
refinement (refinement.py: refine before you accuse), the compression of a crystal and the
molecule that carries a cell.  Each check raises AssertionError with a chemist's message.
"""

import numpy as np

from mlip_conformance.conformance import cells, crystals
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close, assert_vectors_close, tolerance
from mlip_conformance.conformance.measurements import record
from mlip_conformance.conformance.refinement import refine
from mlip_conformance.references.constants import GPA_PER_EV_PER_CUBIC_ANGSTROM

__all__ = [
    "GPA", "stress_of", "energy_allowance", "force_allowance", "stress_allowance", "assert_stress_close",
    "CONVENTIONS", "convention_diagnosis", "assert_same_crystal", "check_supercell", "check_equivalent_cell",
    "check_wrapping", "check_rotation", "truncation", "finest_strain", "strain_derivative_at",
    "refined_difference", "check_strain_derivative", "voigt_derivative_at", "check_voigt_derivative",
    "gradient_at", "check_gradient", "check_open_directions", "drawn_cell", "check_compression",
    "same_free_molecule",
]

GPA = GPA_PER_EV_PER_CUBIC_ANGSTROM


# --- Reading predictions and the allowances of a comparison -------------------------------------

def stress_of(outcome, atoms, model):
    value = outcome.stress
    if value is None:
        raise AssertionError(f"{model.name} returned no stress for {crystals.describe(atoms)}, yet it declares "
                             "that it returns the stress of periodic cells (eV/Å³)")
    return value


def energy_allowance(*energies):
    return max(tol.PERIODIC_ENERGY_EV, tol.PERIODIC_ENERGY_RELATIVE * max(abs(e) for e in energies))


def force_allowance(forces):
    per_atom = np.linalg.norm(forces, axis=1, keepdims=True) if len(forces) else np.zeros((0, 1))
    return np.maximum(tol.PERIODIC_FORCE_EV_PER_A, tol.PERIODIC_FORCE_RELATIVE * per_atom)


def stress_allowance(stress):
    return max(tol.PERIODIC_STRESS_EV_PER_A3, tol.PERIODIC_STRESS_RELATIVE * np.abs(stress).max())


def assert_stress_close(measured, expected, allowed, quantity, law, *, key, diagnosis=""):
    """Voigt stresses compared component by component, naming the worst one (in eV/Å³ and GPa)."""
    measured, expected = np.asarray(measured, dtype=float), np.asarray(expected, dtype=float)
    allowed = np.broadcast_to(allowed, measured.shape)
    error = np.abs(measured - expected)
    worst = int(np.argmax(error - allowed))
    record(key, f"{quantity}, σ_{cells.VOIGT[worst]}", measured[worst], expected[worst], allowed[worst], "eV/Å³")
    if np.all(error <= allowed):
        return
    raise AssertionError(
        f"{quantity}: σ_{cells.VOIGT[worst]} = {measured[worst]:.6g} eV/Å³ ({measured[worst] * GPA:.4g} GPa), "
        f"{law} requires {expected[worst]:.6g} eV/Å³ ({expected[worst] * GPA:.4g} GPa) (off by "
        f"{measured[worst] - expected[worst]:+.3g} eV/Å³; tolerance ±{allowed[worst]:.3g} eV/Å³){diagnosis}\n"
        f"model (xx yy zz yz xz xy): {np.array2string(measured, precision=6)} eV/Å³\n"
        f"{law}: {np.array2string(expected, precision=6)} eV/Å³")


CONVENTIONS = (
    (-1.0, "the model's stress has the opposite sign: ASE's convention is σ = (1/V) ∂E/∂ε, negative "
           "in a compressed cell (pressure −tr σ/3 > 0)"),
    (GPA, f"the model's stress is {GPA:.1f}× the strain derivative: it is in GPa, not eV/Å³ "
          f"(1 eV/Å³ = {GPA:.4f} GPa)"),
    (-GPA, f"the model's stress is −{GPA:.1f}× the strain derivative: it is in GPa, not eV/Å³, and has "
           "the opposite sign (ASE: σ = (1/V) ∂E/∂ε, negative under compression)"),
    (10 * GPA, f"the model's stress is {10 * GPA:.0f}× the strain derivative: it is in kbar, not eV/Å³"),
    (-10 * GPA, f"the model's stress is −{10 * GPA:.0f}× the strain derivative: it is in kbar with the "
                "opposite sign (VASP's OUTCAR convention), not eV/Å³ in ASE's"),
)


def convention_diagnosis(measured, derivative, allowed):
    """A sentence naming a sign or unit convention error, when the model's stress is a known
    multiple of the strain derivative; '' otherwise (or when the derivative is too small to tell)."""
    measured, derivative = np.atleast_1d(measured), np.atleast_1d(derivative)
    size = float(np.dot(derivative, derivative))
    if np.sqrt(size) <= 10 * np.max(allowed):
        return ""
    ratio = float(np.dot(measured, derivative)) / size
    record("stress_ratio", "model stress / (1/V) dE/dε", ratio, 1.0, None, "")
    for factor, words in CONVENTIONS:
        if abs(ratio / factor - 1) <= tol.STRESS_UNIT_DIAGNOSIS_RELATIVE:
            return f". {words[0].upper()}{words[1:]}"
    return ""


# --- The laws on a cell -------------------------------------------------------------------

def assert_same_crystal(model, first, second, operation, law, *, energy_factor=1.0,
                        forces=lambda f: f, stress=lambda s: s, text=""):
    """second (atoms, outcome) describes the crystal of first: E2 = factor × E1, its forces are
    forces(F1), its stress stress(σ1)."""
    (atoms, one), (other, two) = first, second
    name = f"{crystals.describe(other)} ({operation}){text}"
    expected = energy_factor * one.energy
    assert_close(two.energy, expected, energy_allowance(expected, two.energy), f"E of {name}", law, key="energy")
    mapped = forces(one.forces)
    assert_vectors_close(two.forces, mapped, force_allowance(mapped), f"forces on {name}", law, key="forces")
    if model.capabilities.stress:
        mapped = stress(stress_of(one, atoms, model))
        assert_stress_close(stress_of(two, other, model), mapped, stress_allowance(mapped), f"stress of {name}",
                            law, key="stress")


def check_supercell(evaluator, model, atoms, repeats, text=""):
    big = cells.supercell(atoms, repeats)
    n = int(np.prod(repeats))
    one, two = evaluator.predict_many([atoms, big])
    assert_same_crystal(model, (atoms, one), (big, two), f"{'×'.join(map(str, repeats))} supercell",
                        f"extensivity ({n} × the cell's energy, its forces on every copy, its stress)",
                        energy_factor=n, forces=lambda f: np.tile(f, (n, 1)), text=text)


def check_equivalent_cell(evaluator, model, atoms, matrix, text=""):
    other = cells.equivalent_cell(atoms, matrix)
    rows = "; ".join(" ".join(f"{x:+d}" for x in row) for row in np.asarray(matrix))
    one, two = evaluator.predict_many([atoms, other])
    assert_same_crystal(model, (atoms, one), (other, two), f"lattice vectors [{rows}] × the cell's, atoms wrapped",
                        "cell-choice invariance (the same crystal in an equivalent cell)", text=text)


def check_wrapping(evaluator, model, atoms, shifts, text=""):
    moved = cells.translated(atoms, shifts)
    listed = ", ".join(f"{s}: {tuple(int(x) for x in shift)}"
                       for s, shift in zip(atoms.get_chemical_symbols(), shifts))
    one, two = evaluator.predict_many([atoms, moved])
    assert_same_crystal(model, (atoms, one), (moved, two), f"atoms moved by lattice vectors {listed}",
                        "translation by lattice vectors (the same crystal, atoms not wrapped)", text=text)


def check_rotation(evaluator, model, atoms, rotation, text=""):
    turned = cells.rotated(atoms, rotation)
    kind = "reflected" if np.linalg.det(rotation) < 0 else "rotated"
    matrix = "; ".join(" ".join(f"{x:+.3f}" for x in row) for row in rotation)
    one, two = evaluator.predict_many([atoms, turned])
    assert_same_crystal(model, (atoms, one), (turned, two), f"{kind} by [{matrix}]",
                        "invariance (E unchanged, forces turned, stress R σ Rᵀ)",
                        forces=lambda f: f @ rotation.T, stress=lambda s: cells.rotate_stress(s, rotation),
                        text=text)


def truncation(at_plus, at_centre, at_minus):
    """The truncation error h² |E‴| / 6 of a central difference of the energy, estimated from the
    model's own first derivative g = dE/dt at +h, 0 and −h: |g(+h) − 2 g(0) + g(−h)| / 6.  In a
    very stiff compressed cell (forces changing by hundreds of eV/Å per Å) it is the larger error;
    elsewhere it is negligible.  Exact for a cubic energy."""
    return abs(at_plus - 2 * at_centre + at_minus) / 6


def finest_strain(atoms):
    """The smallest strain step a refinement may take: one that moves atoms across the shortest
    cell vector by REFINEMENT_FINEST_DISPLACEMENT_ANGSTROM (below it a float32 energy difference is
    round-off)."""
    return tol.REFINEMENT_FINEST_DISPLACEMENT_ANGSTROM / float(np.linalg.norm(atoms.cell.array, axis=1).min())


def strain_derivative_at(evaluator, model, atoms, direction, h):
    """(σ : D of the model, (1/V) dE/dt by the five-point difference at strain step h, allowance)."""
    centre, *ends = evaluator.predict_many([atoms] + cells.stencil_strains(atoms, direction, h))
    volume = atoms.get_volume()
    derivative, error = (x / volume for x in cells.stencil_derivative([o.energy for o in ends], h))
    projected = cells.contract(stress_of(centre, atoms, model), direction)
    shifted = [cells.contract(stress_of(o, a, model), direction) for o, a in
               zip(ends[1:3], cells.stencil_strains(atoms, direction, h)[1:3])]
    allowed = (max(tolerance(derivative, tol.STRAIN_DERIVATIVE_RELATIVE, tol.STRAIN_DERIVATIVE_EV_PER_A3),
                   tol.FLOAT32_ENERGY_ROUNDOFF_RELATIVE * abs(centre.energy) / (volume * h))
               + error + truncation(shifted[0], projected, shifted[1]))
    return projected, derivative, allowed


def refined_difference(at, first_step, finest, step_name, units, step_units=""):
    """Refinement (refinement.py) of a comparison at(step) -> (model, difference quotient, allowance)."""
    def measure(step):
        measured, expected, allowed = at(step)
        return measured - expected, allowed
    return refine(measure, first_step, finest=finest, step_name=step_name, units=units, step_units=step_units)


def check_strain_derivative(evaluator, model, atoms, direction, text=""):
    """σ : D = (1/V) dE/dt along the strain t·D, by the five-point central difference, refined
    (smaller strain steps) before a mismatch is reported."""
    at = lambda h: strain_derivative_at(evaluator, model, atoms, direction, h)   # noqa: E731
    found = refined_difference(at, tol.STRAIN_STEP, finest_strain(atoms), "strain step", "eV/Å³")
    h = found.last.step if found.passed else tol.STRAIN_STEP
    projected, derivative, allowed = at(h)
    rows = "; ".join(" ".join(f"{x:+.3f}" for x in row) for row in direction)
    try:
        assert_close(projected, derivative, allowed,
                     f"stress of {crystals.describe(atoms)} projected on the strain direction [{rows}], σ : D",
                     f"(1/V) dE/dε by five-point differences (strain steps of {h:.3g})", units="eV/Å³",
                     key="projected_stress")
    except AssertionError as error:
        raise AssertionError(f"{error}{convention_diagnosis(projected, derivative, allowed)}; {found.describe()}"
                             f"{text}") from None


def voigt_derivative_at(evaluator, model, atoms, h):
    """(the model's Voigt stress, (1/V) ∂E/∂ε by five-point differences at strain step h, allowance)."""
    points = len(cells.STRAIN_STENCIL)
    structures = [atoms] + [a for d in cells.VOIGT_DIRECTIONS for a in cells.stencil_strains(atoms, d, h)]
    centre, *strained = evaluator.predict_many(structures)
    volume = atoms.get_volume()
    found = np.array([cells.stencil_derivative([o.energy for o in strained[points * k:points * (k + 1)]], h)
                      for k in range(6)]) / volume / np.array([1, 1, 1, 2, 2, 2])[:, None]
    derivative, error = found[:, 0], found[:, 1]
    model_stress = stress_of(centre, atoms, model)

    def component(k, i):   # the model's σ_k in the i-th strained copy along direction k (stencil order: +2h, +h, −h, −2h)
        return stress_of(strained[points * k + i], structures[1 + points * k + i], model)[k]

    curvature = np.array([truncation(component(k, 1), model_stress[k], component(k, 2)) for k in range(6)])
    allowed = (np.maximum(tolerance(derivative, tol.STRAIN_DERIVATIVE_RELATIVE, tol.STRAIN_DERIVATIVE_EV_PER_A3),
                          tol.FLOAT32_ENERGY_ROUNDOFF_RELATIVE * abs(centre.energy) / (volume * h))
               + error + curvature)
    return model_stress, derivative, allowed


def _worst_component(measured, expected, allowed):
    """The Voigt component furthest beyond its allowance, as (measured, expected, allowance)."""
    k = int(np.argmax(np.abs(measured - expected) / allowed))
    return measured[k], expected[k], allowed[k]


def check_voigt_derivative(evaluator, model, atoms, text=""):
    """Every Voigt component of the stress against (1/V) ∂E/∂ε by five-point differences, refined
    (smaller strain steps) before a mismatch is reported."""
    at = lambda h: voigt_derivative_at(evaluator, model, atoms, h)   # noqa: E731
    found = refined_difference(lambda h: _worst_component(*at(h)), tol.STRAIN_STEP, finest_strain(atoms),
                               "strain step", "eV/Å³")
    h = found.last.step if found.passed else tol.STRAIN_STEP
    model_stress, derivative, allowed = at(h)
    assert_stress_close(model_stress, derivative, allowed, f"stress of {crystals.describe(atoms)}{text}",
                        f"(1/V) ∂E/∂ε by five-point differences (strain steps of {h:.3g})", key="stress",
                        diagnosis=convention_diagnosis(model_stress, derivative, allowed) + f"; {found.describe()}")


def gradient_at(evaluator, atoms, direction, h):
    """(F · d of the model, −dE/dt by central differences with step h, allowance)."""
    centre, plus, minus = evaluator.predict_many([atoms, cells.displaced(atoms, direction, h),
                                                  cells.displaced(atoms, direction, -h)])
    slope = (plus.energy - minus.energy) / (2 * h)
    along = [float(np.sum(o.forces * direction)) for o in (plus, centre, minus)]
    allowed = (max(tolerance(slope, tol.CONSERVATION_RELATIVE, tol.CONSERVATION_ABSOLUTE_EV_PER_A),
                   tol.FORCE_DERIVATIVE_ROUNDOFF_RELATIVE * abs(centre.energy) / h)
               + truncation(*along))
    return along[1], -slope, allowed


def check_gradient(evaluator, atoms, direction, text=""):
    """F · d = −dE/dt along the displacement t·d, by central differences, refined (smaller steps)
    before a mismatch is reported."""
    at = lambda h: gradient_at(evaluator, atoms, direction, h)   # noqa: E731
    # the direction is a unit vector over all atoms: no atom moves by more than the step
    finest = tol.REFINEMENT_FINEST_DISPLACEMENT_ANGSTROM / float(np.linalg.norm(direction, axis=1).max())
    found = refined_difference(at, tol.FINITE_DIFFERENCE_STEP_ANGSTROM, finest, "h", "eV/Å", "Å")
    h = found.last.step if found.passed else tol.FINITE_DIFFERENCE_STEP_ANGSTROM
    measured, expected, allowed = at(h)
    try:
        assert_close(measured, expected, allowed,
                     f"forces on {crystals.describe(atoms)} projected on a unit displacement of all atoms, F · d{text}",
                     f"energy conservation, −dE/dt by central differences (h = {h:.3g} Å)", units="eV/Å",
                     key="projected_force")
    except AssertionError as error:
        raise AssertionError(f"{error}; {found.describe()}") from None


def check_open_directions(evaluator, model, atoms, stretch, text=""):
    """The cell vectors of open (non-periodic) directions stretched, the atoms kept in place."""
    cell = atoms.cell.array.copy()
    cell[~atoms.pbc] *= stretch
    other = atoms.copy()
    other.set_cell(cell, scale_atoms=False)
    other.info = dict(atoms.info)
    ratio = atoms.get_volume() / other.get_volume()
    one, two = evaluator.predict_many([atoms, other])
    open_axes = ", ".join("abc"[k] for k in range(3) if not atoms.pbc[k])
    assert_same_crystal(model, (atoms, one), (other, two), f"open cell vector {open_axes} × {stretch:.3g}, atoms kept",
                        "periodicity only along the periodic directions (E, forces and V σ unchanged)",
                        stress=lambda s: s * ratio, text=text)


class drawn_cell:
    """Context: a failure on a drawn cell ends with the cell and positions in full, so that a
    chemist can rebuild it (Hypothesis prints only the Atoms' repr)."""

    def __init__(self, atoms):
        self.atoms = atoms

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is not None and issubclass(kind, AssertionError):
            raise type(error)(f"{error}\nthe drawn cell: {crystals.listing(self.atoms)}") from None
        return False


# --- The crystal catalogue's compression ------------------------------------------------------

def _equilibrium(volumes, energies):
    """The volume of the minimum of a parabola through the lowest point of a scan and its neighbours."""
    i = int(np.argmin(energies))
    a, b, _ = np.polyfit(volumes[i - 1:i + 2], energies[i - 1:i + 2], 2)
    return -b / (2 * a) if a > 0 else volumes[i]


def check_compression(evaluator, model, entry):
    """The model's own equilibrium volume V0 from a scan of the entry's ideal crystal (a minimum
    inside it, else the crystal has a hole or does not bind), then a uniform compression to
    tol.COMPRESSION_VOLUME_FRACTIONS × V0: the energy rises at every step and, with a stress, the
    pressure is positive."""
    scan = crystals.equilibrium_scan(entry)
    outcomes = evaluator.predict_many(scan)
    energies = np.array([o.energy for o in outcomes])
    volumes = np.array([atoms.get_volume() for atoms in scan])
    per_atom = len(scan[0])
    i = int(np.argmin(energies))
    listed = ", ".join(f"{v / per_atom:.2f}: {e:.4f}" for v, e in zip(volumes, energies))
    if not 0 < i < len(scan) - 1:
        raise AssertionError(
            f"{entry.description}: the model's E(V) has no minimum between {volumes[0] / per_atom:.2f} and "
            f"{volumes[-1] / per_atom:.2f} Å³/atom (0.51–1.95 × the experimental volume); its lowest energy is "
            f"at the {'smallest' if i == 0 else 'largest'} volume scanned (Å³/atom: eV — {listed}): "
            + ("a crystal that keeps falling in energy as it is compressed has a hole" if i == 0 else
               "the crystal does not bind"))
    v0 = _equilibrium(volumes, energies)
    record("equilibrium_volume", f"{entry.name} equilibrium volume per atom", v0 / per_atom, None, None, "Å³/atom")
    linear0 = crystals.SCAN_LINEAR_FACTORS[i] * (v0 / volumes[i]) ** (1 / 3)
    fractions = tol.COMPRESSION_VOLUME_FRACTIONS
    squeezed = [crystals.compressed(entry, linear0 * x ** (1 / 3)) for x in fractions]
    points = evaluator.predict_many(squeezed)
    path = np.concatenate([[energies[i]], [p.energy for p in points]])
    rises = np.diff(path)
    allowed = energy_allowance(*path)
    k = int(np.argmin(rises))
    record("smallest_rise", f"smallest energy rise of {entry.name} along the compression", rises[k], None, None, "eV")
    where = [f"V0 = {v0 / per_atom:.2f} Å³/atom (scan minimum)"] + [f"{x:g} V0" for x in fractions]
    if not rises[k] > -allowed:
        raise AssertionError(
            f"{entry.description} compressed uniformly from the model's equilibrium volume V0 = {v0 / per_atom:.3f} Å³/atom: "
            f"from {where[k]} to {where[k + 1]} the energy drops by {-rises[k]:.4g} eV (tolerance {allowed:.2g} eV); "
            f"a compressed crystal must rise in energy at every step down to 0.5 V0 (a drop is a 'compression hole')\n"
            f"E along the path: {', '.join(f'{w}: {e:.4f} eV' for w, e in zip(where, path))}")
    if model.capabilities.stress:
        pressures = np.array([-np.sum(stress_of(p, a, model)[:3]) / 3 for p, a in zip(points, squeezed)])
        j = int(np.argmin(pressures))
        record("lowest_pressure", f"lowest pressure of {entry.name} along the compression", pressures[j] * GPA,
               None, None, "GPa")
        if not pressures[j] > 0:
            raise AssertionError(
                f"{entry.description} at {fractions[j]:g} V0 (V0 = {v0 / per_atom:.3f} Å³/atom, the model's equilibrium): "
                f"pressure −tr σ/3 = {pressures[j]:.4g} eV/Å³ ({pressures[j] * GPA:.3g} GPa); a crystal compressed "
                f"below its equilibrium volume pushes outwards, so its pressure must be positive\n"
                f"pressures: {', '.join(f'{x:g} V0: {p * GPA:.3g} GPa' for x, p in zip(fractions, pressures))}")


# --- A molecule that carries a cell, periodic along no axis --------------------------------------

def same_free_molecule(alone, boxed, name):
    """None, or the message of the first law the molecule carrying a cell breaks (each recorded)."""
    law = ("the molecule without a cell (with pbc off on every axis a cell means nothing: no atom is "
           "wrapped into it, none sees an image)")
    try:
        assert_close(boxed.energy, alone.energy, tolerance(alone.energy, tol.SAME_PREDICTION_RELATIVE,
                                                           tol.SAME_PREDICTION_ENERGY_EV), f"E of {name}", law,
                     key="energy")
        assert_vectors_close(boxed.forces, alone.forces, tolerance(alone.forces, tol.SAME_PREDICTION_RELATIVE,
                                                                   tol.SAME_PREDICTION_FORCE_EV_PER_A),
                             f"forces on {name}", law, key="forces")
    except AssertionError as error:
        return str(error)
    return None
