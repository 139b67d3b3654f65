"""Small pieces of the report's HTML, shared by its sections."""

import html
import re
from importlib import resources

__all__ = ["static", "swatch", "number", "first_line", "breakable", "escape"]


def static(name):
    """A file of report/static (CSS, JavaScript), to inline into the page."""
    return resources.files("mlip_conformance.report").joinpath("static", name).read_text(encoding="utf-8")


def swatch(colour):
    return f'<span class="swatch" style="background:{colour}"></span>'


def number(value, units):
    return "not a number" if value is None else f"{value:.6g}{escape(units)}"


def first_line(text):
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def breakable(text):
    """Escaped, with line-break opportunities after / and : (model specs are file paths)."""
    return re.sub(r"([/:])", r"\1<wbr>", escape(text))


def escape(text):
    return html.escape(str(text), quote=True)
