"""Species support: small clusters of every element a model declares, and of every pair of them.

OpenKIM's SpeciesSupportedAsStated check, done for molecules: a model that declares an element
must give a finite energy and finite forces for its isolated atom (and, if it reads charge, the
atom's cation and anion), for a small cluster of it, and for clusters with every other declared
element.  Every pair of declared elements is covered by few clusters: a deterministic greedy
covering of the pairs by 4-atom clusters (for 89 elements about 760 clusters for 3916 pairs; the
lower bound is 668), each a tetrahedron of mutually touching covalent spheres.

A model that declares no element list (elements=None) claims every element; it is asked about
DEFAULT_ELEMENTS, hydrogen to plutonium, the range foundation data sets span (MPtrj reaches Pu).

A model that reads neither charge nor spin and declares a cutoff gets its clusters (not its atoms
and ions) GROUP_SIZE at a time, side by side in one structure, each cluster further than the cutoff
from every other: by its own declaration the clusters do not interact, so the structure holds each
cluster's own environment, and a finite answer for it is a finite answer for each of them.  A group
without an answer is evaluated cluster by cluster, so the clusters that fail are named.  For
SevenNet-0 this makes the 723 pair clusters 46 calls (7.7 instead of 27 ms a cluster).  A model that
reads charge or spin gets every cluster on its own (a group would be another charge and spin state).
"""

import itertools
from functools import lru_cache

import numpy as np
from ase.data import atomic_numbers, covalent_radii

from mlip_conformance.conformance import systems
from mlip_conformance.references.atoms import GROUND_STATE_MULTIPLICITY

__all__ = ["DEFAULT_ELEMENTS", "GROUP_SIZE", "declared_elements",
           "neutral_atom", "ions", "radius", "homonuclear_cluster", "homonuclear_clusters", "pair_covering",
           "covering_clusters", "tetrahedron", "element_structures", "groupable", "grouped", "unanswered",
           "planned_structures"]

DEFAULT_ELEMENTS = tuple(GROUND_STATE_MULTIPLICITY)
"""H–Pu (Z = 1–94): the elements a model that declares elements=None is asked about."""


def declared_elements(capabilities):
    """The elements a model is asked about: those it declares within DEFAULT_ELEMENTS (all of them
    for elements=None), ordered by atomic number."""
    if capabilities.elements is None:
        return list(DEFAULT_ELEMENTS)
    return sorted((s for s in capabilities.elements if s in GROUND_STATE_MULTIPLICITY), key=atomic_numbers.get)


def neutral_atom(symbol):
    """The neutral atom in its ground-state multiplicity."""
    return systems.atom(symbol, 0, GROUND_STATE_MULTIPLICITY[symbol])


def ions(symbol):
    """X⁺ and X⁻, each in a valid spin state (one unpaired electron fewer than the neutral atom,
    or one more if it has none): species support asks for an answer, not for the ion's ground state."""
    found = []
    for charge in (1, -1):
        if atomic_numbers[symbol] - charge < 0:
            continue
        neutral = GROUND_STATE_MULTIPLICITY[symbol]
        found.append(systems.atom(symbol, charge, neutral - 1 if neutral > 1 else 2))
    return found


def radius(symbol):
    """Covalent radius, Å (B. Cordero et al., Dalton Trans. 2008, 2832, as ASE ships them)."""
    return float(covalent_radii[atomic_numbers[symbol]])


def tetrahedron(symbols):
    """1–4 atoms at mutually touching covalent spheres: every pair at the sum of its radii.  Where a
    small fourth sphere cannot touch three large ones, its radius is grown until it can (so H
    beside three Cs sits a little further out): every distance stays at or above the sum.  The
    largest atoms form the base, so that a small grown sphere always finds its place above it."""
    symbols = sorted(symbols, key=lambda s: (-radius(s), atomic_numbers[s]))
    radii = [radius(s) for s in symbols]
    positions = [np.zeros(3)]
    if len(symbols) > 1:
        positions.append(np.array([radii[0] + radii[1], 0.0, 0.0]))
    if len(symbols) > 2:
        positions.append(_apex(positions[:2], [radii[0] + radii[2], radii[1] + radii[2]]))
    if len(symbols) > 3:
        grown = radii[3]
        point = _apex(positions, [r + grown for r in radii[:3]])
        while point is None:
            grown *= 1.02
            if grown > 10 * radii[0]:   # cannot happen with the largest atoms as the base
                raise ValueError(f"no tetrahedron of touching spheres for {symbols}")
            point = _apex(positions, [r + grown for r in radii[:3]])
        positions.append(point)
    positions = np.array(positions)
    return systems.structure(list(symbols), positions - positions.mean(axis=0),
                             0, systems.lowest_multiplicity(symbols))


def _apex(base, distances):
    """A point at the given distances from two points (in the xy-plane, y > 0) or from three
    points in the xy-plane (z > 0, at least a quarter of the smallest distance up); None if none."""
    if len(base) == 2:
        a = np.linalg.norm(base[1] - base[0])
        x = (distances[0] ** 2 - distances[1] ** 2 + a ** 2) / (2 * a)
        return np.array([x, np.sqrt(max(distances[0] ** 2 - x * x, 0.0)), 0.0])
    p0, p1, p2 = base
    x = (distances[0] ** 2 - distances[1] ** 2 + p1[0] ** 2) / (2 * p1[0])
    y = (distances[0] ** 2 - distances[2] ** 2 + p2[0] ** 2 + p2[1] ** 2 - 2 * p2[0] * x) / (2 * p2[1])
    height = distances[0] ** 2 - x * x - y * y
    if height < (0.25 * min(distances)) ** 2:
        return None
    return np.array([x, y, np.sqrt(height)])


def homonuclear_cluster(symbol, capabilities):
    """X4 (or the largest Xn, n ≥ 2, the model affords) as a compact cluster; None if not even X2."""
    for n in (4, 3, 2):
        if capabilities.affords(systems.electron_count([symbol] * n)):
            return tetrahedron([symbol] * n)
    return None


def element_structures(symbol, capabilities):
    """What species support asks about one element on its own: its atom and (for a model that reads
    charge) its ions, as far as the model affords their electrons (its cluster: homonuclear_clusters)."""
    found = [neutral_atom(symbol)] + (ions(symbol) if capabilities.reads_charge else [])
    return [atoms for atoms in found
            if capabilities.affords(systems.electron_count(atoms.get_chemical_symbols(), atoms.info["charge"]))]


def homonuclear_clusters(capabilities):
    """{symbol: its compact cluster} for every declared element the model affords two atoms of."""
    found = {symbol: homonuclear_cluster(symbol, capabilities) for symbol in declared_elements(capabilities)}
    return {symbol: cluster for symbol, cluster in found.items() if cluster is not None}


GROUP_SIZE = 16
"""Clusters per structure for a model that may get them in groups (see the module docstring)."""


def groupable(capabilities):
    return capabilities.cutoff is not None and not capabilities.reads_charge and not capabilities.reads_spin


def grouped(clusters, capabilities):
    """[(structure, indices of its clusters)]: GROUP_SIZE clusters a structure on a 4 × 4 grid whose
    spacing keeps every two clusters more than the model's cutoff apart; one cluster a structure for
    a model that is not groupable."""
    if not groupable(capabilities) or not clusters:
        return [(cluster, [index]) for index, cluster in enumerate(clusters)]
    reach = max(float(np.linalg.norm(c.positions - c.positions.mean(axis=0), axis=1).max()) for c in clusters)
    spacing = capabilities.cutoff + 2 * reach + 1.0
    groups = []
    for start in range(0, len(clusters), GROUP_SIZE):
        members = list(range(start, min(start + GROUP_SIZE, len(clusters))))
        placed = []
        for slot, index in enumerate(members):
            cluster = clusters[index].copy()
            cluster.positions += spacing * np.array([slot % 4, slot // 4, 0.0]) - cluster.positions.mean(axis=0)
            placed.append(cluster)
        structure = placed[0]
        for cluster in placed[1:]:
            structure += cluster
        structure.info = dict(charge=0, spin=systems.lowest_multiplicity(structure.get_chemical_symbols()))
        groups.append((structure, members))
    return groups


def unanswered(evaluator, clusters, capabilities):
    """{index: what went wrong} for the clusters the model gives no energy and forces for: a group
    without an answer is evaluated again one cluster at a time."""
    groups = grouped(clusters, capabilities)
    failed = {}
    for (structure, members), outcome in zip(groups, evaluator.predict_many([s for s, _ in groups])):
        if outcome.ok:
            continue
        if len(members) == 1 and structure is clusters[members[0]]:
            failed[members[0]] = str(outcome.value)
            continue
        alone = evaluator.predict_many([clusters[index] for index in members])
        failed.update({index: str(o.value) for index, o in zip(members, alone) if not o.ok})
    return failed


COVERING_TRIES = 8
"""Seeded greedy coverings tried; the smallest is used (89 elements: 761 groups for the plain
greedy, 723 for the best of 8, against a lower bound of 668; 0.6 s)."""


@lru_cache(maxsize=None)
def pair_covering(elements, size=4):
    """Groups of at most `size` elements such that every pair of distinct elements shares a group:
    the smallest of COVERING_TRIES seeded greedy coverings (deterministic)."""
    tries = [_greedy_covering(len(elements), size, np.random.default_rng(seed)) for seed in range(COVERING_TRIES)]
    best = min(tries, key=len)
    return tuple(tuple(elements[i] for i in group) for group in best)


def _greedy_covering(n, size, rng):
    """Start each group from an element with the most uncovered pairs, then add, one at a time, the
    element that covers the most new pairs with those chosen; ties go to the element with more
    uncovered pairs left, and among those at random (rng)."""
    uncovered = np.ones((n, n), dtype=bool)
    np.fill_diagonal(uncovered, False)
    groups = []
    while uncovered.any():
        degree = uncovered.sum(axis=1)
        chosen = [int(np.argmax(degree + 0.5 * rng.random(n)))]
        while len(chosen) < size:
            gain = uncovered[chosen].sum(axis=0)
            gain[chosen] = 0
            if gain.max() == 0:
                break
            key = np.where(gain > 0, gain * (n + 1) + degree + 0.5 * rng.random(n), -1.0)
            key[chosen] = -1.0
            chosen.append(int(np.argmax(key)))
        for a, b in itertools.combinations(chosen, 2):
            uncovered[a, b] = uncovered[b, a] = False
        groups.append(sorted(chosen))
    return groups


def covering_clusters(capabilities):
    """Clusters that together put every pair of declared elements side by side: the covering's
    groups as tetrahedra, and where a group has more electrons than the model affords, its
    affordable pairs on their own."""
    elements = tuple(declared_elements(capabilities))
    clusters = []
    for group in pair_covering(elements):
        if capabilities.affords(systems.electron_count(list(group))):
            clusters.append(tetrahedron(group))
            continue
        for pair in itertools.combinations(group, 2):
            if capabilities.affords(systems.electron_count(list(pair))):
                clusters.append(tetrahedron(pair))
    return clusters


def planned_structures(capabilities):
    """Every fixed geometry the species checks read (groups where the model gets clusters in groups)."""
    planned = []
    for symbol in declared_elements(capabilities):
        planned += element_structures(symbol, capabilities)
    clusters = list(homonuclear_clusters(capabilities).values())
    return (planned + [structure for structure, _ in grouped(clusters, capabilities)]
            + [structure for structure, _ in grouped(covering_clusters(capabilities), capabilities)])
