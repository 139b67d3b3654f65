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
    if failed:
        checked = [t for t in tests if record["outcomes"][t] != "skipped"]
        messages = (record["messages"][t].removeprefix("AssertionError: ") for t in failed)
        found = next((m for m in (re.search(pattern, text) for text in messages) if m), None) if pattern else None
        detail = f" {template.format(' '.join(_short(g) for g in found.groups()))}" if found else ""
        return f"**FAIL** {len(failed)}/{len(checked)}{detail}"
    if all(o == "skipped" for o in outcomes):
        return "n/a"
    return "pass" if "skipped" not in outcomes else "pass (part n/a)"


def table(directory):
    runs = [json.loads(p.read_text()) for p in sorted(Path(directory).glob("*.json"))]
    lines = ["| model | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for record in runs:
        cells = [cell(record, *spec) for spec in COLUMNS.values()]
        lines.append(f"| {record['run']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(Path(__file__).parent))
