"""Ground levels of the neutral atoms: the one table the suite reads a free atom's spin from.

GROUND_STATE_MULTIPLICITY gives 2S+1 of the ground level of each neutral atom H–Pu (Z = 1–94), as
listed by the NIST Atomic Spectra Database (A. Kramida, Yu. Ralchenko, J. Reader and NIST ASD Team,
NIST ASD v5.11, 2023).  For the light atoms each follows from Hund's first rule (maximum spin of the
open subshell); the exceptions to the aufbau filling are noted beside their rows.  GROUND_TERMS
names the ground term of the atoms whose spin ordering the suite tests (conformance/test_atoms.py).
"""

from ase.data import chemical_symbols

__all__ = ["GROUND_STATE_MULTIPLICITY", "GROUND_TERMS"]

GROUND_STATE_MULTIPLICITY = dict(zip(chemical_symbols[1:95], (
    2, 1,                                                   # H He
    2, 1, 2, 3, 4, 3, 2, 1,                                 # Li–Ne
    2, 1, 2, 3, 4, 3, 2, 1,                                 # Na–Ar
    2, 1, 2, 3, 4, 7, 6, 5, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1,   # K–Kr (Cr ⁷S, Cu ²S)
    2, 1, 2, 3, 6, 7, 6, 5, 4, 1, 2, 1, 2, 3, 4, 3, 2, 1,   # Rb–Xe (Nb ⁶D, Mo ⁷S, Ru ⁵F, Rh ⁴F, Pd ¹S)
    2, 1,                                                   # Cs Ba
    2, 1, 4, 5, 6, 7, 8, 9, 6, 5, 4, 3, 2, 1, 2,            # La–Lu (Ce ¹G, Gd ⁹D, Tb ⁶H)
    3, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1,            # Hf–Rn (Pt ³D, Au ²S)
    2, 1, 2, 3, 4, 5, 6, 7,                                 # Fr–Pu (Pa ⁴K, U ⁵L, Np ⁶L, Pu ⁷F)
)))

GROUND_TERMS = {
    "H": "²S", "He": "¹S", "Li": "²S", "Be": "¹S", "B": "²P", "C": "³P", "N": "⁴S", "O": "³P",
    "F": "²P", "Ne": "¹S", "Na": "²S", "Cl": "²P",
}
"""The ground term (NIST ASD) of the catalogue's atoms; its superscript is GROUND_STATE_MULTIPLICITY."""
