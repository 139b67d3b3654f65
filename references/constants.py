"""Physical constants, CODATA 2018, and the unit conversions built from them.

This is the only module that defines a physical constant.  pyscf carries its own
(CODATA 2010) constants; never use them to convert the data we ship.

Source: E. Tiesinga, P. J. Mohr, D. B. Newell, B. N. Taylor, "CODATA recommended
values of the fundamental physical constants: 2018", Rev. Mod. Phys. 93, 025010 (2021).
"""

HARTREE_EV = 27.211386245988
"""Hartree energy in eV."""

BOHR_ANGSTROM = 0.529177210903
"""Bohr radius in Å."""

COULOMB_EV_ANGSTROM = HARTREE_EV * BOHR_ANGSTROM
"""e²/(4πε0) in eV·Å (14.399645478...): the energy of two unit charges 1 Å apart."""

EV_KJ_PER_MOL = 96.48533212331002
"""1 eV per particle in kJ/mol: N_A·e = 96485.33212 C/mol (exact in SI 2019)."""

KCAL_PER_MOL_EV = 4.184 / EV_KJ_PER_MOL
"""1 kcal/mol in eV (thermochemical calorie, 4.184 kJ)."""

KJ_PER_MOL_EV = 1 / EV_KJ_PER_MOL
"""1 kJ/mol in eV."""

ELEMENTARY_CHARGE_C = 1.602176634e-19
ATOMIC_MASS_UNIT_KG = 1.66053906660e-27
SPEED_OF_LIGHT_CM_S = 2.99792458e10
PLANCK_J_S = 6.62607015e-34
BOLTZMANN_J_K = 1.380649e-23

WAVENUMBER_EV = PLANCK_J_S * SPEED_OF_LIGHT_CM_S / ELEMENTARY_CHARGE_C
"""The energy of 1 cm⁻¹ in eV, hc/e = 1.2398419843e-4 (exact in SI 2019): spectroscopic constants."""

KELVIN_EV = BOLTZMANN_J_K / ELEMENTARY_CHARGE_C
"""k_B × 1 K in eV, 8.617333262e-5 (exact in SI 2019): van der Waals well depths quoted as ε/k_B."""

GPA_PER_EV_PER_CUBIC_ANGSTROM = ELEMENTARY_CHARGE_C * 1e30 / 1e9
"""1 eV/Å³ in GPa: 1.602176634e-19 J / 1e-30 m³ = 1.602176634e11 Pa = 160.2176634 GPa (exact: e is
fixed in the SI since 2019).  A stress reported in GPa where eV/Å³ is due is 160.2× too large."""

PROTIUM_MASS_U = 1.00782503223
"""Mass of the ¹H atom in u (AME2016 / NIST), used for harmonic frequencies of H2."""


def bohr_to_angstrom(length):
    return length * BOHR_ANGSTROM


def angstrom_to_bohr(length):
    return length / BOHR_ANGSTROM
