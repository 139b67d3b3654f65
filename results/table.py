"""Render results/*.json (the suite's verdict on real models) as the README's results table.

    python results/table.py > /tmp/table.md
"""

import json
import re
from pathlib import Path

COLUMNS = {
    # column: (test function names, how to summarise a failure from its message)
    "one minimum": (["test_h2_has_exactly_one_minimum"], r"has (\d+) minima", "{} minima"),
    "monotonic": (["test_h2_energy_falls_to_the_minimum_then_rises"], r"turns the wrong way (\d+) times", "{} breaks"),
    "force flips": (["test_h2_force_changes_sign_once"], r"changes sign (\d+) times", "{} flips"),
    "united-atom wall": (["test_h2_wall_stays_above_united_atom_bound"], r"too soft by ([\d.]+) eV", "{} eV too soft"),
    "E(10 Å) − 2E(H)": (["test_h2_dissociates_into_two_hydrogen_atoms"], r"= (-?[\d.e+-]+) eV", "{} eV"),
    "bare protons: E": (["test_model_responds_to_total_charge", "test_bare_protons_follow_coulomb",
                         "test_single_bare_proton_has_zero_energy"], r"error ([+-]?[\d.]+) %", "{} %"),
    "bare protons: F": (["test_bare_proton_forces_follow_coulomb"], r"off by ([+-]?[\d.e+-]+) eV/Å", "{} eV/Å"),
    "bare clusters": (["test_bare_nuclei_clusters_follow_coulomb"], None, ""),
    "invariance": (["test_h2_is_invariant_under_rotation_translation_and_permutation",
                    "test_bare_clusters_are_invariant_under_rotation_translation_and_permutation"],
                   r"off by ([+-]?[\d.e+-]+ eV(?:/Å)?)", "{}"),
    "F = −dE/dr": (["test_h2_forces_are_energy_gradient", "test_h2_forces_obey_newtons_third_law"],
                   r"off by ([+-]?[\d.e+-]+) eV/Å", "{} eV/Å"),
    "accuracy": (["test_h2_bond_length", "test_h2_well_depth", "test_h2_harmonic_frequency",
                  "test_h2_curve_matches_reference", "test_hydrogen_atom_energy"],
                 r"^H2 [\w ]*?(\S+) = .*?off by ([+-]?[\d.e+-]+ \S+?)[;,)]", "{}"),
}

EXTRA_COLUMNS = {
    # the checks beyond neutral H2 (issue 6): a second table
    "H2⁺ laws": (["test_h2_cation_has_exactly_one_minimum", "test_h2_cation_energy_falls_to_the_minimum_then_rises",
                  "test_h2_cation_dissociates_into_hydrogen_atom_and_proton"], r"= ([+-]?[\d.e+-]+ eV),", "{}"),
    "triplet H2 laws": (["test_h2_triplet_is_repulsive", "test_h2_triplet_never_lies_below_the_singlet",
                         "test_h2_triplet_dissociates_into_two_hydrogen_atoms"], r"well ([\d.]+ meV) deep", "well {}"),
    "H atom, H⁻": (["test_hydrogen_atom_has_the_exact_energy", "test_hydride_anion_is_bound"],
                   r"= ([+-]?[\d.e+-]+ eV)", "{}"),
    "atom spins (Hund)": (["test_atom_ground_state_has_the_stated_spin"], None, "pairs"),
    "diatomics: one well": (["test_diatomic_has_one_well_or_none"], None, "pairs"),
    "diatomics: wall": (["test_diatomic_wall_rises_as_the_atoms_approach"], None, "pairs"),
    "diatomics: force flips": (["test_diatomic_force_changes_sign_at_most_once"], None, "pairs"),
    "diatomics: E(12 Å) − atoms": (["test_diatomic_dissociates_into_its_atoms"], None, "pairs"),
    "cutoff jumps": (["test_diatomic_is_smooth_at_the_cutoff"], None, "pairs"),
    "size consistency": (["test_two_distant_h2_molecules_have_twice_the_energy_of_one",
                          "test_two_distant_hydrogen_atoms_have_twice_the_energy_of_one"],
                         r"= ([+-]?[\d.e+-]+) eV", "{} eV"),
    "bare protons > 10 Å": (["test_bare_protons_repel_at_any_distance"], r"reaches ([\d.]+ Å)", "reach {}"),
    "accuracy (H2⁺, triplet, H⁻)": (["test_h2_cation_bond_length", "test_h2_cation_well_depth",
                                     "test_h2_cation_harmonic_frequency",
                                     "test_h2_cation_energy_at_two_bohr", "test_h2_triplet_curve_matches_reference",
                                     "test_hydrogen_electron_affinity", "test_hydride_anion_energy"],
                                    r"off by ([+-]?[\d.e+-]+ \S+?)[;,)]", "{}"),
}


def _short(number):
    """Three significant figures, keeping a unit that follows the number."""
    value, _, unit = number.partition(" ")
    if value.isdigit():
        return number
    try:
        text = f"{float(value):+.3g}"
    except ValueError:
        return number
    return f"{text} {unit}".strip()


def function(test_id):
    return test_id.split("[")[0]


def cell(record, names, pattern, template):
    tests = [t for t in record["outcomes"] if function(t) in names]
    outcomes = [record["outcomes"][t] for t in tests]
    failed = [t for t in tests if record["outcomes"][t] == "failed"]
    if not tests:
        return "—"
    if failed and template == "pairs":   # parametrized by molecule or atom: name the failing ones
        checked = [t for t in tests if record["outcomes"][t] != "skipped"]
        names = [t.split("[")[1].rstrip("]") for t in failed]
        return f"**FAIL** {len(failed)}/{len(checked)} ({', '.join(names[:6])}{', …' if len(names) > 6 else ''})"
    if failed:
        checked = [t for t in tests if record["outcomes"][t] != "skipped"]
        messages = (record["messages"][t].removeprefix("AssertionError: ") for t in failed)
        found = next((m for m in (re.search(pattern, text) for text in messages) if m), None) if pattern else None
        detail = f" {template.format(' '.join(_short(g) for g in found.groups()))}" if found else ""
        return f"**FAIL** {len(failed)}/{len(checked)}{detail}"
    if all(o == "skipped" for o in outcomes):
        return "n/a"
    return "pass" if "skipped" not in outcomes else "pass (part n/a)"


def table(directory, columns=None):
    columns = columns or COLUMNS
    runs = [json.loads(p.read_text()) for p in sorted(Path(directory).glob("*.json"))]
    lines = ["| model | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for record in runs:
        cells = [cell(record, *spec) for spec in columns.values()]
        lines.append(f"| {record['run']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(Path(__file__).parent))
    print()
    print(table(Path(__file__).parent, EXTRA_COLUMNS))
