"""Figures of the scanned curves: every model's curve over the exact one, as the paper draws them
(Lee & Dieng, arXiv 2509.26397: H2 dissociation, two bare protons).

One figure per scanned system (the "curves" of the scorecards; conformance/catalogue.py names
them):
- H2, H2⁺, triplet H2: E(r) of every model over the exact curve and over the reference of each
  model's level of theory where the suite has one; the error against the exact curve (solid) and
  against the model's own level (dotted); the repulsive wall on log scales; the bond force;
- two bare protons (any pair of bare nuclei): E(r) over Coulomb's law Z₁Z₂k/r on log scales, the
  relative error, the force over Z₁Z₂k/r², its relative error;
- a diatomic without a reference: the models over one another (energy, wall, bond force).

Zeroing, stated on every figure: the scorecard keeps each model's E(r) minus the model's own
energies of the separated fragments.  The exact curve is drawn minus the exact fragments (an H
atom −½ Eh, a bare nucleus 0), a level's reference minus its own H atom (the set's atom), so that
every curve ends where its own fragments lie (a restricted singlet ends ~4.8 eV up, as the
models trained on it were taught).  A model whose scorecard gave no fragment energy ("absolute")
is shifted to meet the exact curve (or zero) at the far end of the grid, and says so.

Nothing is evaluated here: the points are the scorecard's, the references the suite's own.
"""

import io
from pathlib import Path
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from ase.data import atomic_numbers

from mlip_conformance.conformance import catalogue
from mlip_conformance.conformance import tolerances as tol
from mlip_conformance.references.constants import COULOMB_EV_ANGSTROM
from mlip_conformance.references.levels import LEVELS, reference_set

__all__ = ["CurveFigure", "draw_all", "write_all", "PALETTE", "EXACT_COLOUR", "ZEROING"]

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
           "#7f7f7f")
"""One colour per scorecard, the same in every figure and in the matrix's column heads."""
EXACT_COLOUR = "#111111"
_REFERENCE_STYLES = ("--", "-.", (0, (5, 1, 1, 1, 1, 1)), ":")
_LONG_RANGE_ANGSTROM = 6.0     # the H curves are flat to 1 meV beyond this: the rest of the grid is tail
_WALL_FRACTION_OF_COVALENT_SUM = 1.3
ZEROING = ("Each curve is relative to its own separated fragments: a model's E(r) minus that model's own "
           "fragment energies (as its scorecard keeps them), the exact curve minus the exact fragments "
           "(H atom −½ Eₕ, bare nucleus 0).")
LEVEL_ZEROING = ("A level-of-theory reference is drawn minus its own H atom, so a restricted (RKS) singlet "
                 "reference ends ~4.8 eV above zero, as it does in the data such models were trained on.")


@dataclass
class CurveFigure:
    name: str                 # the system's name in the scorecards: "H2", "bare-protons", "Li2", ...
    label: str                # in a chemist's words
    svg: str
    caption: str
    notes: list = field(default_factory=list)   # models not drawn, shifted curves: one sentence each


@dataclass
class _Level:
    """The reference curve of one level of theory, and the models of that level."""

    label: str
    style: object             # matplotlib line style
    curve: tuple              # (r, E − E(fragments))
    models: list              # labels


@dataclass
class _Model:
    label: str
    colour: str
    level: str | None
    r: np.ndarray
    energy: np.ndarray        # eV, relative to the model's fragments (NaN: no prediction)
    force: np.ndarray         # eV/Å along the bond, > 0 repulsive


def draw_all(scorecards, colours):
    """A CurveFigure for every system some scorecard has a curve of (catalogue order first)."""
    import matplotlib
    names = list(dict.fromkeys([e.name for e in catalogue.CURVES] + [n for c in scorecards for n in c.curves]))
    found = []
    with matplotlib.rc_context(_STYLE):
        for name in names:
            drawn = [(card, card.curves[name]) for card in scorecards if name in card.curves]
            figure = _figure(name, drawn, scorecards, colours) if drawn else None
            if figure is not None:
                found.append(figure)
    return found


def write_all(card, directory, suffix=""):
    """The figures of one run (--plots DIR): an SVG per scanned system the run has a curve of,
    written to `directory`; returns the paths written, or for a figure that could not be drawn
    the reason (a figure never turns a verdict into a crash)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        drawn = draw_all([card], [PALETTE[0]])
    except Exception as error:
        return [f"{directory} not drawn: {type(error).__name__}: {error}"]
    for figure in drawn:
        path = directory / f"{figure.name}{suffix}.svg"
        path.write_text(figure.svg, encoding="utf-8")
        written.append(path)
    return written


_STYLE = {"svg.fonttype": "path", "svg.hashsalt": "mlip-conformance-report", "font.size": 9,
          "axes.titlesize": 9.5, "axes.labelsize": 9, "legend.fontsize": 8, "legend.frameon": True,
          "legend.framealpha": 0.9, "legend.edgecolor": "#cccccc", "axes.grid": True, "grid.alpha": 0.3,
          "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100}


def _figure(name, drawn, scorecards, colours):
    entry = catalogue.BY_NAME.get(name)
    label = entry.label if entry else drawn[0][1]["label"]
    notes = _not_drawn(name, drawn, scorecards)
    models = [m for card, curve in drawn if (m := _model(card, curve, colours[card.position], entry, notes))]
    if not models:
        return None
    reference = drawn[0][1].get("reference") or (entry.reference if entry else None)
    if entry is not None and all(_is_bare(f) for f in entry.fragments):
        figure, caption = _coulomb_figure(entry, models)
    elif entry is not None and _reference_curve(_reference_set("exact"), reference, entry) is not None:
        figure, caption = _reference_figure(entry, reference, models, notes)
    else:
        figure, caption = _plain_figure(entry, label, models)
    return CurveFigure(name, label, _svg(figure), caption, notes)


def _model(card, curve, colour, entry, notes):
    """The model's curve as drawn, or None (with a note) when its energies cannot be zeroed."""
    r = np.asarray(curve["r"], dtype=float)
    energy = np.array([np.nan if e is None else e for e in curve["energy"]], dtype=float)
    force = np.array([np.nan if f is None else f for f in curve["bond_force"]], dtype=float)
    if curve["energy_zero"].startswith("absolute"):
        # no fragment energy: meet the exact curve (or zero) at the far end, and say so
        if not np.isfinite(energy[-1]):
            notes.append(f"{card.label}: not drawn (its scorecard has absolute energies, no fragment energy, "
                         f"and no point at r = {r[-1]:g} Å to align them by)")
            return None
        energy = energy - energy[-1] + _exact_far(entry)
        notes.append(f"{card.label}: its scorecard has absolute energies (no fragment energy), shifted here "
                     f"to meet the exact curve at r = {r[-1]:g} Å")
    return _Model(card.label, colour, card.level_of_theory, r, energy, force)


def _not_drawn(name, drawn, scorecards):
    """One sentence per scorecard without this curve, with the reason its checks give."""
    have = {card.position for card, _ in drawn}
    notes = []
    for card in scorecards:
        if card.position in have:
            continue
        if not card.card.get("curves"):
            notes.append(f"{card.label}: not drawn (its scorecard keeps no curves: an older run)")
            continue
        reason = next((c["message"] for c in card.checks
                       if c["id"].endswith(f"[{name}]") and c["status"] == "not applicable"), None)
        if reason:   # "not applicable: <model> declares that it ..." -> "declares that it ..."
            reason = reason.removeprefix("not applicable: ").removeprefix(f"{card.name} ")
        notes.append(f"{card.label}: not drawn ({reason or 'not evaluated in this run'})")
    return notes


# ---- references ------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _reference_set(level):
    """The set of a scorecard's level; None for none, and for a name this version does not know
    (a scorecard written before levels were checked, or by another version of the suite)."""
    return reference_set(level) if level in LEVELS else None


def _is_bare(fragment):
    return fragment.charge == atomic_numbers[fragment.symbol]


def _fragment_energy(reference, fragment):
    """A separated fragment's energy in a reference set: a bare nucleus has no electrons (0 in any
    theory), an H atom the set's own; None for what the set does not hold."""
    if _is_bare(fragment):
        return 0.0
    if (fragment.symbol, fragment.charge) == ("H", 0):
        return reference.hydrogen_atom_energy
    return None


def _reference_curve(reference, curve_name, entry):
    """(r, E − E(fragments)) of a set's curve, or None when the set has no such curve (or the
    suite knows no curve of that name: a scorecard of another version)."""
    try:
        curve = reference.curve(curve_name) if reference is not None and curve_name else None
    except KeyError:
        return None
    if curve is None:
        return None
    zeros = [_fragment_energy(reference, f) for f in entry.fragments]
    zero = sum(zeros) if None not in zeros else curve.energy[-1]   # else its own far point
    return curve.r, curve.energy - zero


def _exact_far(entry):
    if entry is None or not entry.reference:
        return 0.0
    found = _reference_curve(_reference_set("exact"), entry.reference, entry)
    return float(found[1][-1]) if found else 0.0


def _on_grid(r, reference):
    """The reference's values at the model's bond lengths (NaN where the grids differ)."""
    index = {round(float(x), 6): i for i, x in enumerate(reference[0])}
    return np.array([reference[1][index[k]] if (k := round(float(x), 6)) in index else np.nan for x in r])


# ---- the three kinds of figure ----------------------------------------------------------------

def _reference_figure(entry, curve_name, models, notes):
    exact = _reference_curve(_reference_set("exact"), curve_name, entry)
    levels = _level_references(models, curve_name, entry, notes)
    lines = 1 + len(levels) + len(models)
    figure, (energy, error), (wall, force) = _two_columns((11.0, 7.4), lines, (1.55, 1), (1.5, 1), (1.0, 1.0))
    s = entry.covalent_sum
    x_range = (0.5 * s, min(entry.far, max(_LONG_RANGE_ANGSTROM, 3 * s)))
    handles = [_draw_reference(ax, exact, EXACT_LABEL, EXACT_COLOUR, "-", 3.2) for ax in (energy, wall)][:1]
    for level in levels:
        handles += [_draw_reference(ax, level.curve, level.label, "#555555", level.style, 1.6)
                    for ax in (energy, wall)][:1]
    force.plot(exact[0], -np.gradient(exact[1], exact[0]), "-", color=EXACT_COLOUR, lw=3.2, alpha=0.35, zorder=1,
               label="exact curve: −dE/dr (numerical)")
    for m in models:
        handles += [_draw_model(ax, m.r, values, m, dots) for ax, values, dots in
                    ((energy, m.energy, True), (wall, m.energy, True), (force, m.force, False))][:1]
        error.plot(m.r, m.energy - _on_grid(m.r, exact), "-", color=m.colour, lw=1.4)
        own = next((level.curve for level in levels if m.label in level.models), None)
        if own is not None:
            error.plot(m.r, m.energy - _on_grid(m.r, own), ":", color=m.colour, lw=1.6)
    fragments = _fragments_text(entry)
    energy.set_xlim(*x_range)
    energy.set_ylim(*_reference_limits(entry, exact, models, levels, x_range[1]))
    energy.axhline(0, color="#999999", lw=0.8)
    energy.set_ylabel(f"E(r) − {fragments}  (eV)")
    energy.set_title(f"energy, each curve relative to its own separated fragments {_fragments_sum(entry)}",
                     loc="left")
    energy.text(0.98, 0.96, _zeroing_note(entry, levels), transform=energy.transAxes, ha="right", va="top",
                fontsize=7.5, color="#333333", linespacing=1.4,
                bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "#cccccc"})
    energy.tick_params(labelbottom=False)
    _error_axes(error, bool(levels))
    _wall_axes(wall, entry, fragments)
    _force_axes(force, x_range)
    _legend(figure, handles)
    figure.suptitle(entry.label, fontsize=12, fontweight="bold")
    caption = (f"{entry.label}: every model over the exact curve (thick black)"
               + (" and the reference of each model's level of theory (dashed grey)" if levels else "")
               + f". Below: the model minus the exact curve (solid){', minus its own level (dotted)' if levels else ''}"
               f", with the ±1 kcal/mol band. Right: the repulsive wall on log scales, and the bond force. {ZEROING}"
               + (f" {LEVEL_ZEROING}" if levels else ""))
    return figure, caption


def _coulomb_figure(entry, models):
    figure, (energy, error), (force, force_error) = _two_columns((11.0, 7.0), 1 + len(models), (1, 1), (1.5, 1),
                                                                  (1.5, 1), share_right=True)
    zz = int(np.prod([atomic_numbers[f.symbol] for f in entry.fragments]))
    r = np.geomspace(entry.grid[0], entry.far, 200)
    law = "k/r" if zz == 1 else f"{zz}k/r"
    handles = [energy.plot(r, zz * COULOMB_EV_ANGSTROM / r, "-", color=EXACT_COLOUR, lw=3.2, alpha=0.85, zorder=1,
                           label=f"Coulomb's law: E = {law}, F = {law}² (exact)")[0]]
    force.plot(r, zz * COULOMB_EV_ANGSTROM / r**2, "-", color=EXACT_COLOUR, lw=3.2, alpha=0.85, zorder=1)
    for m in models:
        coulomb = zz * COULOMB_EV_ANGSTROM / m.r
        handles.append(_draw_model(energy, m.r, m.energy, m))
        _draw_model(force, m.r, m.force, m)   # 24 points: every one dotted
        error.plot(m.r, 100 * (m.energy - coulomb) / coulomb, "-", color=m.colour, lw=1.4, marker="o", ms=3)
        force_error.plot(m.r, 100 * (m.force - coulomb / m.r) / (coulomb / m.r), "-", color=m.colour, lw=1.4,
                         marker="o", ms=3)
    fragments = _fragments_text(entry)
    panels = ((energy, f"E(r) − {fragments}  (eV)", "energy (log–log); each model relative to its own bare nuclei"),
              (force, "bond force F(r)  (eV/Å, > 0 repulsive)", "force (log–log)"))
    for ax, ylabel, title in panels:
        ax.set_xscale("log")
        ax.set_yscale("symlog", linthresh=0.1)
        ax.set_xlim(r[0], r[-1])
        _fit_visible(ax, include_zero=False)
        _ticks(ax.yaxis, (-100, -10, -1, -0.1, 0, 0.1, 1, 10, 100))
        ax.set_ylabel(ylabel)
        ax.set_title(title, loc="left")
        ax.tick_params(labelbottom=False)
    for ax, band, what in ((error, tol.COULOMB_RELATIVE, "energy"), (force_error, tol.COULOMB_FORCE_RELATIVE, "force")):
        ax.axhspan(-100 * band, 100 * band, color=_BAND_COLOUR, alpha=0.2, lw=0)
        ax.axhline(0, color=EXACT_COLOUR, lw=1)
        ax.set_yscale("symlog", linthresh=1.0)
        _fit_visible(ax, symmetric=True)
        _ticks(ax.yaxis, (-100, -10, -1, 0, 1, 10, 100))
        _ticks(ax.xaxis, (0.2, 0.5, 1, 2, 5, 10))
        ax.set_ylabel(f"{what} error (%, log beyond ±1 %)")
        ax.set_xlabel("internuclear distance r (Å, log scale)")
        ax.legend(handles=[_band_handle(f"±{100 * band:g} % (tolerance)")], loc="lower right")
    _legend(figure, handles)
    figure.suptitle(entry.label, fontsize=12, fontweight="bold")
    caption = (f"{entry.label}: every model over Coulomb's law (thick black: exact for bare nuclei), energy "
               "and force on log–log scales, and their relative errors with the 1 % tolerance band. A model's "
               "energies are relative to its own bare nuclei (E = 0 for a nucleus without electrons in any "
               "theory), so Coulomb's law needs no shift.")
    return figure, caption


def _plain_figure(entry, label, models):
    from matplotlib.figure import Figure
    height = 3.6 + _legend_height(len(models))
    figure = Figure(figsize=(13.0, height))
    grid = figure.add_gridspec(1, 3, width_ratios=(1.4, 1, 1), left=0.055, right=0.99, top=1 - 0.55 / height,
                               bottom=(0.5 + _legend_height(len(models))) / height, wspace=0.25)
    energy, wall, force = (figure.add_subplot(grid[0, i]) for i in range(3))
    s = entry.covalent_sum if entry else 1.5
    x_range = (min(m.r[0] for m in models), min(max(m.r[-1] for m in models), max(_LONG_RANGE_ANGSTROM, 3 * s)))
    handles = [[_draw_model(ax, m.r, values, m, dots) for ax, values, dots in
                ((energy, m.energy, True), (wall, m.energy, True), (force, m.force, False))][0] for m in models]
    fragments = _fragments_text(entry) if entry else "E(fragments)"
    energy.set_xlim(max(x_range[0], 0.55 * s), x_range[1])
    energy.set_ylim(*_plain_limits(models, s, x_range[1]))
    energy.axhline(0, color="#999999", lw=0.8)
    energy.set_xlabel("bond length r (Å)")
    energy.set_ylabel(f"E(r) − {fragments}  (eV)")
    energy.set_title("energy; each model relative to its own atoms (no reference)", loc="left")
    if entry:
        _wall_axes(wall, entry, fragments)
    _force_axes(force, x_range)
    _legend(figure, handles)
    figure.suptitle(label, fontsize=11, fontweight="bold")
    caption = (f"{label}: the models over one another (the suite has no reference curve for it), each "
               "relative to its own separated atoms; the repulsive wall on log scales; the bond force.")
    return figure, caption


# ---- pieces ------------------------------------------------------------------------------------

EXACT_LABEL = "exact curve (reference)"
_BAND_COLOUR = "#2ca02c"
_SYMLOG_TICKS = (-1000, -100, -10, -1, 0, 1, 10, 100, 1000)
_LEGEND_COLUMNS = 3


def _two_columns(size, legend_entries, widths, left_heights, right_heights, share_right=False):
    """A figure of two columns of two panels each; the left column's panels share their x axis
    (and the right column's, if asked).  A fixed layout: matplotlib's constrained layout costs a
    second per figure."""
    from matplotlib.figure import Figure
    width, height = size
    height += _legend_height(legend_entries)
    figure = Figure(figsize=(width, height))
    outer = figure.add_gridspec(1, 2, width_ratios=widths, left=0.07, right=0.985, top=1 - 0.6 / height,
                                bottom=(0.55 + _legend_height(legend_entries)) / height, wspace=0.2)
    columns = []
    for index, heights in enumerate((left_heights, right_heights)):
        shared = index == 0 or share_right
        inner = outer[0, index].subgridspec(2, 1, height_ratios=heights, hspace=0.08 if shared else 0.3)
        top = figure.add_subplot(inner[0])
        bottom = figure.add_subplot(inner[1], sharex=top if shared else None)
        columns.append((top, bottom))
    return figure, columns[0], columns[1]


def _legend_height(entries):
    """Inches under the panels for the figure's legend."""
    return 0.25 * -(-entries // _LEGEND_COLUMNS)


def _legend(figure, handles):
    figure.legend(handles=handles, loc="lower center", ncols=min(_LEGEND_COLUMNS, len(handles)),
                  bbox_to_anchor=(0.5, 0.005), fontsize=8.5)


def _band_handle(label):
    from matplotlib.patches import Patch
    return Patch(color=_BAND_COLOUR, alpha=0.2, label=label)


def _level_references(models, curve_name, entry, notes):
    """A _Level for every level of the models that has this curve (the exact level is the exact
    curve itself, drawn anyway)."""
    found, by_level = [], {}
    for m in models:
        if m.level and m.level != "exact":
            by_level.setdefault(m.level, []).append(m.label)
    for level, labels in by_level.items():
        try:
            reference = _reference_set(level)
        except (OSError, ValueError) as error:   # a damaged data file: draw the rest, and say so
            notes.append(f"{level}: reference set not drawn ({error})")
            continue
        curve = _reference_curve(reference, curve_name, entry) if reference else None
        if curve is None:
            notes.append(f"{', '.join(labels)}: the suite has no {curve_name} reference for level {level}")
            continue
        style = _REFERENCE_STYLES[len(found) % len(_REFERENCE_STYLES)]
        found.append(_Level(f"{reference.name} reference ({reference.spin_treatment}): level of {', '.join(labels)}",
                            style, curve, labels))
    return found


def _draw_reference(ax, curve, label, colour, style, lw):
    return ax.plot(curve[0], curve[1], linestyle=style, color=colour, lw=lw, label=label, zorder=1,
                   alpha=0.85 if colour == EXACT_COLOUR else 1.0)[0]


def _draw_model(ax, r, values, m, dots=True):
    """A model's line; dots mark the bond lengths it was evaluated at (left out where the panel
    is read for its shape: each dot costs the page ~60 bytes)."""
    return ax.plot(r, values, "-", color=m.colour, lw=1.4, marker="o" if dots else None, ms=2.2, label=m.label,
                   zorder=3)[0]


def _fragment_symbol(fragment):
    if _is_bare(fragment):
        return f"{fragment.symbol}{'⁺' if fragment.charge == 1 else f'{fragment.charge}⁺'}"
    return fragment.symbol


def _fragments_text(entry):
    symbols = [_fragment_symbol(f) for f in entry.fragments]
    if symbols[0] == symbols[1]:
        return f"2E({symbols[0]})"
    return " − ".join(f"E({x})" for x in symbols)


def _zeroing_note(entry, levels):
    """Where each curve's zero lies, in the figure itself (the curves with a reference are made of
    H atoms, −½ Eₕ each, and bare protons, 0)."""
    total = _fragments_sum(entry)
    atoms = sum(not _is_bare(f) for f in entry.fragments)
    exact = {0: "0", 1: "−½ Eₕ", 2: "−1 Eₕ"}[atoms]
    lines = [f"zero of each curve: its own {total}", f"models: their own predictions of {total}",
             f"exact curve: {total} = {exact} (exact)"]
    if levels:
        lines.append(f"level references: {total} of their own H atom")
    return "\n".join(lines)


def _fragments_sum(entry):
    symbols = [_fragment_symbol(f) for f in entry.fragments]
    return f"2E({symbols[0]})" if symbols[0] == symbols[1] else " + ".join(f"E({x})" for x in symbols)


def _wall_axes(ax, entry, fragments):
    ax.set_xscale("log")
    ax.set_yscale("symlog", linthresh=1.0)
    ax.set_xlim(entry.grid[0], _WALL_FRACTION_OF_COVALENT_SUM * entry.covalent_sum)
    _fit_visible(ax)
    _ticks(ax.yaxis, _SYMLOG_TICKS)
    _ticks(ax.xaxis, _nice_ticks(*ax.get_xlim()))
    ax.set_xlabel("bond length r (Å, log scale)")
    ax.set_ylabel(f"E(r) − {fragments}  (eV)")
    ax.set_title("the repulsive wall (log beyond ±1 eV)", loc="left")


def _error_axes(ax, has_levels):
    from matplotlib.lines import Line2D
    band = tol.CHEMICAL_ACCURACY_EV
    ax.axhspan(-band, band, color=_BAND_COLOUR, alpha=0.2, lw=0)
    ax.axhline(0, color=EXACT_COLOUR, lw=1)
    ax.set_yscale("symlog", linthresh=band)
    _fit_visible(ax, symmetric=True)
    _ticks(ax.yaxis, (-10, -1, -0.1, 0, 0.1, 1, 10))
    ax.set_xlabel("bond length r (Å)")
    ax.set_ylabel("error (eV, log beyond ±1 kcal/mol)")
    handles = [Line2D([], [], color="#444444", lw=1.4, label="model − exact")]
    if has_levels:
        handles.append(Line2D([], [], color="#444444", lw=1.6, ls=":", label="model − its level's reference"))
    handles.append(_band_handle("±1 kcal/mol"))
    ax.legend(handles=handles, loc="lower right", ncols=len(handles))


def _force_axes(ax, x_range):
    ax.axhline(0, color="#999999", lw=0.8)
    ax.set_yscale("symlog", linthresh=1.0)
    ax.set_xlim(*x_range)
    _fit_visible(ax)
    _ticks(ax.yaxis, _SYMLOG_TICKS)
    ax.set_xlabel("bond length r (Å)")
    ax.set_ylabel("bond force F(r)  (eV/Å, > 0 repulsive)")
    ax.set_title("bond force (log beyond ±1 eV/Å)", loc="left")
    exact = [line for line in ax.get_lines() if line.get_label().startswith("exact curve")]
    if exact:   # the models are named in the figure's legend
        ax.legend(handles=exact, loc="upper right")


def _ticks(axis, values):
    """Ticks at round values inside the axis's limits, labelled plainly (no 10^x on symlog)."""
    from matplotlib.ticker import FixedLocator, FormatStrFormatter, NullLocator
    lo, hi = sorted(axis.get_view_interval())
    axis.set_major_locator(FixedLocator([v for v in values if lo <= v <= hi]))
    axis.set_major_formatter(FormatStrFormatter("%g"))
    axis.set_minor_locator(NullLocator())


def _nice_ticks(lo, hi):
    return [v for v in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20) if lo <= v <= hi]


def _reference_limits(entry, exact, models, levels, x_max):
    """The exact well with room; widened (within bounds) for models and references beyond it."""
    depth = max(-float(np.nanmin(exact[1])), 0.5)
    low, high = -1.25 * depth, max(2.0, 0.8 * depth)
    beyond_wall = [(m.r, m.energy) for m in models] + [level.curve for level in levels]
    values = np.concatenate([np.asarray(e)[(np.asarray(r) >= entry.covalent_sum) & (np.asarray(r) <= x_max)]
                             for r, e in beyond_wall] or [np.array([])])
    values = values[np.isfinite(values)]
    if values.size:
        low = max(min(low, values.min() - 0.1 * depth), -4 * depth - 2)
        high = min(max(high, values.max() + 0.1 * depth), 3 * depth + 3)
    return low, high


def _plain_limits(models, s, x_max):
    values = np.concatenate([m.energy[(m.r >= 0.8 * s) & (m.r <= x_max)] for m in models])
    values = values[np.isfinite(values)]
    low = min(float(values.min()) if values.size else 0.0, -0.2)
    low = max(1.2 * low, -50.0)
    return low, max(1.0, -0.6 * low)


def _fit_visible(ax, symmetric=False, include_zero=True):
    """y limits from the points inside the x window (autoscale would look at every point), with
    room on a symlog axis; symmetric about zero for an error panel."""
    lo, hi = ax.get_xlim()
    values = [np.array([0.0])] if include_zero else []
    for line in ax.get_lines():
        x, y = (np.asarray(v, dtype=float) for v in line.get_data())
        if x.size > 2:   # not the horizontal guide lines
            values.append(y[(x >= lo) & (x <= hi) & np.isfinite(y)])
    values = np.concatenate(values) if values else np.array([0.0])
    values = values if values.size else np.array([0.0])
    low, high = float(values.min()), float(values.max())
    if not include_zero and low > 0:   # a log axis: half a decade of room
        ax.set_ylim(low / 2, high * 2)
        return
    if symmetric:
        low, high = -max(-low, high, 1.0), max(-low, high, 1.0)
    ax.set_ylim(_widen(low, -1), _widen(high, +1))


def _widen(value, outwards):
    """A limit pushed outwards (outwards: −1 down, +1 up): ×2 where that is away from zero beyond
    ±1 (a log axis), else by 0.5."""
    if abs(value) > 1 and value * outwards > 0:
        return 2 * value
    return value + 0.5 * outwards


def _svg(figure):
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
