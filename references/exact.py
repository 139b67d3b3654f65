"""Exact non-relativistic Born–Oppenheimer energies: published values and the shipped exact curve.

Literature values (hartree, bohr unless stated):
- H atom: −1/2 exactly (infinite nuclear mass).
- He atom: −2.903724377 (C. Schwartz, Int. J. Mod. Phys. E 15, 877 (2006); G. W. F. Drake).
  The united-atom limit of H2.
- H2 X¹Σg⁺: E(1.4 bohr) = −1.174475714220 (K. Pachucki, Phys. Rev. A 82, 032509 (2010));
  the curve 0.4–6.0 bohr from J. S. Sims and S. A. Hagstrom, J. Chem. Phys. 124, 094101 (2006),
  Table VI (after W. Kołos and L. Wolniewicz, J. Chem. Phys. 43, 2429 (1965)).
  Re = 1.4011 bohr (0.74144 Å), De = 38292.7 cm⁻¹ (4.7477 eV), ωe = 4401.2 cm⁻¹ (spectroscopic,
  K. P. Huber and G. Herzberg, Constants of Diatomic Molecules (1979)), C6 = 6.499 a.u.
- H2⁺ X²Σg⁺ (1sσg, clamped nuclei): E(2 bohr) = −0.6026342144949 (J. M. Peek, J. Chem. Phys.
  43, 3004 (1965); L. B. Madsen and J. M. Peek, At. Data 2, 171 (1971)); minimum
  Re = 1.9971933 bohr, E(Re) = −0.6026346191 (F. M. Fernández and J. Garcia, "Highly accurate
  potential energy curves for the hydrogen molecule ion", arXiv:2107.01228 (2021), rounded;
  references/h2plus.py reproduces both); De = E(H) − E(Re) = 0.1026346191.
- H⁻ (infinite nuclear mass): −0.527751016544 (G. W. F. Drake, M. M. Cassar and R. A. Nistor,
  Phys. Rev. A 65, 054501 (2002); H. Nakashima and H. Nakatsuji, J. Chem. Phys. 127, 224104
  (2007), −0.527 751 016 544 377 196 59…).  H2 far apart with one electron moved: H⁺ + H⁻ lies
  E(H⁻) − 2E(H) = +0.4722490 Eh (12.85 eV) above H + H, less 1/R of Coulomb attraction.
"""

from functools import lru_cache

import numpy as np

from mlip_conformance.references import data
from mlip_conformance.references.constants import HARTREE_EV, bohr_to_angstrom

H_ATOM_HARTREE = -0.5
HE_ATOM_HARTREE = -2.903724377
H2_PACHUCKI_R_BOHR, H2_PACHUCKI_HARTREE = 1.4, -1.174475714220
H2_RE_ANGSTROM = 0.74144
H2_DE_EV = 4.7477
H2_OMEGA_E_CM = 4401.2
H2_C6_AU = 6.499

H2_CATION_RE_BOHR = 1.9971933
H2_CATION_MIN_HARTREE = -0.6026346191
H2_CATION_2BOHR_HARTREE = -0.6026342144949
H2_CATION_DE_EV = (H_ATOM_HARTREE - H2_CATION_MIN_HARTREE) * HARTREE_EV   # 0.1026346191 Eh = 2.7928 eV
H_ANION_HARTREE = -0.527751016544

SIMS_HAGSTROM_2006 = np.array([
    # R (bohr), E (hartree): J. S. Sims and S. A. Hagstrom, J. Chem. Phys. 124, 094101 (2006)
    (0.4, -0.1202303411778644), (0.5, -0.5266387587423172), (0.6, -0.7696354294853568),
    (0.7, -0.9220274615270152), (0.8, -1.020056666360139), (0.9, -1.0836432399585088),
    (1.0, -1.1245397195465792), (1.1, -1.1500573677382886), (1.2, -1.1649352434400282),
    (1.3, -1.17234714903778), (1.4, -1.1744757142200755), (1.5, -1.1728550795781447),
    (1.6, -1.1685833733709263), (1.7, -1.1624587268978088), (1.8, -1.155068737610807),
    (1.9, -1.146850697028721), (2.0, -1.1381329571315035), (2.1, -1.129163836099972),
    (2.2, -1.120132116847639), (2.3, -1.1111817652026448), (2.4, -1.1024226060092979),
    (2.5, -1.0939381299535997), (2.6, -1.0857912373935887), (2.7, -1.078028484181048),
    (2.8, -1.0706832334784095), (2.9, -1.0637780088027915), (3.0, -1.057326268869244),
    (3.1, -1.0513337722644516), (3.2, -1.0457996614287337), (3.3, -1.0407173653475985),
    (3.4, -1.0360753951869195), (3.5, -1.031858084851223), (3.6, -1.0280463083758766),
    (3.7, -1.0246181884071472), (3.8, -1.0215497955299109), (3.9, -1.0188158276928498),
    (4.0, -1.0163902529471283), (4.2, -1.0123599596799189), (4.4, -1.0092565162586633),
    (4.6, -1.0068952238201212), (4.8, -1.0051160060980953), (5.0, -1.0037856585819889),
    (5.2, -1.002796816309543), (5.4, -1.0020650572082352), (5.6, -1.0015252518853548),
    (5.8, -1.0011278808513213), (6.0, -1.0008357076542278),
])


def literature_curve_ev():
    """Sims & Hagstrom's exact curve as (r in Å, E in eV)."""
    r_bohr, e_hartree = SIMS_HAGSTROM_2006.T
    return bohr_to_angstrom(r_bohr), e_hartree * HARTREE_EV


@lru_cache(maxsize=None)
def h2_curve_ev():
    """The exact H2 curve on the suite's grid, (r in Å, E in eV), total energies.

    The shipped FCI/aug-cc-pV5Z binding energies E(r) − 2E(H) (same basis, so the
    basis error of the atoms cancels at long range) on top of the exact limit 2E(H) = −1 Eh.
    """
    record = data.load("exact")
    curve = record["curves"]["h2_singlet"]
    binding = np.asarray(curve["energy"]) - 2 * record["atoms"]["H"]["energy"]
    return np.asarray(curve["r"]), (2 * H_ATOM_HARTREE + binding) * HARTREE_EV


@lru_cache(maxsize=None)
def h2_cation_curve_ev():
    """The exact clamped-nuclei H2⁺ curve on the suite's grid, (r in Å, E in eV), total energies.

    No basis set: the shipped numbers are the separated-equation solution of references/h2plus.py
    (E(2 bohr) equal to Madsen & Peek's to 5e-14 Eh); E → E(H) = −0.5 Eh as R → ∞.
    """
    curve = data.load("exact")["curves"]["h2_cation"]
    return np.asarray(curve["r"]), np.asarray(curve["energy"]) * HARTREE_EV


@lru_cache(maxsize=None)
def h2_triplet_curve_ev():
    """The b³Σu⁺ curve of H2 on the suite's grid, (r in Å, E in eV), total energies.

    FCI/aug-cc-pV5Z binding energies E(r) − 2E(H) on top of the exact limit 2E(H) = −1 Eh,
    like h2_curve_ev: repulsive but for a sub-meV van der Waals well near 4 Å.
    """
    record = data.load("exact")
    curve = record["curves"]["h2_triplet"]
    binding = np.asarray(curve["energy"]) - 2 * record["atoms"]["H"]["energy"]
    return np.asarray(curve["r"]), (2 * H_ATOM_HARTREE + binding) * HARTREE_EV
