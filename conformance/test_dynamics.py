"""Energy conservation in NVE dynamics: a molecule, a cluster and (for periodic models) a crystal.

For a conservative, smooth model, velocity-Verlet dynamics conserves the total energy up to the
integrator's own O(dt²) error.  Forces that are not the gradient of the energy (a direct force
head, a curl, forces scaled on some atoms; Bigi, Langer & Ceriotti, arXiv 2412.11569) and energy
steps the trajectory crosses pump energy in or out whatever the step.  Each system is relaxed on
the model's surface, given 300 K Maxwell–Boltzmann velocities from a fixed seed (zero total
momentum) and run twice over the same time: at dt (set by its lightest element) and at dt/2.  The
verdict is the refinement's: the RMS deviation of the total energy from its start, and its fitted
drift, must shrink about 4× (at least NVE_REFINEMENT_MIN_RATIO) or fall below float32 round-off.
A run that blows up (NaN, an exception, atoms flying apart, the temperature running away) fails
at its step with the numbers.

The runs' geometries follow the model's own forces: they cannot be planned or prefetched, and are
evaluated one by one through the Evaluator's error handling (conformance/dynamics.py).

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import pytest

from mlip_conformance.conformance import dynamics
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.applicability import needs_mark
from mlip_conformance.conformance.measurements import record

# drawn: the geometries are made during the test (not planned), and each check takes seconds: under
# pytest-xdist they go first, with the Hypothesis checks (plugin.py, _run_drawn_checks_first)
pytestmark = [pytest.mark.law, pytest.mark.system("nve dynamics"), pytest.mark.drawn]


@pytest.fixture
def nve_system(request):
    """The system of the parameter (which declares what it needs of the model)."""
    return request.param


def _record(trajectory, label):
    record(f"drift_rate_{label}", f"fitted drift of the total energy at dt = {trajectory.time_step_fs:.3g} fs",
           trajectory.drift_rate, units="meV/atom/ps")
    record(f"energy_error_{label}", f"RMS deviation of the total energy from its start at dt = "
           f"{trajectory.time_step_fs:.3g} fs", trajectory.error * 1e3, units="meV")
    record(f"relative_drift_{label}", f"drift over the run / kinetic-energy fluctuation at dt = "
           f"{trajectory.time_step_fs:.3g} fs", trajectory.relative_drift)


@pytest.mark.parametrize("nve_system", [pytest.param(system, id=system.name, marks=needs_mark(system.requirements))
                                        for system in dynamics.SYSTEMS], indirect=True)
def test_nve_total_energy_is_conserved(evaluator, model, nve_system):
    start = dynamics.relaxed(evaluator, nve_system)
    coarse = dynamics.run_nve(evaluator, nve_system, start, refinement=1)
    fine = dynamics.run_nve(evaluator, nve_system, start, refinement=2)
    _record(coarse, "dt")
    _record(fine, "half_dt")
    floor = dynamics.noise_floor(fine)
    record("noise_floor", "float32 round-off of the total energy, max(1e-5 |E|, 0.1 meV)", floor * 1e3, units="meV")
    survivors = [what for what, (a, b) in {"RMS deviation": (coarse.error, fine.error),
                                           "drift": (coarse.drift, fine.drift)}.items()
                 if dynamics.drift_survives_refinement(a, b, floor)]
    record("refinement_ratio", "RMS total-energy deviation at dt / at dt/2 (velocity Verlet: 4)",
           coarse.error / max(fine.error, 1e-300))
    assert not survivors, (
        f"{model.name} does not conserve energy in NVE dynamics of {nve_system.description} "
        f"({coarse.n_atoms} atoms, {tol.NVE_TEMPERATURE_K:.0f} K, {coarse.duration_fs:.4g} fs): the total energy "
        f"drifts by {coarse.drift_rate:+.4g} meV/atom/ps at dt = {coarse.time_step_fs:.3g} fs and "
        f"{fine.drift_rate:+.4g} meV/atom/ps at dt = {fine.time_step_fs:.3g} fs (ratio "
        f"{coarse.drift / max(fine.drift, 1e-300):.3g}; drift over the run "
        f"{coarse.relative_drift:.3g} and {fine.relative_drift:.3g} × the kinetic-energy fluctuation), and deviates "
        f"from its start by {coarse.error * 1e3:.4g} meV and {fine.error * 1e3:.4g} meV RMS (ratio "
        f"{coarse.error / max(fine.error, 1e-300):.3g}). Halving the step shrinks velocity Verlet's own error "
        f"about 4×; the {' and the '.join(survivors)} shrank less than {tol.NVE_REFINEMENT_MIN_RATIO:g}× and stayed "
        f"above the {floor * 1e3:.3g} meV round-off floor: the model itself pumps energy in or out (forces that "
        "are not the gradient of its energy, or an energy step the atoms cross)")
