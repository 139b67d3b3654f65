"""The report's provenance section: where each scorecard came from (the model, its options and
checkpoint, the suite's version, the run's exit status, Hypothesis settings, time, gates and the
packages), so that two models are compared only when their runs compare."""

import json

from mlip_conformance.report.html import breakable, escape

__all__ = ["section"]

EXIT_STATUS_WORDS = {0: "all passed", 1: "some checks failed", 2: "interrupted", 3: "internal error",
                     4: "usage error", 5: "no checks ran"}
_MODEL_PACKAGES = ("torch", "sevenn", "chgnet", "mace-torch", "fairchem-core", "orb-models", "aimnet", "tblite",
                   "pyscf")


def section(scorecards):
    fields = [("file", lambda c: f"<code>{escape(c.path)}</code>"),
              ("model", lambda c: f"<b>{escape(c.model.get('name') or '–')}</b>"),
              ("model spec", lambda c: f"<code>{escape(c.model.get('spec'))}</code>"),
              ("options", lambda c: escape(json.dumps(c.model.get("options") or {}, ensure_ascii=False))),
              ("devices", lambda c: escape(", ".join(c.model.get("devices") or []))),
              ("declares", _declared),
              ("checkpoint", _checkpoint),
              ("suite version", lambda c: escape(c.card.get("suite_version") or "unknown")),
              ("run ended (UTC)", lambda c: escape(c.created)),
              ("exit status", _exit_status),
              ("interrupted", _interrupted),
              ("Hypothesis", _hypothesis),
              ("time", _timings),
              ("gates", _gates),
              ("python, platform", lambda c: escape(f"{c.card['environment'].get('python')}, "
                                                f"{c.card['environment'].get('platform')}")),
              ("model packages", lambda c: _packages(c, True)),
              ("other packages", lambda c: _packages(c, False))]
    head = "".join(f"<th>{breakable(card.label)}</th>" for card in scorecards)
    rows = "".join(f"<tr><th scope='row'>{escape(name)}</th>" + "".join(f"<td>{show(card)}</td>" for card in scorecards)
                   + "</tr>" for name, show in fields)
    return (f'<section id="provenance"><h2>Provenance</h2><p class="hint">Where each scorecard came from: '
            f'compare two models only when their runs compare.</p><div class="wide"><table class="provenance">'
            f'<thead><tr><th></th>{head}</tr></thead><tbody>{rows}</tbody></table></div></section>')


def _declared(card):
    caps = card.model.get("capabilities")
    if not caps:
        return "–"
    elements = caps.get("elements")
    parts = [f"level of theory: {caps.get('level_of_theory') or '–'}",
             f"reads charge: {'yes' if caps.get('reads_charge') else 'no'}",
             f"reads spin: {'yes' if caps.get('reads_spin') else 'no'}",
             f"elements: {'any' if elements is None else len(elements)}",
             f"cutoff: {caps['cutoff']} Å" if caps.get("cutoff") else "cutoff: none",
             f"max electrons: {caps['max_electrons']}" if caps.get("max_electrons") else "",
             f"absolute energies: {'yes' if caps.get('absolute_energies') else 'no'}"]
    return "<br>".join(escape(p) for p in parts if p)


def _checkpoint(card):
    found = card.model.get("checkpoint")
    if not found:
        return '<span class="muted">none named (weights from a package or a download cache)</span>'
    return (f'<code title="{escape(found["sha256"])}">sha256 {escape(found["sha256"][:16])}…</code><br>'
            f'<code>{escape(found["path"])}</code>')


def _exit_status(card):
    status = card.card["exit_status"]
    return f"{status} ({escape(EXIT_STATUS_WORDS.get(status, '?'))})"


def _interrupted(card):
    why = card.card.get("interrupted")
    return f'<span class="st-text-failed">yes: {escape(why)}</span>' if why else "no"


def _hypothesis(card):
    h = card.card["hypothesis"]
    seed = f", seed {h['seed']}" if h.get("seed") is not None else ""
    how = "derandomized" if h.get("derandomize") else "random"
    return escape(f"profile {h.get('profile')} ({how}, {h.get('max_examples')} examples{seed})")


def _timings(card):
    main = (card.card.get("timings") or {}).get("main") or {}
    inside = sum(t.get("in_model", 0.0) for t in card.card.get("timings", {}).values())
    parts = [f"model load {main['model_load']:.1f} s" if "model_load" in main else "",
             f"in the model {inside:.1f} s", f"{main['geometries']} geometries" if "geometries" in main else "",
             f"{len(card.card.get('timings', {})) - 1} xdist workers" if len(card.card.get("timings", {})) > 1 else ""]
    return escape(", ".join(p for p in parts if p))


def _gates(card):
    g = card.card["gates"]
    parts = [f"expected failures: {g['expected_failures']}" if g.get("expected_failures") else "",
             f"baseline: {g['baseline']}" + (" (written by this run)" if g.get("baseline_updated") else "")
             if g.get("baseline") else ""]
    parts += [f"warning: {w}" for w in g.get("warnings", [])]
    return "<br>".join(escape(p) for p in parts if p) or "none"


def _packages(card, model_packages):
    found = card.card["environment"].get("packages", {})
    chosen = {k: v for k, v in found.items() if (k in _MODEL_PACKAGES) == model_packages}
    return ", ".join(f"{escape(k)} {escape(v)}" for k, v in chosen.items()) or "–"
