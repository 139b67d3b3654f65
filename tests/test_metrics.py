"""The curve metrics recover the known properties of analytic curves."""

import numpy as np
import pytest

from mlip_conformance.conformance.metrics import arena_metrics, fit_well, harmonic_wavenumber, minima, monotonicity_breaks, sign_changes
from mlip_conformance.references.constants import PROTIUM_MASS_U
from mlip_conformance.references.grids import H2_GRID_ANGSTROM

DE, A, RE = 4.7477, 1.9426, 0.74144   # a Morse fit of H2: eV, 1/Å, Å


def morse(r, depth=DE, a=A, r_e=RE):
    return depth * (1 - np.exp(-a * (r - r_e))) ** 2 - depth


def morse_force(r, depth=DE, a=A, r_e=RE):
    """Bond force −dV/dr (positive = repulsive)."""
    x = np.exp(-a * (r - r_e))
    return -2 * depth * a * x * (1 - x)


def test_fit_well_recovers_morse_minimum_and_curvature():
    well = fit_well(H2_GRID_ANGSTROM, morse(H2_GRID_ANGSTROM))
    assert well.r_e == pytest.approx(RE, abs=1e-5)
    assert well.energy == pytest.approx(-DE, abs=1e-6)
    assert well.curvature == pytest.approx(2 * DE * A ** 2, rel=1e-3)


def test_harmonic_wavenumber_of_morse_h2():
    # ωe = a √(2 De / μ) / (2πc): 4401 cm⁻¹ for these Morse parameters and μ = m(¹H)/2
    omega = harmonic_wavenumber(2 * DE * A ** 2, PROTIUM_MASS_U / 2)
    assert omega == pytest.approx(4401.0, rel=2e-3)


def test_morse_curve_has_one_minimum_no_breaks_and_one_force_flip():
    r = H2_GRID_ANGSTROM
    energy = morse(r)
    assert list(minima(energy, 1e-3)) == [int(np.argmin(energy))]
    assert monotonicity_breaks(r, energy, int(np.argmin(energy)), 1e-3) == []
    assert sign_changes(morse_force(r), 1e-2) == 1


def test_second_well_is_found_and_shallow_wiggles_are_ignored():
    r = H2_GRID_ANGSTROM
    second_well = morse(r) - 0.5 * np.exp(-((r - 2.5) ** 2) / 0.02)
    assert len(minima(second_well, 1e-3)) == 2
    # a 0.5 meV notch at 8 Å is a local minimum, but shallower than the 1 meV wiggle threshold
    notched = morse(r) + np.where(np.isclose(r, 8.0), -5e-4, 0.0)
    assert len(minima(notched, 0.0)) == 2
    assert len(minima(notched, 1e-3)) == 1


def test_monotonicity_break_reports_start_and_size():
    r = H2_GRID_ANGSTROM
    energy = morse(r) + np.where(r < 5.0, 0.02, 0.0)
    breaks = monotonicity_breaks(r, energy, int(np.argmin(energy)), 1e-3)
    assert len(breaks) == 1
    assert breaks[0][0] == pytest.approx(5.0)
    drop = (morse(4.75) + 0.02) - morse(5.0)   # from the last point inside the step
    assert breaks[0][1] == pytest.approx(-drop, abs=1e-12)


def test_sign_changes_ignore_noise_below_threshold():
    assert sign_changes(np.array([5.0, 1.0, 0.004, -0.003, 0.002, -1.0, -0.5]), 1e-2) == 1
    assert sign_changes(np.array([5.0, -1.0, 1.0, -1.0]), 1e-2) == 3


def test_arena_metrics_of_a_clean_morse_well():
    r = np.linspace(0.3, 6.0, 400)
    metrics = arena_metrics(r, morse(r), morse_force(r))
    assert metrics["force flips"] == 1 and metrics["energy-difference flips"] == 1
    assert metrics["tortuosity"] == pytest.approx(1.0, abs=1e-9)
    assert metrics["Spearman repulsion"] == pytest.approx(-1.0)
    assert metrics["Spearman attraction"] == pytest.approx(1.0)
    assert metrics["conservation deviation"] < 0.05
    # the only 'jump' of a clean well is the pair of steps around its minimum
    assert metrics["energy jump"] < 0.05


def test_arena_metrics_see_a_step_and_wrong_forces():
    r = np.linspace(0.3, 6.0, 400)
    stepped = morse(r) + np.where(r < 2.0, 0.2, 0.0)      # a 0.2 eV cutoff step at 2 Å
    metrics = arena_metrics(r, stepped, 1.5 * morse_force(r))
    assert metrics["energy-difference flips"] == 3
    assert metrics["energy jump"] > 0.2
    assert metrics["tortuosity"] > 1.02   # the 0.2 eV detour, up and back down, over a ~19 eV span
    assert metrics["conservation deviation"] > 0.3


def test_arena_metrics_of_a_repulsive_curve():
    r = np.linspace(0.3, 6.0, 200)
    energy, force = 10 * np.exp(-2 * r), 20 * np.exp(-2 * r)
    metrics = arena_metrics(r, energy, force)
    assert metrics["force flips"] == 0 and metrics["energy-difference flips"] == 0
    assert metrics["Spearman repulsion"] == pytest.approx(-1.0)
    assert metrics["tortuosity"] == pytest.approx(1.0)
