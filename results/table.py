"""Render the shipped scorecards (results/scorecards/*.json) as the results tables of the docs.

    python results/table.py            # Markdown, one table per group of columns
    python results/table.py --summary  # one line per model: checks passed, failed, not applicable

Every cell is read from the checks' statuses and their key measurements (the machine keys chosen
in the checks' code), never from the words of a message: "pass", "n/a" (not applicable to this
model), or "**FAIL** k/N" with the deciding number of the worst failure, or the failing systems
of a check parametrized over molecules, pairs or crystals.
"""

import json
from pathlib import Path

from mlip_conformance.verdicts import format_number, key_measurement

RESULTS = Path(__file__).resolve().parent

SHAPE = ("test_curve_has_the_wells_of_its_state", "test_energy_is_monotonic_on_each_side_of_the_minimum",
         "test_bond_force_changes_sign_as_the_shape_requires", "test_repulsive_wall_rises_as_the_atoms_approach",
         "test_curve_dissociates_into_its_fragments")
BARE = ("test_model_responds_to_total_charge", "test_bare_protons_follow_coulomb", "test_bare_proton_forces_follow_coulomb",
        "test_single_bare_proton_has_zero_energy", "test_bare_nuclei_clusters_follow_coulomb",
        "test_bare_protons_repel_at_any_distance")

HYDROGEN_AND_CURVES = {
    # column: (check functions, systems (None: any))
    "H2 shape": (SHAPE, {"H2"}),
    "united-atom wall": (("test_h2_wall_stays_above_united_atom_bound",), None),
    "H2⁺, triplet": (SHAPE + ("test_h2_triplet_never_lies_below_the_singlet",), {"H2+", "triplet H2"}),
    "bare protons": (BARE, None),
    "H, H⁻, Hund": (("test_hydrogen_atom_has_the_exact_energy", "test_hydride_anion_is_bound",
                     "test_atom_ground_state_has_the_stated_spin"), None),
    "diatomics: shape": (SHAPE[:4], {"diatomics"}),
    "diatomics: E(12 Å) − atoms": (("test_curve_dissociates_into_its_fragments",), {"diatomics"}),
    "energy = −∫F dr": (("test_energy_is_the_integral_of_the_force",), None),
    "cutoff": (("test_curve_is_smooth_at_the_declared_cutoff",), None),
    "accuracy": (None, "accuracy"),
}

MOLECULES_MATERIALS_CALLS = {
    "invariance": (("test_h2_is_invariant_under_rotation_translation_and_permutation",
                    "test_bare_clusters_are_invariant_under_rotation_translation_and_permutation",
                    "test_molecules_are_invariant_under_rotations_reflections_translations_and_permutations",
                    "test_mirror_image_has_the_same_energy_and_mirrored_forces"), None),
    "F = −∇E, Jacobian": (("test_h2_forces_are_energy_gradient", "test_molecule_forces_are_the_energy_gradient",
                           "test_molecule_force_jacobian_is_symmetric"), None),
    "Newton": (("test_h2_forces_obey_newtons_third_law", "test_molecule_forces_have_no_net_force_or_torque"), None),
    "locality, size consistency": (("test_two_distant_h2_molecules_have_twice_the_energy_of_one",
                                    "test_two_distant_hydrogen_atoms_have_twice_the_energy_of_one",
                                    "test_molecule_is_unaffected_by_distant_atoms",
                                    "test_two_distant_copies_have_twice_the_energy_of_one"), None),
    "species": (("test_declared_element_is_supported", "test_every_pair_of_declared_elements_is_supported",
                 "test_random_clusters_of_declared_elements_are_supported"), None),
    "periodic: drawn cells, molecule in a box or with a cell": (None, {"periodic cells", "molecule in a box",
                                                                       "molecule with a cell"}),
    "periodic: crystals": (None, {"crystals"}),
    "calculator contract": (("test_calculator_answer_follows_a_change_of",), None),
    "NVE": (("test_nve_total_energy_is_conserved",), None),
    "batch, repeat": (("test_batched_and_single_evaluation_agree", "test_repeated_evaluation_agrees"), None),
}

FAILED = ("failed", "error", "unexpected pass")
NOT_RUN = ("not applicable", "skipped")


def chosen(card, functions, systems):
    """The checks of a column: by function (None: any) and system (None: any), or every
    accuracy check."""
    checks = card["checks"]
    if systems == "accuracy":
        return [c for c in checks if c["category"] == "accuracy"]
    return [c for c in checks if (functions is None or c["function"] in functions)
            and (systems is None or c["system"] in systems)]


def cell(card, functions, systems):
    checks = chosen(card, functions, systems)
    if not checks:
        return "—"
    ran = [c for c in checks if c["status"] not in NOT_RUN]
    if not ran:
        return "n/a"
    failed = [c for c in ran if c["status"] in FAILED]
    if not failed:
        return "pass" if len(ran) == len(checks) else "pass (part n/a)"
    parametrized = {c["id"].split("[", 1)[1].rstrip("]") for c in failed if "[" in c["id"]}
    if len(parametrized) > 1 and len({c["function"] for c in failed}) <= len(failed):
        names = sorted(parametrized)
        return f"**FAIL** {len(failed)}/{len(ran)} ({', '.join(names[:5])}{', …' if len(names) > 5 else ''})"
    measured = [m for c in failed for m in c["measurements"] if m["measured"] is not None]
    number = f" {format_number(key_measurement(measured))}" if measured else ""
    return f"**FAIL** {len(failed)}/{len(ran)}{number}"


def table(cards, columns):
    lines = ["| model | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, card in cards:
        lines.append(f"| {name} | " + " | ".join(cell(card, *spec) for spec in columns.values()) + " |")
    return "\n".join(lines)


def summary(cards):
    """Counts of the scorecards' own summaries, per category of check."""
    lines = ["| model | checks passed | laws failed | accuracy failed | consistency failed | not applicable |",
             "|---|---|---|---|---|---|"]
    for name, card in cards:
        counts = card["summary"]
        failed = {category: sum(c["status"] in FAILED for c in card["checks"] if c["category"] == category)
                  for category in ("law", "accuracy", "consistency")}
        applicable = len(card["checks"]) - counts["not applicable"]
        lines.append(f"| {name} | {counts['passed']} of {applicable} | {failed['law']} | {failed['accuracy']} | "
                     f"{failed['consistency']} | {counts['not applicable']} |")
    return "\n".join(lines)


def load(directory=RESULTS / "scorecards"):
    return [(path.stem, json.loads(path.read_text())) for path in sorted(Path(directory).glob("*.json"))]


if __name__ == "__main__":
    import sys
    cards = load()
    if "--summary" in sys.argv:
        print(summary(cards))
        raise SystemExit
    print(table(cards, HYDROGEN_AND_CURVES))
    print()
    print(table(cards, MOLECULES_MATERIALS_CALLS))
