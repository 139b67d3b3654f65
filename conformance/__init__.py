"""Physics conformance tests for machine-learned interatomic potentials, and their helpers."""
