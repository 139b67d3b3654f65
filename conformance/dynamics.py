"""Short NVE runs: velocity-Verlet dynamics on the model's forces, and what they say about it.

For a model whose forces are the gradient of a smooth energy, velocity Verlet conserves the total
energy up to its own O(dt²) error; forces that are not −∇E, or an energy step the trajectory
crosses, pump energy in or out whatever dt is.  A run is made at dt and again at dt/2 over the
same time, from the same velocities: the verdict compares their errors
(drift_survives_refinement), never a fixed drift threshold.

The geometries of a run depend on the model's own forces, so they cannot be planned and
prefetched (conformance/planning.py lists none): each step is one call through the run's
Evaluator (evaluate_afresh, nothing cached), so a NaN, an exception or a hang of the model fails
the check at that step with the Evaluator's message naming model and geometry.
"""

from dataclasses import dataclass

import numpy as np
from ase import units
from ase.calculators.calculator import Calculator, all_changes
from ase.collections import s22
from ase.data import atomic_masses, atomic_numbers
from ase.md import velocitydistribution
from ase.md.velocitydistribution import Stationary, ZeroRotation
from ase.md.verlet import VelocityVerlet
from ase.optimize import BFGS

from mlip_conformance.conformance import crystals, molecules, systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.applicability import Needs, structure_needs
from mlip_conformance.conformance.assertions import tolerance

__all__ = ["NveSystem", "SYSTEMS", "BY_NAME", "time_step_fs", "Trajectory", "Blowup",
           "relaxed", "run_nve", "drift_survives_refinement", "noise_floor"]


@dataclass(frozen=True)
class NveSystem:
    name: str           # the test id
    kind: str           # molecule, cluster or crystal
    description: str    # a chemist's words
    build: object       # () -> Atoms with charge and spin in atoms.info
    seed: int           # of the Maxwell–Boltzmann velocities

    @property
    def periodic(self):
        return self.kind == "crystal"

    @property
    def requirements(self):
        """What the run asks of a model: its elements and electrons, periodic cells for a crystal."""
        return structure_needs(self.build()) | Needs(periodic=self.periodic)


def _water_dimer():
    atoms = s22["Water_dimer"]
    return systems.structure(atoms.get_chemical_symbols(), atoms.positions)


def _diamond():
    """The crystal catalogue's diamond (conformance/crystals.py), at its ideal sites.  Its 2-atom
    primitive cell rather than the 8-atom cubic one: SevenNet-0 takes 236 ms of CPU per call on the
    cubic cell (every atom sees ~80 neighbours within its 5 Å cutoff) against 62 ms on the
    primitive cell, and the NVE checks must stay a small part of a run."""
    return next(entry for entry in crystals.CATALOGUE if entry.name == "diamond").build()


SYSTEMS = (
    NveSystem("H2O", "molecule", "a water molecule (G2 geometry)", lambda: molecules.BY_NAME["H2O"].atoms(), 1),
    NveSystem("water-dimer", "cluster", "the hydrogen-bonded water dimer (S22 geometry)", _water_dimer, 2),
    NveSystem("diamond", "crystal", "diamond C, 2-atom primitive cell (a = 3.567 Å)", _diamond, 3),
)
BY_NAME = {system.name: system for system in SYSTEMS}


def time_step_fs(atoms):
    """The coarse step: NVE_HYDROGEN_TIME_STEP_FS scaled by √(m/m_H) of the lightest element."""
    lightest = min(atomic_masses[z] for z in atoms.numbers)
    return tol.NVE_HYDROGEN_TIME_STEP_FS * float(np.sqrt(lightest / atomic_masses[atomic_numbers["H"]]))


class Blowup(AssertionError):
    """The run left physics: atoms flew apart or the temperature ran away (message: step, numbers)."""


@dataclass(frozen=True)
class Trajectory:
    time_step_fs: float
    times_fs: np.ndarray
    total: np.ndarray      # eV, potential + kinetic at each step
    kinetic: np.ndarray    # eV
    n_atoms: int

    @property
    def error(self):
        """RMS deviation of the total energy from its start (eV): oscillation, steps and drift."""
        return float(np.sqrt(np.mean((self.total - self.total[0]) ** 2)))

    @property
    def duration_fs(self):
        return float(self.times_fs[-1] - self.times_fs[0])

    @property
    def drift(self):
        """|fitted drift| × the run's duration (eV): the energy the drift moved over the run."""
        return abs(self.drift_rate) * 1e-3 * self.n_atoms * self.duration_fs * 1e-3

    @property
    def drift_rate(self):
        """Slope of a linear fit of the total energy against time, in meV/atom/ps."""
        slope = np.polyfit(self.times_fs * 1e-3, self.total, 1)[0]
        return float(slope * 1e3 / self.n_atoms)

    @property
    def relative_drift(self):
        """The fitted drift over the run divided by the RMS fluctuation of the kinetic energy
        (mlipaudit's energy-conservation measure): ≪ 1 where the dynamics is sound."""
        return self.drift / max(float(np.std(self.kinetic)), np.finfo(float).tiny)


class _EvaluatorCalculator(Calculator):
    """An ASE calculator that asks the run's Evaluator, one fresh call per geometry: the model's
    failures become the Evaluator's PredictionError (naming model and geometry)."""

    implemented_properties = ["energy", "forces"]

    def __init__(self, evaluator):
        super().__init__()
        self.evaluator = evaluator

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        __tracebackhide__ = True
        prediction = self.evaluator.evaluate_afresh([self.atoms], batched=False)[0].unwrap()
        self.results = {"energy": prediction.energy, "forces": prediction.forces}


def relaxed(evaluator, system):
    """The system relaxed on the model's own surface (BFGS, at most NVE_RELAX_MAX_STEPS steps,
    to NVE_RELAX_FORCE_EV_PER_A): a run started far from the model's minimum turns the strain into
    heat and is no longer a 300 K run.  The runs at dt and dt/2 start from the same relaxed geometry."""
    atoms = system.build()
    atoms.calc = _EvaluatorCalculator(evaluator)
    try:
        BFGS(atoms, logfile=None).run(fmax=tol.NVE_RELAX_FORCE_EV_PER_A, steps=tol.NVE_RELAX_MAX_STEPS)
    except AssertionError as error:   # the Evaluator's PredictionError
        raise type(error)(f"{error} (relaxing {system.name} before its NVE run)") from None
    atoms.calc = None
    return atoms


def _maxwell_boltzmann(atoms, temperature_k, rng):
    # ASE 3.29 deprecates MaxwellBoltzmannDistribution for thermalize_momenta, which older ASE
    # (the suite supports >= 3.23) lacks
    draw = getattr(velocitydistribution, "thermalize_momenta", None)
    if draw is None:
        velocitydistribution.MaxwellBoltzmannDistribution(atoms, temperature_K=temperature_k, rng=rng)
    else:
        draw(atoms, temperature_k, rng=rng)


def _starting_state(system, start):
    atoms = start.copy()
    _maxwell_boltzmann(atoms, tol.NVE_TEMPERATURE_K, np.random.default_rng(system.seed))
    Stationary(atoms)   # zero total momentum: the centre of mass stays put
    if not system.periodic:
        ZeroRotation(atoms)   # a free molecule's rotation only carries kinetic energy around
    # a few atoms draw a temperature far from 300 K: scale to it exactly
    atoms.set_momenta(atoms.get_momenta() * np.sqrt(tol.NVE_TEMPERATURE_K / atoms.get_temperature()))
    return atoms


def _nearest_neighbours(atoms):
    distances = atoms.get_all_distances(mic=bool(atoms.pbc.any()))
    np.fill_diagonal(distances, np.inf)
    return distances.min(axis=1)


def run_nve(evaluator, system, start, refinement=1):
    """Velocity Verlet at dt / refinement for NVE_STEPS × refinement steps (the same time span
    whatever the refinement), from the system's seeded velocities.  Raises PredictionError at a
    step the model gives no usable answer for, Blowup when the run leaves physics."""
    atoms = _starting_state(system, start)
    atoms.calc = _EvaluatorCalculator(evaluator)
    dt = time_step_fs(atoms) / refinement
    steps = tol.NVE_STEPS * refinement
    dynamics = VelocityVerlet(atoms, timestep=dt * units.fs)
    start_neighbours = _nearest_neighbours(atoms)
    total, kinetic = [], []
    forces = None
    for step in range(steps + 1):
        try:
            if step:
                forces = dynamics.step(forces)
            else:
                forces = atoms.get_forces()
        except AssertionError as error:   # the Evaluator's PredictionError
            raise type(error)(f"{error} (at step {step} of the NVE run of {system.name} with dt = {dt:.3g} fs, "
                              f"t = {step * dt:.4g} fs)") from None
        kinetic.append(atoms.get_kinetic_energy())
        total.append(atoms.get_potential_energy() + kinetic[-1])
        _check_sound(atoms, system, step, dt, total, kinetic[0], start_neighbours)
    return Trajectory(dt, np.arange(steps + 1) * dt, np.array(total), np.array(kinetic), len(atoms))


def _check_sound(atoms, system, step, dt, total, start_kinetic, start_neighbours):
    where = f"the NVE run of {system.name} blew up at step {step} (t = {step * dt:.4g} fs, dt = {dt:.3g} fs)"
    moved = total[-1] - total[0]
    if abs(moved) > tol.NVE_RUNAWAY_FRACTION_OF_KINETIC * start_kinetic:
        temperature = 2 * atoms.get_kinetic_energy() / (3 * len(atoms) * units.kB)
        raise Blowup(f"{where}: the temperature ran away: the total energy moved by {moved:+.4g} eV, more than "
                     f"the {start_kinetic:.4g} eV of kinetic energy the run started with "
                     f"({tol.NVE_TEMPERATURE_K:.0f} K); the atoms are now at {temperature:.0f} K")
    ratio = _nearest_neighbours(atoms) / start_neighbours
    worst = int(np.argmax(ratio))
    if ratio[worst] > tol.NVE_FLY_APART_FACTOR:
        raise Blowup(f"{where}: the atoms fly apart: atom {worst} ({atoms.get_chemical_symbols()[worst]}) has its "
                     f"nearest neighbour {ratio[worst] * start_neighbours[worst]:.3g} Å away, "
                     f"{ratio[worst]:.2g}× the {start_neighbours[worst]:.3g} Å it started with")


def noise_floor(trajectory):
    """The float32 round-off of the total energy: below it an error has nothing to refine."""
    return tolerance(float(np.mean(np.abs(trajectory.total))), tol.NVE_NOISE_RELATIVE, tol.NVE_NOISE_ENERGY_EV)


def drift_survives_refinement(coarse, fine, floor):
    """True when an energy error that velocity Verlet's own would shrink ~4× on halving dt
    shrank by less than NVE_REFINEMENT_MIN_RATIO: the error is the model's.  An error at dt/2
    below the round-off floor has shrunk as far as can be measured.  (The one place the
    refinement decision is made, so that it can be routed through a generic refinement.)"""
    if fine <= floor:
        return False
    return coarse < tol.NVE_REFINEMENT_MIN_RATIO * fine
