"""Reading scorecards: each file is a scorecard of schema 2, or one line says why it is not.

Every file is validated against mlip_conformance/scorecard.schema.json with jsonschema where it
is installed (a test dependency, not a runtime one).  Without it the report checks only the
fields it reads, and says on the page and on stderr that the files were not validated.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mlip_conformance.scorecard import SCHEMA, SCHEMA_PATH

__all__ = ["ReportError", "Scorecard", "load_all"]

_MESSAGE_CHARS = 240   # a schema error can quote a whole check: one line, cut here


class ReportError(Exception):
    """A usage error of the report command: one line on stderr, exit code 4."""


@dataclass
class Scorecard:
    """One scorecard file: one run of the suite on one model."""

    path: Path
    card: dict
    position: int        # its place on the command line: the column order "as given"
    label: str = ""      # the column's name, unique within the report

    @property
    def model(self):
        return self.card["model"]

    @property
    def name(self):
        return self.model.get("name") or self.model.get("spec") or self.path.stem

    @property
    def identity(self):
        """Two scorecards of the same (spec, name) are releases of one model."""
        return self.model.get("spec"), self.model.get("name")

    @property
    def checks(self):
        return self.card["checks"]

    @property
    def curves(self):
        """Scanned curves by system name; {} for a scorecard written before they were kept."""
        return self.card.get("curves") or {}

    @property
    def level_of_theory(self):
        return (self.model.get("capabilities") or {}).get("level_of_theory")

    @property
    def created(self):
        return self.card.get("created") or ""


def load_all(paths):
    """(scorecards in command-line order, notes for the page) or ReportError on the first bad file."""
    validate, notes = _validator()
    cards = [Scorecard(Path(path), _read(Path(path), validate), position) for position, path in enumerate(paths)]
    _label(cards)
    return cards, notes


def _read(path, validate):
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReportError(f"{path}: is a directory, not a scorecard file") from None
    except UnicodeDecodeError:
        raise ReportError(f"{path}: not a text file (not UTF-8), so not a scorecard") from None
    except OSError as error:
        raise ReportError(f"{path}: cannot be read: {error.strerror or error}") from None
    try:
        card = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReportError(f"{path}: not JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
    if not isinstance(card, dict) or "schema" not in card:
        raise ReportError(f"{path}: not a mlip-conformance scorecard (it has no \"schema\" field; "
                          "a run writes one with --conformance-json=PATH)")
    if card["schema"] != SCHEMA:
        raise ReportError(f"{path}: a scorecard of schema {card['schema']!r}; this report reads {SCHEMA!r} "
                          "(rerun the suite with --conformance-json=PATH)")
    problem = validate(card)
    if problem:
        raise ReportError(f"{path}: not a valid scorecard: {_one_line(problem)}")
    return card


def _validator():
    """(function card -> problem or None, notes)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    try:
        import jsonschema
    except ImportError:
        note = ("jsonschema is not installed: the scorecards were not validated against "
                "scorecard.schema.json, only the fields this report reads were checked (pip install jsonschema)")
        return (lambda card: _fields_problem(card, schema)), [note]
    validator = jsonschema.Draft202012Validator(schema)

    def validate(card):
        error = jsonschema.exceptions.best_match(validator.iter_errors(card))
        if error is None:
            return None
        where = "/".join(str(part) for part in error.absolute_path) or "top level"
        return f"{where}: {error.message}"
    return validate, []


def _fields_problem(card, schema):
    """Without jsonschema: the fields the report reads are there, with the right types."""
    missing = [name for name in schema["required"] if name not in card]
    if missing:
        return f"top level: missing {', '.join(missing)}"
    if not isinstance(card["checks"], list) or not isinstance(card["model"], dict):
        return "checks must be a list and model an object"
    needed = schema["properties"]["checks"]["items"]["required"]
    for index, check in enumerate(card["checks"]):
        if not isinstance(check, dict) or any(name not in check for name in needed):
            return f"checks/{index}: a check needs {', '.join(needed)}"
    curves = card.get("curves", {})
    needed = schema["$defs"]["curve"]["required"]
    for name, curve in (curves.items() if isinstance(curves, dict) else [("", None)]):
        if not isinstance(curve, dict) or any(field not in curve for field in needed):
            return f"curves/{name}: a curve needs {', '.join(needed)}"
    return None


def _label(cards):
    """Column names: the model's name (a model defined in a file, named by its spec, without the
    file's directory: the provenance table gives the whole spec); the scorecard's file name added
    where two columns share a name."""
    short = {card.position: _short(card.name) for card in cards}
    names = Counter(short.values())
    for card in cards:
        name = short[card.position]
        card.label = name if names[name] == 1 else f"{name} · {card.path.stem}"
    labels = Counter(card.label for card in cards)
    for card in cards:
        if labels[card.label] > 1:   # the same file name in two directories
            card.label = f"{card.label} #{card.position + 1}"


def _short(name):
    """"/home/me/models.py:make" -> "models.py:make"; any other name unchanged."""
    path, colon, factory = name.rpartition(":")
    parts = re.split(r"[\\/]", path)
    return f"{parts[-1]}:{factory}" if colon and len(parts) > 1 else name


def _one_line(text):
    text = " ".join(str(text).split())
    return text if len(text) <= _MESSAGE_CHARS else text[:_MESSAGE_CHARS - 1] + "…"
