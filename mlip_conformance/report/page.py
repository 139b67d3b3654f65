"""The page: one self-contained HTML file (inline CSS and JavaScript, figures as data: URIs).

Sections: a summary table (one line per model, sortable), what changed between releases of one
model, the matrix of models × checks, the curves, and where each scorecard came from.  The
matrix carries its verdicts as attributes (data-status, data-check) so that a test, or a person
with the browser's inspector, reads them without parsing prose.
"""

import base64
import json
import re

from mlip_conformance.report import matrix as matrices
from mlip_conformance.report import provenance
from mlip_conformance.report.html import breakable, escape, first_line, number, static, swatch
from mlip_conformance.verdicts import SHORT_STATUS, STATUSES, WORST_FIRST

__all__ = ["render", "status_class"]

CATEGORY_WORDS = {
    "law": ("laws", "hold for any exact solution"),
    "accuracy": ("accuracy", "agreement with the reference of the model's level of theory"),
    "consistency": ("consistency", "the same answer however the model is called"),
    "other": ("other checks", ""),
}


def render(scorecards, groups, comparisons, figures, notes, colours, generated, version):
    title = f"MLIP physics conformance: {', '.join(card.label for card in scorecards)}"
    sections = [_summary(scorecards, colours)]
    if comparisons:
        sections.append(_changes(comparisons))
    sections += [_matrix(scorecards, groups, colours), _curves(figures), provenance.section(scorecards)]
    nav = [("summary", "Summary")] + ([("changes", "What changed")] if comparisons else []) + [
        ("matrix", "Checks"), ("curves", "Curves"), ("provenance", "Provenance")]
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="mlip-conformance {escape(version)}">',
        f"<title>{escape(title)}</title>",
        f"<script>{static('probe.js')}</script>",
        f"<style>{static('report.css')}</style>", "</head>", "<body>",
        '<pre id="js-errors" class="js-errors" hidden></pre>',
        _header(scorecards, generated, version, nav),
        '<main>', _notes(notes), *sections, "</main>",
        '<aside id="details" class="details" tabindex="-1" hidden></aside>',
        f'<script type="application/json" id="report-data">{_data(scorecards, colours)}</script>',
        f"<script>{static('report.js')}</script>", "</body>", "</html>", ""])


def status_class(status):
    return "st-" + (status or "none").replace(" ", "-")


# ---- header ------------------------------------------------------------------------------------

def _header(scorecards, generated, version, nav):
    links = "".join(f'<a href="#{anchor}">{escape(words)}</a>' for anchor, words in nav)
    return (f'<header class="top"><div class="title"><h1>MLIP physics conformance</h1>'
            f'<p>{len(scorecards)} scorecard{"s" if len(scorecards) != 1 else ""} compared · generated {escape(generated)} '
            f'by mlip-conformance {escape(version)} · every number is the suite\'s own measurement; the laws hold '
            f'for any exact solution, accuracy is judged against each model\'s level of theory</p></div>'
            f'<nav>{links}</nav></header>')


def _notes(notes):
    if not notes:
        return ""
    items = "".join(f"<li>{escape(note)}</li>" for note in notes)
    return f'<div class="notes" id="notes"><ul>{items}</ul></div>'


def _legend():
    chips = "".join(f'<span class="chip {status_class(s)}">{escape(SHORT_STATUS[s])}<small>{escape(s)}</small></span>'
                    for s in STATUSES)
    return (f'<div class="legend">{chips}<span class="chip st-none">not run<small>not in the scorecard</small>'
            '</span></div>')


# ---- summary ---------------------------------------------------------------------------------

def _summary(scorecards, colours):
    head = ("<tr><th data-sort='text'>model</th><th data-sort='text'>level of theory</th>"
            "<th data-sort='num' title='checks that could be asked of this model'>applicable</th>"
            "<th data-sort='num'>passed</th>"
            "<th data-sort='num' title='failed, errors and unexpected passes'>failures</th>"
            + "".join(f"<th data-sort='num'>{escape(CATEGORY_WORDS[c][0])} failed</th>" for c in ("law", "accuracy",
                                                                                            "consistency"))
            + "<th data-sort='num'>expected failures</th><th data-sort='num'>not applicable</th>"
            "<th data-sort='num'>run ended</th></tr>")
    rows = []
    for card in scorecards:
        counts = {s: sum(c["status"] == s for c in card.checks) for s in STATUSES}
        applicable = len(card.checks) - counts["not applicable"] - counts["skipped"]
        failing = matrices.failures(card)
        by_category = [sum(c["status"] in matrices.FAILING for c in card.checks if c["category"] == category)
                       for category in ("law", "accuracy", "consistency")]
        rate = f"{100 * counts['passed'] / applicable:.0f} %" if applicable else "–"
        ended = card.card["exit_status"]
        ended_words = provenance.EXIT_STATUS_WORDS.get(ended, "")
        if card.card.get("interrupted"):
            ended_words = f"INTERRUPTED ({card.card['interrupted']})"
        rows.append(
            f'<tr data-m="{card.position}"><td data-v="{escape(card.label)}">{swatch(colours[card.position])}'
            f'<b>{breakable(card.label)}</b></td><td data-v="{escape(card.level_of_theory or "")}">'
            f'{escape(card.level_of_theory or "–")}</td><td class="n" data-v="{applicable}">{applicable}</td>'
            f'<td class="n st-text-passed" data-v="{counts["passed"]}">{counts["passed"]} <small>({rate})</small></td>'
            f'<td class="n {"st-text-failed" if failing else ""}" data-v="{failing}">{failing}</td>'
            + "".join(f'<td class="n {"st-text-failed" if n else ""}" data-v="{n}">{n}</td>' for n in by_category)
            + f'<td class="n" data-v="{counts["expected failure"]}">{counts["expected failure"]}</td>'
            f'<td class="n muted" data-v="{counts["not applicable"]}">{counts["not applicable"]}</td>'
            f'<td class="n ended {"st-text-failed" if card.card.get("interrupted") else ""}" data-v="{ended}">'
            f'{ended} <small>{escape(ended_words)}</small></td></tr>')
    return (f'<section id="summary"><h2>Summary</h2><p class="hint">One line per scorecard; click a column '
            f'head to sort. "Failures" counts failed checks, errors and unexpected passes (what fails a run).</p>'
            f'<div class="wide"><table class="summary sortable"><thead>{head}</thead><tbody>{"".join(rows)}</tbody>'
            '</table></div></section>')


# ---- what changed ----------------------------------------------------------------------------

def _changes(comparisons):
    parts = []
    for comparison in comparisons:
        before, after = comparison.before, comparison.after
        differs = comparison.what_differs
        flipped, moved = len(comparison.flipped), len(comparison.moved)
        tally = (f"<b>{flipped}</b> check{'s' if flipped != 1 else ''} changed status · <b>{moved}</b> "
                 f"number{'s' if moved != 1 else ''} moved by more than the noise margin")
        if comparison.only_before or comparison.only_after:
            tally += (f" · {len(comparison.only_after)} checks only in the newer run, "
                      f"{len(comparison.only_before)} only in the older")
        parts.append(
            f'<article class="change" data-before="{escape(before.label)}" data-after="{escape(after.label)}">'
            f'<h3>{breakable(after.label.split(" · ")[0])}: <span class="file">{escape(before.path.name)}</span> '
            f'<small>{escape(before.created)}</small> → <span class="file">{escape(after.path.name)}</span> '
            f'<small>{escape(after.created)}</small></h3>'
            + (f'<p class="differs">{escape("; ".join(differs))}</p>' if differs else
               '<p class="differs">same weights, options, suite version and Hypothesis profile</p>')
            + f'<p class="tally">{tally}</p>' + _flips(comparison) + _moved(comparison) + _only(comparison)
            + "</article>")
    return ('<section id="changes"><h2>What changed</h2><p class="hint">Scorecards of the same model (same '
            'model spec and name), each against the one before it (by date). A number "moved" when it changed '
            'by more than the baseline noise margin: 5 % of its physics tolerance, at least the float32 noise of '
            'its units (mlip_conformance.gating.default_margin); "worse" or "better" says whether its error '
            '|measured − reference| grew or shrank.</p>' + "".join(parts) + "</section>")


def _flips(comparison):
    """One line per check function and flip (24 distances that all went passed -> failed are one
    line), its ids listed under it; the message of the first."""
    if not comparison.flipped:
        return '<p class="none">No check changed status.</p>'
    grouped = {}
    for old, new in comparison.flipped:
        grouped.setdefault((new["function"], new["system"], old["status"], new["status"]), []).append((old, new))
    rows = []
    for (function, system, before, after), pairs in grouped.items():
        ids = [new["id"] for _, new in pairs]
        name = f"<code>{escape(ids[0])}</code>" if len(ids) == 1 else (
            f'<code>{escape(function)}</code> <span class="count">×{len(ids)}</span><div class="ids">'
            + " ".join(f"<code>{escape(_param_text(i))}</code>" for i in ids) + "</div>")
        old, new = pairs[0]
        rows.append(
            f'<tr class="flip" data-function="{escape(function)}" data-ids="{escape("|".join(ids))}"><td>{name}</td>'
            f'<td>{escape(system)}</td><td><span class="chip {status_class(before)}">{escape(before)}</span></td>'
            f'<td><span class="chip {status_class(after)}">{escape(after)}</span></td>'
            f'<td class="message">{escape(first_line(new["message"] or old["message"]))}'
            + (f' <small>(and {len(ids) - 1} more)</small>' if len(ids) > 1 else "") + "</td></tr>")
    return ('<h4>Checks whose status changed</h4><table class="flips"><thead><tr><th>check</th><th>system</th>'
            f'<th>before</th><th>now</th><th>message (now)</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


_MOVED_SHOWN = 12   # the largest moves; the rest behind "show all"


def _moved(comparison):
    if not comparison.moved:
        return '<p class="none">No number moved by more than its noise margin.</p>'
    rows = [_moved_row(moved) for moved in comparison.moved]
    head = ('<thead><tr><th>check</th><th>number [key]</th><th>before</th><th>now</th><th>change</th>'
            '<th>noise margin</th><th>error</th></tr></thead>')
    verdicts = {v: sum(m.verdict == v for m in comparison.moved) for v in ("worse", "better", "moved", "not a number")}
    tally = ", ".join(f"{n} {v}" for v, n in verdicts.items() if n)
    shown = (f'<h4>Numbers that moved <small>({tally}; largest first, in units of their margin)</small></h4>'
             f'<table class="moved-numbers">{head}<tbody>{"".join(rows[:_MOVED_SHOWN])}</tbody></table>')
    if len(rows) > _MOVED_SHOWN:
        shown += (f'<details class="more"><summary>the other {len(rows) - _MOVED_SHOWN} numbers that moved</summary>'
                  f'<table class="moved-numbers">{head}<tbody>{"".join(rows[_MOVED_SHOWN:])}</tbody></table></details>')
    return shown


def _moved_row(moved):
    units = f" {moved.units}" if moved.units else ""
    change = "–" if moved.change is None else f"{moved.change:+.4g}{units}"
    return (f'<tr class="moved {moved.verdict.replace(" ", "-")}" data-check="{escape(moved.check_id)}" '
            f'data-key="{escape(moved.key)}"><td><code>{escape(moved.check_id)}</code></td><td class="quantity" '
            f'title="{escape(moved.quantity)}"><span>{escape(moved.quantity)} <code class="key">[{escape(moved.key)}]</code>'
            f'</span></td><td class="n">{number(moved.before, units)}</td>'
            f'<td class="n">{number(moved.after, units)}</td><td class="n">{escape(change)}</td>'
            f'<td class="n muted">{moved.margin:.3g}{escape(units)}</td><td class="verdict">{escape(moved.verdict)}</td></tr>')


def _only(comparison):
    parts = []
    for words, ids in (("only in the newer run", comparison.only_after),
                       ("only in the older run", comparison.only_before)):
        if ids:
            parts.append(f"<details><summary>{len(ids)} checks {words}</summary><p>"
                         + ", ".join(f"<code>{escape(i)}</code>" for i in ids) + "</p></details>")
    return "".join(parts)


# ---- the matrix ------------------------------------------------------------------------------

def _matrix(scorecards, groups, colours):
    head = "".join(
        f'<th class="model" data-m="{card.position}" scope="col" title="click: this model\'s worst checks first">'
        f'{swatch(colours[card.position])}<span class="label">{breakable(card.label)}</span>'
        f'<small>{escape(card.level_of_theory or "")}</small></th>' for card in scorecards)
    bodies = "".join(_group(group, len(scorecards)) for group in groups)
    rows = sum(len(group.rows) for group in groups)
    checks = len({nodeid for group in groups for row in group.rows for nodeid in row.ids})
    toolbar = (
        '<div class="toolbar">'
        '<span class="tool">models: <button type="button" data-order-models="given" class="on">as given</button>'
        '<button type="button" data-order-models="name">by name</button>'
        '<button type="button" data-order-models="failures">fewest failures first</button></span>'
        '<span class="tool">checks: <button type="button" data-order-checks="suite" class="on">by system</button>'
        '<button type="button" data-order-checks="failures">most failures first</button></span>'
        '<span class="tool"><label><input type="checkbox" id="only-failing"> only checks some model fails</label>'
        '<label><input type="checkbox" id="only-disagree"> only where the models disagree</label></span>'
        '<span class="tool"><button type="button" id="unfold-all">unfold all</button>'
        '<button type="button" id="fold-all">fold all</button></span></div>')
    return (f'<section id="matrix-section"><h2 id="matrix">Checks</h2>'
            f'<p class="hint">{checks} checks in {rows} rows, grouped by system and by law, accuracy and '
            'consistency. A parametrized check is one row ("FAIL 3/24": its worst status, and how many of its '
            'ids have it; ▸ unfolds it). The number is the deciding measurement: error ± tolerance, or the value '
            'and what the law needs. Hover a cell for its message; click it for every number. Click a model\'s '
            'name to put its worst checks first.</p>'
            f'{_legend()}{toolbar}<div class="matrix-wrap"><table class="matrix" id="matrix-table">'
            f'<thead><tr><th class="check corner" scope="col">check</th>{head}</tr></thead>{bodies}</table></div>'
            '</section>')


def _group(group, n_models):
    words, hint = CATEGORY_WORDS.get(group.category, (group.category, ""))
    rows = "".join(_row(row) for row in group.rows)
    return (f'<tbody data-system="{escape(group.system)}" data-category="{escape(group.category)}">'
            f'<tr class="group-head"><th colspan="{n_models + 1}" scope="rowgroup"><span class="system">'
            f'{escape(group.system)}</span> <span class="category cat-{escape(group.category)}">{escape(words)}</span>'
            f' <span class="hint">{escape(hint)}</span></th></tr>{rows}</tbody>')


def _row(row):
    row_id = f"R{row.order}"
    ranks = ",".join(str(cell.rank) for cell in row.cells)
    folded = len(row.ids) > 1
    if folded:
        name = (f'<button type="button" class="fold" aria-expanded="false" aria-controls="{row_id}" '
                f'title="show each of its {len(row.ids)} ids">▸</button><span class="name" title="{escape(row.function)}">'
                f'{escape(row.title)}</span> <span class="count">×{len(row.ids)}</span>')
    else:
        name = (f'<span class="name" title="{escape(row.function)}">{escape(row.title)}</span>'
                f'{_param(next(iter(row.ids.values())))}')
    check = "" if folded else f' data-check="{escape(next(iter(row.ids.values())))}"'
    line = (f'<tr class="row" id="{row_id}" data-order="{row.order}" data-failing="{row.failing_models}" '
            f'data-checks-failing="{row.failing_checks}" data-disagree="{int(row.models_disagree)}" '
            f'data-ranks="{ranks}" data-title="{escape(row.title)}" data-function="{escape(row.function)}"{check}>'
            f'<th class="check" scope="row">{name}</th>'
            + "".join(_cell(cell, m, folded) for m, cell in enumerate(row.cells)) + "</tr>")
    units = "".join(
        f'<tr class="unit" data-parent="{row_id}" data-check="{escape(check_id)}" data-title="{escape(check_id)}" hidden>'
        f'<th class="check" scope="row"><code>{escape(_param_text(check_id))}</code></th>'
        + "".join(_cell(cell, m, False) for m, cell in enumerate(cells)) + "</tr>"
        for _, check_id, cells in row.units)
    return line + units


def _cell(cell, position, folded):
    bar = ""
    if folded and cell.counts:
        total = sum(cell.counts.values())
        bar = '<span class="bar">' + "".join(
            f'<i class="{status_class(s)}" style="flex:{cell.counts[s] / total:.4f}"></i>'
            for s in WORST_FIRST if cell.counts.get(s)) + "</span>"
    number = f'<span class="num">{escape(cell.number)}</span>' if cell.number else ""
    indices = ",".join(str(i) for i in cell.indices)
    return (f'<td class="cell {status_class(cell.status)}" data-m="{position}" '
            f'data-status="{escape(cell.status or "not run")}" data-c="{indices}" title="{escape(cell.tooltip)}">'
            f'<span class="badge">{escape(cell.badge)}</span>{number}{bar}</td>')


def _param(check_id):
    text = _param_text(check_id)
    return f' <code class="param">{escape(text)}</code>' if text != check_id else ""


def _param_text(check_id):
    found = re.search(r"\[(.*)\]$", check_id)
    return found.group(1) if found else check_id


# ---- curves ------------------------------------------------------------------------------------

def _curves(figures):
    if not figures:
        return ('<section id="curves"><h2>Curves</h2><p class="none">No scorecard here keeps a scanned curve '
                '(a run that scanned none, or a scorecard written before curves were kept): no figure to '
                'draw.</p></section>')
    from mlip_conformance.conformance import catalogue
    main = [f for f in figures if getattr(catalogue.BY_NAME.get(f.name), "group", "") != "diatomics"]
    diatomics = [f for f in figures if f not in main]
    index = "".join(f'<a href="#curve-{_anchor(f.name)}">{escape(f.name)}</a>' for f in figures)
    body = "".join(_figure(f) for f in main)
    if diatomics:
        body += ('<h3 class="sub">Diatomics</h3><p class="hint">The suite has no reference curve for these: '
                 'the models are drawn over one another, each relative to its own separated atoms.</p>'
                 + "".join(_figure(f) for f in diatomics))
    return (f'<section id="curves"><h2>Curves</h2><p class="hint">Every model\'s scanned curve as its scorecard '
            f'keeps it, over the exact curve where there is one (thick black), as in Lee &amp; Dieng, '
            f'arXiv:2509.26397. Energies in eV, distances in Å, forces in eV/Å.</p>'
            f'<nav class="curve-index">{index}</nav>{body}</section>')


def _figure(figure):
    notes = "".join(f"<li>{escape(note)}</li>" for note in figure.notes)
    width, height = _svg_size(figure.svg)
    data = base64.b64encode(figure.svg.encode("utf-8")).decode("ascii")
    return (f'<figure class="curve" id="curve-{_anchor(figure.name)}" data-system="{escape(figure.name)}">'
            f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(figure.label)}: energy curves of every model" '
            f'width="{width}" height="{height}" loading="eager">'
            f'<figcaption>{escape(figure.caption)}' + (f'<ul class="figure-notes">{notes}</ul>' if notes else "")
            + "</figcaption></figure>")


def _svg_size(svg):
    """The SVG's width and height in CSS pixels (matplotlib writes them in pt)."""
    found = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"', svg)
    if not found:
        return 1000, 700
    return round(float(found.group(1)) * 4 / 3), round(float(found.group(2)) * 4 / 3)


def _anchor(name):
    return re.sub(r"[^A-Za-z0-9_-]", lambda m: f"_{ord(m.group()):x}", name)


# ---- data for the script ---------------------------------------------------------------------

def _data(scorecards, colours):
    """What a click shows: every check of every scorecard, with its numbers (JSON, made safe for
    a <script> element)."""
    fields = ("id", "status", "message", "key", "measurements")
    data = {"models": [card.label for card in scorecards],
            "colours": [colours[card.position] for card in scorecards],
            "failures": [matrices.failures(card) for card in scorecards],
            "checks": [[{k: check[k] for k in fields} for check in card.checks] for card in scorecards]}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
