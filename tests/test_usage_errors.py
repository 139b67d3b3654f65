"""Bad input is a one-line usage error with exit code 4, never a traceback."""

import sys

import pytest

from mlip_conformance.adapters import Capabilities, ModelUsageError, load_model, parse_option
from mlip_conformance.adapters.base import DeclarationError
from mlip_conformance.references.levels import LEVELS
from suite import model_spec


@pytest.mark.parametrize("text, expected", [
    ("cutoff=6", ("cutoff", 6)), ("cutoff=6.5", ("cutoff", 6.5)), ("verbose=True", ("verbose", True)),
    ("verbose=false", ("verbose", False)), ("name=uma-s-1p1", ("name", "uma-s-1p1")),
    ("path=/tmp/a=b.pt", ("path", "/tmp/a=b.pt")),
])
def test_model_options_are_parsed_as_bool_int_float_or_string(text, expected):
    assert parse_option(text) == expected


def test_factory_receives_parsed_options():
    adapter = load_model(model_spec("with_options"), dict(map(parse_option, ["cutoff=6", "verbose=true"])))
    assert adapter.calculator.options == {"cutoff": 6, "label": "plain", "verbose": True}
    assert adapter.name.endswith("with_options")


def test_device_reaches_factories_that_take_one():
    assert load_model(model_spec("takes_device"), {}, device="cuda").calculator.device == "cuda"
    assert load_model(model_spec("takes_device"), {}).calculator.device == "auto"


@pytest.mark.parametrize("spec, options, device, message", [
    ("no-such-model", {}, "auto", "unknown model 'no-such-model': known models are aimnet2, chgnet, esen-omol, exact, mace"),
    ("no_such_package.models:make", {}, "auto", "cannot import no_such_package.models: ModuleNotFoundError"),
    ("missing/file.py:make", {}, "auto", "no such file missing/file.py"),
    (model_spec("no_such_factory"), {}, "auto", "has no attribute 'no_such_factory'"),
    (model_spec("with_options"), {"cutof": 6}, "auto", "does not accept option(s) cutof; accepted: cutoff, label, verbose"),
    (model_spec("strict_factor"), {"factor": "abc"}, "auto", "could not be built: ValueError"),
    (model_spec("not_a_model"), {}, "auto", "returned int, expected an ASE calculator"),
    ("exact", {}, "cuda", "takes no device option"),
])
def test_bad_model_specs_raise_one_line_usage_errors(spec, options, device, message):
    with pytest.raises(ModelUsageError) as error:
        load_model(spec, options, device)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_malformed_option_is_a_usage_error():
    with pytest.raises(ModelUsageError, match="not of the form KEY=VALUE"):
        parse_option("cutoff")


@pytest.mark.parametrize("args, message", [
    ((), "physics tests need a model: pass --model=SPEC"),
    (("--model", "no-such-model"), "unknown model 'no-such-model'"),
    (("--model", "exact", "--model-option", "cutoff"), "not of the form KEY=VALUE"),
    (("--model", "exact", "--model-option", "cutoff=6"), "does not accept option(s) cutoff"),
    (("--model", model_spec("strict_factor"), "--model-option", "factor=abc"), "could not be built"),
    # declarations the suite cannot read would silently turn checks 'not applicable'
    (("--model", model_spec("declares"), "--model-option", "level_of_theory=PBE"),
     "unknown level_of_theory 'PBE'; known levels: b97-3c, exact, gfn1-xtb, gfn2-xtb, ipea1-xtb, pbe, pbe-d3,"),
    (("--model", model_spec("declares"), "--model-option", "elements=H,Xx,Cl"),
     "unknown element symbol(s) 'Xx' in the declared elements; known symbols: H, He, Li,"),
    (("--model", "exact", "--compare-option", "cutoff=6"), "--compare-option cutoff=6: model 'exact' does not accept"),
    (("--model", "exact", "--compare-option", "cutoff"), "--compare-option 'cutoff' is not of the form KEY=VALUE"),
])
def test_command_line_usage_errors_exit_with_code_4_and_one_line(run_suite, args, message):
    run = run_suite(None, *args)
    assert run.exit_code == 4, run.output
    output = run.output
    errors = [line for line in output.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1 and message in errors[0], output
    assert "Traceback" not in output


@pytest.mark.parametrize("declared, message", [
    ({"level_of_theory": "PBE"}, "unknown level_of_theory 'PBE'; known levels: "),
    ({"level_of_theory": "toy"}, "or None to declare that the model has no reference level"),
    ({"elements": ["H", "Xx"]}, "unknown element symbol(s) 'Xx'"),
    ({"elements": ["H", "c"]}, "unknown element symbol(s) 'c'"),
    ({"elements": "HCl"}, "elements='HCl' is a string; declare a set of chemical symbols"),
])
def test_declaration_the_suite_cannot_read_is_a_usage_error(declared, message):
    with pytest.raises(DeclarationError) as error:
        Capabilities.from_declaration(declared)
    assert message in str(error.value) and "\n" not in str(error.value)
    assert isinstance(error.value, ModelUsageError)


def test_every_known_level_and_none_can_be_declared():
    for level in [*LEVELS, None]:
        assert Capabilities(level_of_theory=level).level_of_theory == level


REFERENCE_CHECKS = ("test_hydrogen_atom_energy", "test_equilibrium_bond_length[", "test_well_depth[",
                    "test_harmonic_wavenumber[", "test_curve_matches_the_reference[", "test_h2_cation_energy_at_two_bohr")
"""The accuracy checks against the reference set of the declared level (not those against experiment)."""


def test_no_reference_level_makes_the_accuracy_checks_not_applicable_with_that_reason(run_suite):
    run = run_suite(model_spec("declares_no_reference"), modules=["test_atoms.py", "test_curve_accuracy.py"])
    assert run.exit_code == 0, run.output[-3000:]
    against_reference = {test for test in run.outcomes if test.startswith(REFERENCE_CHECKS)}
    assert against_reference and against_reference <= run.with_outcome("skipped"), sorted(against_reference)
    assert all(run.messages[test].startswith("not applicable: ") and "declares no reference level" in run.messages[test]
               for test in against_reference), {test: run.messages[test] for test in against_reference}


FAMILY_PACKAGES = {"uma": ("fairchem", "uma"), "esen-omol": ("fairchem", "uma"), "mace": ("mace", "mace"),
                   "sevenn": ("sevenn", "sevenn"), "chgnet": ("chgnet", "chgnet"), "orb": ("orb_models", "orb"),
                   "aimnet2": ("aimnet", "aimnet2"), "xtb": ("tblite", "xtb"), "pyscf": ("pyscf", "pyscf")}


@pytest.mark.parametrize("name", sorted(FAMILY_PACKAGES))
def test_missing_model_package_names_the_extra_to_install(name, monkeypatch):
    package, extra = FAMILY_PACKAGES[name]
    for module in [m for m in list(sys.modules) if m == package or m.startswith(package + ".")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, package, None)   # makes `import package` fail
    with pytest.raises(ModelUsageError) as error:
        load_model(name)
    assert f"pip install -e '.[{extra}]'" in str(error.value)
    assert "\n" not in str(error.value)
