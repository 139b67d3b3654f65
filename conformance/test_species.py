"""Species support: a model that declares an element answers every small structure made of it.

OpenKIM's SpeciesSupportedAsStated, for molecules.  For each declared element: its isolated atom
(in its ground-state spin), a compact cluster of four of its atoms and, for a model that reads
charge, its cation and anion; for every pair of declared elements: a cluster that holds both
(a greedy covering of all pairs by 4-atom clusters, conformance/species.py); and random clusters
of 1–4 declared atoms at bonding distances.  Each must get a finite energy and finite forces, and
an isolated atom no force at all.  Crashes on single atoms or on ions are a known failure of real
models (fairchem#1388, fairchem#1212, chgnet#35).  A model that declares elements=None is asked
about H–Pu.

PYTEST_DONT_REWRITE: the messages below are written for chemists; pytest's introspection
of the assert expression would only add noise.
"""

import itertools
from collections import Counter

import numpy as np
import pytest
from hypothesis import given

from mlip_conformance.conformance import species, strategies, systems
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.conformance.measurements import record
from mlip_conformance.conformance.applicability import Needs, needs_mark, not_applicable

pytestmark = [pytest.mark.law, pytest.mark.system("species")]

SHOWN = 6
"""Unanswered structures listed in a message (the count says how many there are)."""


def _listing(failures):
    lines = [f"  {systems.describe(atoms)}: {error.split(': got ', 1)[-1]}" for atoms, error in failures[:SHOWN]]
    if len(failures) > SHOWN:
        lines.append(f"  … and {len(failures) - SHOWN} more")
    return "\n".join(lines)


@pytest.mark.parametrize("symbol", [pytest.param(s, marks=needs_mark(Needs(elements=(s,)))) for s in species.DEFAULT_ELEMENTS])
def test_declared_element_is_supported(evaluator, capabilities, model, symbol):
    alone = species.element_structures(symbol, capabilities)
    clusters = species.homonuclear_clusters(capabilities)
    if not alone and symbol not in clusters:
        not_applicable(f"{model.name} declares that it answers at most "
                    f"{capabilities.max_electrons} electrons")
    outcomes = evaluator.predict_many(alone)
    failures = [(atoms, str(outcome.value)) for atoms, outcome in zip(alone, outcomes) if not outcome.ok]
    if symbol in clusters:
        names = list(clusters)
        failed = species.unanswered(evaluator, list(clusters.values()), capabilities)
        failures += [(clusters[symbol], failed[names.index(symbol)])] if names.index(symbol) in failed else []
    asked = len(alone) + (symbol in clusters)
    record("unanswered", f"structures of {symbol} without an answer", len(failures), reference=0, tolerance=0)
    assert not failures, (
        f"{model.name} declares {symbol}, yet gives no energy and forces for {len(failures)} of the "
        f"{asked} structures made of it (the atom, a cluster, its ions):\n{_listing(failures)}")
    for atoms, outcome in zip(alone, outcomes):
        if len(atoms) == 1:
            force = float(np.linalg.norm(outcome.forces))
            record("isolated_atom_force", f"|F| on an isolated {symbol}", force, reference=0.0,
                   tolerance=tol.NEWTON_THIRD_LAW_EV_PER_A, units="eV/Å")
            assert force <= tol.NEWTON_THIRD_LAW_EV_PER_A, (
                f"{systems.describe(atoms)}: a force of {force:.3g} eV/Å on an isolated atom; nothing acts on "
                f"it, so it must be zero (≤ {tol.NEWTON_THIRD_LAW_EV_PER_A:g} eV/Å)")


def _failing_pairs(evaluator, failures):
    """The pairs of the unanswered clusters that are unanswered on their own (as touching dimers)."""
    pairs = sorted({pair for atoms, _ in failures
                    for pair in itertools.combinations(sorted(set(atoms.get_chemical_symbols())), 2)})
    dimers = [species.tetrahedron(pair) for pair in pairs]
    return [f"{a}–{b}" for (a, b), outcome in zip(pairs, evaluator.predict_many(dimers)) if not outcome.ok]


def _most_often_unanswered(clusters, failures, shown=8):
    """'Ce (32 of its 32 clusters), …' for the elements with the largest share of unanswered clusters."""
    counts = lambda structures: Counter(s for atoms in structures for s in set(atoms.get_chemical_symbols()))   # noqa: E731
    total, failed = counts(clusters), counts(atoms for atoms, _ in failures)
    ranked = sorted(failed, key=lambda s: (-failed[s] / total[s], -failed[s], s))[:shown]
    return ", ".join(f"{s} ({failed[s]} of its {total[s]} clusters)" for s in ranked)


def test_every_pair_of_declared_elements_is_supported(evaluator, capabilities, model):
    clusters = species.covering_clusters(capabilities)
    if not clusters:
        not_applicable(f"{model.name} declares no two elements it can answer together "
                    f"(at most {capabilities.max_electrons} electrons)")
    failed = species.unanswered(evaluator, clusters, capabilities)
    failures = [(clusters[index], error) for index, error in sorted(failed.items())]
    elements = species.declared_elements(capabilities)
    record("clusters", "clusters covering every pair of declared elements", len(clusters))
    record("evaluations", "structures evaluated for them (clusters side by side where the model allows)",
           len(species.grouped(clusters, capabilities)))
    record("unanswered_clusters", "clusters without an answer", len(failures), reference=0, tolerance=0)
    if not failures:
        return
    common = set.intersection(*(set(atoms.get_chemical_symbols()) for atoms, _ in failures))
    pairs = _failing_pairs(evaluator, failures) if len(failures) <= 20 else []
    diagnosis = (f" Every one of them contains {', '.join(sorted(common))}." if common else
                 f" The elements in most of them: {_most_often_unanswered(clusters, failures)}.")
    diagnosis += (f" Pairs unanswered on their own: {', '.join(pairs)}." if pairs else "")
    raise AssertionError(
        f"{model.name} declares {len(elements)} elements, yet gives no energy and forces for {len(failures)} "
        f"of the {len(clusters)} clusters that put every pair of them side by side (each pair at the sum "
        f"of its covalent radii).{diagnosis}\n{_listing(failures)}")


@pytest.mark.drawn
def test_random_clusters_of_declared_elements_are_supported(evaluator, capabilities, model):
    symbols = species.declared_elements(capabilities)
    if not symbols:
        not_applicable(f"{model.name} declares no element")
    if not any(capabilities.affords(systems.electron_count([s])) for s in symbols):
        not_applicable(f"{model.name} declares that it answers at most "
                    f"{capabilities.max_electrons} electrons")

    @given(cluster=strategies.clusters(symbols, species.radius, tol.SPECIES_BOND_RANGE,
                                       tol.SPECIES_MIN_SEPARATION, capabilities.max_electrons))
    def check(cluster):
        outcome = evaluator.predict_many([cluster])[0]
        assert outcome.ok, (
            f"{model.name} declares {', '.join(sorted(set(cluster.get_chemical_symbols())))}, yet gives no "
            f"energy and forces for {systems.describe(cluster)}: {str(outcome.value).split(': got ', 1)[-1]}")

    check()
