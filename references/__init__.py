"""Reference data, physical constants and the pyscf scripts that regenerate the data.

Nothing in this package reads files outside the repository: every number a test
compares against is either a literature value quoted here with its citation or a
data file under ``references/data`` written by ``python -m mlip_conformance.references.generate``.
"""
