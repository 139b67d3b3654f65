"""The table every run ends with: one row per physics check, grouped by system, 80 columns.

A parametrized check is one row ("FAIL 23/24"); its key number is the measurement closest to
(or furthest past) its tolerance among the checks of the worst status, or the number a count
or a bound decides on.  Numbers come from the measurements (their machine keys), never from
the words of a message.
"""

from mlip_conformance.runstate import run_state
from mlip_conformance.verdicts import SHORT_STATUS, STATUSES, WORST_FIRST, format_number, key_measurement

__all__ = ["table", "WIDTH"]

WIDTH = 80
NONDETERMINISM_CHECK = "test_repeated_evaluation_agrees"


def table(config, state, checks):
    counts = {status: sum(c["status"] == status for c in checks) for status in STATUSES}
    lines = ["", "=" * WIDTH, _fit(f"conformance: {_model_line(config)}", WIDTH),
             _fit(", ".join(f"{n} {status}" for status, n in counts.items() if n) or "no check ran", WIDTH)]
    if state.interrupted:
        lines.append(_fit(f"INTERRUPTED ({state.interrupted}): {len(checks)} checks ran; the rest did not",
                          WIDTH))
    if any(c["function"] == NONDETERMINISM_CHECK and c["status"] == "failed" for c in checks):
        lines.append(_fit("NONDETERMINISTIC MODEL: the same geometry gave different answers; other "
                          "verdicts may change from run to run", WIDTH))
    lines += ["=" * WIDTH, f"{'status':<10} {'check':<41} key number"]
    for system, rows in _rows(checks):
        lines.append(f"-- {system} " + "-" * max(0, WIDTH - 4 - len(system)))
        for status, name, number in rows:
            lines.append(f"{status:<10} {_fit(name, 41):<41} {_fit(number, 27)}".rstrip())
    return lines


def _rows(checks):
    systems = {}
    for check in checks:
        systems.setdefault(check["system"], {}).setdefault(check["function"], []).append(check)
    for system, functions in systems.items():
        rows = []
        for function, group in functions.items():
            rows.append((_row_status(group), function.removeprefix("test_"), _key_number(group)))
        yield system, rows


def _row_status(group):
    worst = min((c["status"] for c in group), key=WORST_FIRST.index)
    if len(group) == 1:
        return SHORT_STATUS[worst]
    n = sum(c["status"] == worst for c in group)
    return f"{SHORT_STATUS[worst]} {n}/{len(group)}"


def _key_number(group):
    worst = min((c["status"] for c in group), key=WORST_FIRST.index)
    chosen = [m for c in group if c["status"] == worst for m in c["measurements"]]
    if not chosen and worst in ("passed", "not applicable", "skipped"):
        chosen = [m for c in group for m in c["measurements"]]
    if not chosen:   # e.g. a failure for want of a prediction: its message says why
        message = next((c["message"] for c in group if c["status"] == worst and c["message"]), "")
        return message.splitlines()[0].removeprefix("not applicable: ") if message else "-"
    return format_number(key_measurement(chosen))


def _fit(text, width):
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _model_line(config):
    model = run_state(config).description or {}
    name, spec = model.get("name"), config.getoption("model")
    described = ", ".join(f"{name} on {device}" for device in model.get("devices", [])) if name else "no model"
    return described if spec == name else f"{described} (--model={spec})"
