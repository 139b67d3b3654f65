"""Periodic systems: the laws of crystals, surfaces and boxes.

A periodic model describes an infinite crystal by one cell.  Whatever cell is chosen, the crystal
is the same: an n1×n2×n3 supercell has n1n2n3 times the energy and the same stress; an equivalent
cell (other lattice vectors of the same lattice), atoms moved by lattice vectors, a rotation or a
reflection of the whole crystal change nothing but the orientation of forces and stress.  Only the
periodic directions repeat: along an open direction the cell vector means nothing, and a molecule
in a box with enough vacuum is the free molecule, whichever directions are periodic.  The stress
is the strain derivative of the energy, σ = (1/V) ∂E/∂ε (eV/Å³, ASE's sign: negative under
compression), and the forces its negative gradient.  A real crystal compressed from the model's
own equilibrium volume to half of it rises in energy at every step, under positive pressure
(ml-peg's 'compression holes'); expanded until its atoms are far apart it becomes its free atoms.

Each law is checked on Hypothesis-drawn cells (random skewed lattice vectors, most shorter than
any model's cutoff, random positions, elements the model declares) and on the real structures of
conformance/crystals.py (CATALOGUE: diamond, rock salt, fcc Cu, hcp Mg, a Cu(111) slab, graphene
and a water molecule).  The laws are written once in conformance/periodic_laws.py; this module
builds the geometries (cells.py, cell_strategies.py, crystals.py) and applies them.  Models that declare periodic=False get every check as not applicable;
stress checks need stress=True too.  One law concerns no periodic cell and applies to every model: a
molecule carrying a cell, periodic along no axis (a 30 Å box, a 2 Å cube smaller than any cutoff, a
skewed cell), is the free molecule: several MLIP front ends build the neighbour list from the cell
whatever pbc says (torch-sim #575, fairchem PR #2129, nvalchemi-toolkit-ops #104).

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mlip_conformance.conformance import cell_strategies, cells, crystals, molecules, strategies, systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.assertions import assert_close, assert_vectors_close
from mlip_conformance.conformance.applicability import needs_mark
from mlip_conformance.conformance.periodic_laws import (
    check_compression, check_equivalent_cell, check_gradient, check_open_directions, check_rotation,
    check_strain_derivative, check_supercell, check_voigt_derivative, check_wrapping, drawn_cell,
    energy_allowance, force_allowance, same_free_molecule)
from mlip_conformance.references.atoms import GROUND_STATE_MULTIPLICITY

pytestmark = pytest.mark.law


# --- What applies -----------------------------------------------------------------------------

# Asking for `periodic` or `stress` declares the need (applicability.FIXTURE_NEEDS), decided at
# collection: the check runs only for a model that declares periodic cells (and stress).

@pytest.fixture
def periodic():
    pass


@pytest.fixture
def stress(periodic):
    pass


@pytest.fixture
def elements(capabilities, periodic):
    return crystals.drawable_elements(capabilities)


@pytest.fixture
def entry(request, periodic):
    """A catalogue entry (the parameter, which declares its elements: `catalogue`)."""
    return request.param


def catalogue(law):
    return pytest.mark.parametrize("entry", [pytest.param(e, id=e.name, marks=needs_mark(e.requirements))
                                             for e in crystals.entries_with(law)], indirect=True)


# --- Random cells (Hypothesis) ----------------------------------------------------------------

@pytest.mark.drawn
@pytest.mark.system("periodic cells")
def test_supercell_of_a_cell_is_extensive(evaluator, model, elements):
    fixed = cell_strategies.small_cell(cell_strategies.example_element(elements))

    @settings(max_examples=cell_strategies.cell_examples())
    @given(drawn=cell_strategies.periodic_cells(elements).flatmap(
        lambda atoms: st.tuples(st.just(atoms), cell_strategies.repeats_for(atoms.pbc))))
    @example(drawn=(fixed, (2, 1, 2)))
    def check(drawn):
        atoms, repeats = drawn
        with drawn_cell(atoms):
            check_supercell(evaluator, model, atoms, repeats)

    check()


@pytest.mark.drawn
@pytest.mark.system("periodic cells")
def test_cell_open_directions_do_not_matter(evaluator, model, elements):
    fixed = cell_strategies.small_cell(cell_strategies.example_element(elements), (True, True, False))

    @settings(max_examples=cell_strategies.cell_examples())
    @given(atoms=cell_strategies.periodic_cells(elements, pbc=cell_strategies.pbc_masks("partial")), stretch=st.floats(1.5, 3.0))
    @example(atoms=fixed, stretch=2.0)
    def check(atoms, stretch):
        with drawn_cell(atoms):
            check_open_directions(evaluator, model, atoms, stretch)

    check()


@pytest.mark.drawn
@pytest.mark.system("periodic cells")
def test_equivalent_cell_describes_the_same_crystal(evaluator, model, elements):
    fixed = cell_strategies.small_cell(cell_strategies.example_element(elements))

    @settings(max_examples=cell_strategies.cell_examples())
    @given(atoms=cell_strategies.periodic_cells(elements, pbc=cell_strategies.pbc_masks("full")),
           matrix=cell_strategies.unimodular_matrices())
    @example(atoms=fixed, matrix=np.array([[1, 2, 0], [0, 1, 0], [0, -1, 1]]))
    def check(atoms, matrix):
        with drawn_cell(atoms):
            check_equivalent_cell(evaluator, model, atoms, matrix)

    check()


@pytest.mark.drawn
@pytest.mark.system("periodic cells")
def test_atoms_moved_by_lattice_vectors_change_nothing(evaluator, model, elements):
    fixed = cell_strategies.small_cell(cell_strategies.example_element(elements))

    @settings(max_examples=cell_strategies.cell_examples())
    @given(drawn=cell_strategies.periodic_cells(elements).flatmap(
        lambda atoms: st.tuples(st.just(atoms), cell_strategies.lattice_shifts(len(atoms), atoms.pbc))))
    @example(drawn=(fixed, np.array([[2, -3, 1], [0, 0, 0]])))
    def check(drawn):
        atoms, shifts = drawn
        with drawn_cell(atoms):
            check_wrapping(evaluator, model, atoms, shifts)

    check()


@pytest.mark.drawn
@pytest.mark.system("periodic cells")
def test_rotated_or_reflected_cell_is_the_same_crystal(evaluator, model, elements):
    fixed = cell_strategies.small_cell(cell_strategies.example_element(elements))

    @settings(max_examples=cell_strategies.cell_examples())
    @given(atoms=cell_strategies.periodic_cells(elements), rotation=strategies.rotations())
    @example(atoms=fixed, rotation=crystals.CATALOGUE_ROTATION)
    @example(atoms=cell_strategies.mirror_cell(elements[0]), rotation=cell_strategies.Z_MIRROR)
    def check(atoms, rotation):
        with drawn_cell(atoms):
            check_rotation(evaluator, model, atoms, rotation)

    check()


@pytest.mark.drawn
@pytest.mark.system("periodic cells")
def test_cell_stress_is_the_strain_derivative_of_the_energy(evaluator, model, stress, elements):
    fixed = cell_strategies.small_cell(cell_strategies.example_element(elements))
    at_cutoff = cell_strategies.cutoff_cell(cell_strategies.example_element(elements), model.capabilities.cutoff)

    @settings(max_examples=cell_strategies.cell_examples())
    @given(atoms=cell_strategies.periodic_cells(elements, pbc=cell_strategies.pbc_masks("full")),
           direction=cell_strategies.strain_directions())
    @example(atoms=fixed, direction=np.diag([1.0, 1.0, 1.0]) / np.sqrt(3.0))
    @example(atoms=at_cutoff, direction=np.diag([1.0, 1.0, 1.0]) / np.sqrt(3.0))
    def check(atoms, direction):
        with drawn_cell(atoms):
            check_strain_derivative(evaluator, model, atoms, direction)

    check()


@pytest.mark.drawn
@pytest.mark.system("periodic cells")
def test_cell_forces_are_the_energy_gradient(evaluator, model, elements):
    fixed = cell_strategies.small_cell(cell_strategies.example_element(elements))
    at_cutoff = cell_strategies.cutoff_cell(cell_strategies.example_element(elements), model.capabilities.cutoff)

    @settings(max_examples=cell_strategies.cell_examples())
    @given(drawn=cell_strategies.periodic_cells(elements).flatmap(
        lambda atoms: st.tuples(st.just(atoms), cell_strategies.displacement_directions(len(atoms)))))
    @example(drawn=(fixed, crystals.catalogue_displacement(fixed)))
    @example(drawn=(at_cutoff, crystals.catalogue_displacement(at_cutoff)))
    def check(drawn):
        atoms, direction = drawn
        with drawn_cell(atoms):
            check_gradient(evaluator, atoms, direction)

    check()


# --- Real structures (the catalogue) ------------------------------------------------------------

@pytest.mark.system("crystals")
@catalogue("extensive")
def test_crystal_supercell_is_extensive(evaluator, model, entry):
    check_supercell(evaluator, model, entry.structure(), entry.repeats, f" [{entry.description}]")


@pytest.mark.system("crystals")
@catalogue("equivalent_cell")
def test_crystal_in_an_equivalent_cell_is_the_same(evaluator, model, entry):
    check_equivalent_cell(evaluator, model, entry.structure(), entry.cell_matrix, f" [{entry.description}]")


@pytest.mark.system("crystals")
@catalogue("wrapping")
def test_crystal_with_atoms_moved_by_lattice_vectors_is_the_same(evaluator, model, entry):
    atoms = entry.structure()
    check_wrapping(evaluator, model, atoms, crystals.catalogue_shifts(atoms), f" [{entry.description}]")


@pytest.mark.system("crystals")
@catalogue("rotation")
def test_crystal_rotated_and_reflected_is_the_same(evaluator, model, entry):
    check_rotation(evaluator, model, entry.structure(), crystals.CATALOGUE_ROTATION, f" [{entry.description}]")


@pytest.mark.system("crystals")
@catalogue("stress")
def test_crystal_stress_is_the_strain_derivative_of_the_energy(evaluator, model, stress, entry):
    check_voigt_derivative(evaluator, model, entry.structure(), f" [{entry.description}]")


@pytest.mark.system("crystals")
@catalogue("forces")
def test_crystal_forces_are_the_energy_gradient(evaluator, entry):
    atoms = entry.structure()
    check_gradient(evaluator, atoms, crystals.catalogue_displacement(atoms), f" [{entry.description}]")


@pytest.mark.system("crystals")
@catalogue("compression")
def test_crystal_compression_raises_energy_and_pressure(evaluator, model, entry):
    check_compression(evaluator, model, entry)


@pytest.mark.system("crystals")
@catalogue("separation")
def test_crystal_expanded_becomes_its_free_atoms(evaluator, model, entry):
    ideal = entry.build()
    distance = crystals.separation_distance(model.capabilities)
    far = cells.expanded(ideal, distance)
    free = crystals.isolated_atoms(ideal)
    outcomes = evaluator.predict_many([far, *free.values()])
    atoms_energy = dict(zip(free, (o.energy for o in outcomes[1:])))
    total = sum(atoms_energy[s] for s in ideal.get_chemical_symbols())
    spins = ", ".join(f"{s} multiplicity {GROUND_STATE_MULTIPLICITY[s]}" for s in free)
    assert_close(outcomes[0].energy - total, 0.0, tol.CRYSTAL_SEPARATION_EV,
                 f"E({entry.description} expanded until nearest neighbours are {distance:g} Å apart) − "
                 f"Σ E(free atoms: {spins})",
                 "separated atoms do not interact (the crystal's energy tends to its free atoms')",
                 key="separation_energy")


# --- A molecule in a box, under every combination of periodic directions ------------------------

(WATER,) = crystals.entries_with("box")


@pytest.fixture
def water(periodic):
    """The catalogue's molecule (the check declares its elements)."""
    return WATER


@pytest.mark.system("molecule in a box")
@pytest.mark.needs(WATER.requirements)
@pytest.mark.parametrize("mask", crystals.ALL_MASKS, ids=[f"pbc={crystals.pbc_label(m)}" for m in crystals.ALL_MASKS])
def test_molecule_in_a_periodic_box_is_the_free_molecule(evaluator, model, water, mask):
    free = water.build()
    gap = crystals.box_gap(model.capabilities)
    boxed = cells.boxed(free, gap, mask)
    alone, inside = evaluator.predict_many([free, boxed])
    name = f"{water.description} in a box periodic {crystals.pbc_label(mask)} with {gap:g} Å of vacuum"
    law = "isolation (no atom sees an image within the cutoff: the free molecule, pbc off)"
    assert_close(inside.energy, alone.energy, energy_allowance(alone.energy), f"E of {name}", law, key="energy")
    assert_vectors_close(inside.forces, alone.forces, force_allowance(alone.forces), f"forces on {name}", law,
                         key="forces")


# --- A molecule that carries a cell, periodic along no axis --------------------------------------

@pytest.fixture
def cell_law_molecule(request):
    """The molecule of the parameter (which declares what it needs: no periodic direction is
    involved, so the law applies whatever the model declares about periodic cells)."""
    return request.param


@pytest.mark.system("molecule with a cell")
@pytest.mark.parametrize("cell_law_molecule", [pytest.param(entry, id=name, marks=needs_mark(entry.requirements))
                                               for name, entry in molecules.CELL_LAW_MOLECULES.items()], indirect=True)
def test_molecule_ignores_a_cell_when_no_direction_is_periodic(evaluator, cell_law_molecule):
    free = molecules.at_the_cell_origin(cell_law_molecule)
    carrying = [molecules.in_a_cell(free, cell) for _, cell in molecules.STRAY_CELLS]
    alone, *boxed = evaluator.predict_many([free] + carrying)
    alone.unwrap()   # no answer for the free molecule: the failure names it, not the cells
    what = f"{cell_law_molecule.note}, {systems.describe(free)}, centred on the cell's corner"
    broken = [message for (cell, _), outcome in zip(molecules.STRAY_CELLS, boxed)
              if (message := same_free_molecule(alone, outcome, f"{what}, carrying {cell} (pbc off)"))]
    assert not broken, "\n".join(broken)
