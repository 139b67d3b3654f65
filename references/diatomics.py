"""Experimental ground states of the catalogue's diatomics: equilibrium bond length Re and well
depth De of the spin–orbit-free Born–Oppenheimer curve, each with its source.

What the suite compares with a model's curve (conformance/test_curve_accuracy.py), and what
classifies each state as bound (exactly one well) or at the noise floor (one well or none;
conformance/catalogue.py, tolerances.BOUND_WELL_DEPTH_EV).

Sources (HH: K. P. Huber and G. Herzberg, Molecular Spectra and Molecular Structure IV.
Constants of Diatomic Molecules, Van Nostrand Reinhold (1979), as tabulated in the NIST Chemistry
WebBook, NIST Standard Reference Database 69, "Constants of diatomic molecules"):
- Re: HH's re of the main isotopologue (from Be), unless an entry names another source.
- De: where a source gives the well depth itself (a potential fitted to all vibrational levels,
  a van der Waals potential), that value.  Otherwise De = D0 + G(0) with G(0) = ωe/2 − ωexe/4,
  D0 the measured dissociation energy of the lowest level and ωe, ωexe HH's constants of the same
  isotopologue; the Dunham term Y00 and higher anharmonic terms of G(0) are neglected (1 meV for H2,
  the most anharmonic, less for every other entry).
- Every De is then made spin–orbit-free (below).

Spin–orbit.  A measured D0 runs from the molecule's lowest fine-structure level to the atoms in
their lowest fine-structure levels (Cl ²P3/2, O ³P2, …).  The curve a model learns — DFT training
data, the suite's exact references, any non-relativistic Born–Oppenheimer calculation — has no
spin–orbit coupling: its atoms sit at the (2J+1)-weighted average of their fine-structure levels and
its molecule at the average of its Ω components.  So the experimental De is corrected to that
curve: De(spin–orbit-free) = De(experiment) + ΔE_SO(A) + ΔE_SO(B) − ΔE_SO(AB), where ΔE_SO is how
far the lowest fine-structure level lies below the average (atoms: NIST Atomic Spectra Database,
A. Kramida, Yu. Ralchenko, J. Reader and NIST ASD Team, NIST ASD v5.11 (2023); the same corrections
as in G3 theory, L. A. Curtiss et al., J. Chem. Phys. 109, 7764 (1998), Table II; molecules in a ²Π
state: |A|/2 with HH's spin–orbit constant A; Σ states have no first-order splitting).  It matters
beyond chemical accuracy for Cl2 (+73 meV) and is 36 meV for HCl and 33 meV for F2.
Scalar-relativistic and diagonal Born–Oppenheimer corrections (a few tenths of a kcal/mol at most
for these molecules) are left in: they are well inside the 1 kcal/mol the checks allow.

The shape of each curve.  A state marked bound is asked for exactly one well; that claim was
checked against the literature for the cases where it is least obvious:
- Be2: a single well holding 12 vibrational levels (Merritt et al. 2009; K. Patkowski, V. Špirko and
  K. Szalewicz, Science 326, 1382 (2009); M. Lesiuk et al., J. Chem. Theory Comput. 15, 2470
  (2019)), with an inflection ("shoulder") on its outer side near 3 Å but no second minimum.
- C2 X¹Σg⁺: one minimum; its character changes through avoided crossings with higher ¹Σg⁺ states
  (FCI curves: M. L. Abrams and C. D. Sherrill, J. Chem. Phys. 121, 9211 (2004)), which bend the
  curve without a hump.
- BH X¹Σ⁺: the humps of BH (0.15 eV at 2.06 Å) are in the A¹Π and a³Π states (R. J. Blint and
  W. A. Goddard III, Chem. Phys. 3, 297 (1974)); X¹Σ⁺ rises monotonically to B + H, as a
  frozen-core FCI/cc-pVDZ scan (0.9–6 Å, every 0.1 Å) run for this table confirms.
- BeH X²Σ⁺: rises monotonically from its minimum to Be + H in counterpoise-corrected UCCSD(T)/
  aug-cc-pVTZ (computed for this table: −76, −33, −16, −9.0, −5.9, −4.1, −2.6, −1.6, −0.5 meV at
  2.7, 2.9, 3.1, 3.3, 3.6, 4.0, 4.5, 5.0, 6.0 Å).  Without diffuse functions the closed-shell
  Be 2s² repels H too long: frozen-core FCI/cc-pVDZ and UCCSD(T)/cc-pVDZ both show a spurious
  10.6 meV hump at 3.1 Å, which a model trained on such data would inherit (and fail the
  monotonicity law for).
- NaCl and LiF: ionic at Re, covalent beyond the avoided crossing of Na⁺Cl⁻ with Na + Cl (9.4 Å,
  where k/r = IP(Na) − EA(Cl) = 1.53 eV) and of Li⁺F⁻ with Li + F (7.2 Å, 1.99 eV): the adiabatic
  ground state flattens there but keeps rising towards the atoms.
- The other states (H2, Li2, N2, O2, F2, Na2, Cl2, LiH, CH, NH, OH, HF, NaH, HCl, CO, NO, B2) are
  ordinary single wells; no hump of their ground states is known.
He2, Ne2 and HeH are van der Waals pairs whose wells (0.95, 3.6 and about 0.5 meV) lie at the noise
floor of the shape laws: the catalogue asks them for one well or none.
"""

from dataclasses import dataclass

from ase.formula import Formula

from mlip_conformance.references.constants import KCAL_PER_MOL_EV, KELVIN_EV, KJ_PER_MOL_EV, WAVENUMBER_EV

__all__ = ["GroundState", "GROUND_STATES", "FINE_STRUCTURE_CM", "spin_orbit_lowering_ev", "HH"]

HH = ("K. P. Huber and G. Herzberg, Constants of Diatomic Molecules (1979), "
      "NIST Chemistry WebBook SRD 69")

FINE_STRUCTURE_CM = {
    # element: ((J, level in cm⁻¹), …) of the ground term; NIST ASD v5.11 (2023).  Atoms not listed
    # (H ²S, He ¹S, Li ²S, Be ¹S, N ⁴S, Ne ¹S, Na ²S) have no fine structure in their ground term.
    "B": ((0.5, 0.0), (1.5, 15.287)),
    "C": ((0, 0.0), (1, 16.417), (2, 43.413)),
    "O": ((2, 0.0), (1, 158.265), (0, 226.977)),
    "F": ((1.5, 0.0), (0.5, 404.141)),
    "Cl": ((1.5, 0.0), (0.5, 882.352)),
}


def spin_orbit_lowering_ev(symbol):
    """How far an atom's lowest fine-structure level lies below the (2J+1)-weighted average of its
    ground term, in eV (0 for a term without fine structure)."""
    levels = FINE_STRUCTURE_CM.get(symbol, ((0, 0.0),))
    weights = [2 * j + 1 for j, _ in levels]
    average = sum(w * e for w, (_, e) in zip(weights, levels)) / sum(weights)
    return (average - min(e for _, e in levels)) * WAVENUMBER_EV


@dataclass(frozen=True)
class GroundState:
    """One catalogue diatomic's ground electronic state, as measured."""

    pair: str                           # the catalogue's name: "N2", "HCl", …
    re_angstrom: float | None           # equilibrium bond length (None: no experimental value)
    short: str                          # the source in two words, for messages: "HH", "Merritt et al. 2009"
    source: str                         # where Re and De come from, in full
    de_ev: float | None = None          # measured well depth, when the source gives it directly
    d0_ev: float | None = None          # measured D0 (lowest level to the atoms' lowest levels)
    omega_e_cm: float | None = None     # HH's ωe and ωexe, for G(0) when De = D0 + G(0)
    omega_e_x_e_cm: float | None = None
    spin_orbit_a_cm: float = 0.0        # the molecule's spin–orbit constant A (²Π states)
    accurate: bool = True               # False: De is known only roughly; it classifies, never judges
    note: str = ""                      # why not accurate, or what else a reader should know

    @property
    def atoms(self):
        """The two element symbols, read from the pair's formula ("NaCl": Na, Cl; "N2": N, N)."""
        return [symbol for symbol, count in Formula(self.pair).count().items() for _ in range(count)]

    @property
    def zero_point_ev(self):
        """G(0) = ωe/2 − ωexe/4 in eV (0 where De was measured directly)."""
        if self.d0_ev is None:
            return 0.0
        return (self.omega_e_cm / 2 - self.omega_e_x_e_cm / 4) * WAVENUMBER_EV

    @property
    def measured_de_ev(self):
        """The experimental well depth, to the atoms' lowest fine-structure levels."""
        return self.de_ev if self.de_ev is not None else self.d0_ev + self.zero_point_ev

    @property
    def spin_orbit_correction_ev(self):
        """ΔE_SO(A) + ΔE_SO(B) − ΔE_SO(AB): what the spin–orbit-free well is deeper by."""
        return sum(spin_orbit_lowering_ev(x) for x in self.atoms) - abs(self.spin_orbit_a_cm) / 2 * WAVENUMBER_EV

    @property
    def well_depth_ev(self):
        """De of the spin–orbit-free Born–Oppenheimer curve: what a model's E(far) − E(min) is compared with."""
        return self.measured_de_ev + self.spin_orbit_correction_ev

    @property
    def derivation(self):
        """How De was obtained, with the numbers."""
        if self.d0_ev is None:
            text = f"De {'=' if self.accurate else '≈'} {self.measured_de_ev:.5g} eV ({self.short})"
        else:
            text = (f"De = D0 + ωe/2 − ωexe/4 = {self.d0_ev:.5g} + {self.zero_point_ev:.4f} eV "
                    f"(D0: {self.short}; ωe = {self.omega_e_cm:g}, ωexe = {self.omega_e_x_e_cm:g} cm⁻¹: HH)")
        if self.spin_orbit_correction_ev:
            text += f", {self.spin_orbit_correction_ev * 1e3:+.1f} meV to the spin–orbit-free curve"
        return text + f" = {self.well_depth_ev:.4f} eV"


def _cm(value):
    return value * WAVENUMBER_EV


_ROUGH = ("De not held to chemical accuracy: HH give no spectroscopic D0 for this state (a thermochemical "
          "value or a limit); the approximate depth only classifies it")

GROUND_STATES = {state.pair: state for state in (
    GroundState("H2", 0.74144, "HH", HH, d0_ev=4.4781, omega_e_cm=4401.213, omega_e_x_e_cm=121.336,
                note="the exact Born–Oppenheimer De is 4.7477 eV (references/exact.py)"),
    GroundState("He2", 2.9695, "Aziz & Slaman 1991", "R. A. Aziz and M. J. Slaman, J. Chem. Phys. 94, 8047 "
                "(1991), the LM2M2 potential: ε/k_B = 10.97 K, r_m = 2.9695 Å", de_ev=10.97 * KELVIN_EV,
                note="van der Waals well"),
    GroundState("Li2", 2.6729, "Le Roy et al. 2009", "De: R. J. Le Roy et al., J. Chem. Phys. 131, 204309 "
                "(2009), 8516.780 cm⁻¹ for ⁷Li2 from a potential fitted to all levels; Re: HH",
                de_ev=_cm(8516.780)),
    GroundState("Be2", 2.4536, "Merritt et al. 2009", "J. M. Merritt, V. E. Bondybey and M. C. Heaven, "
                "Science 324, 1548 (2009): De = 929.7 ± 2 cm⁻¹ and re = 2.4536 Å from all 12 vibrational levels",
                de_ev=_cm(929.7), note="the shallowest chemical bond of the catalogue"),
    GroundState("B2", 1.590, "HH", HH, de_ev=3.0, accurate=False, note=_ROUGH),
    GroundState("C2", 1.24253, "Borsovszky et al. 2021", "D0: J. Borsovszky et al., Proc. Natl. Acad. Sci. "
                "USA 118, e2113315118 (2021), 602.804 ± 0.029 kJ/mol by photofragment imaging; Re, ωe, ωexe: HH",
                d0_ev=602.804 * KJ_PER_MOL_EV, omega_e_cm=1854.71, omega_e_x_e_cm=13.340),
    GroundState("N2", 1.09768, "HH", HH, d0_ev=9.759, omega_e_cm=2358.57, omega_e_x_e_cm=14.324),
    GroundState("O2", 1.20752, "HH", HH, d0_ev=5.116, omega_e_cm=1580.193, omega_e_x_e_cm=11.981),
    GroundState("F2", 1.41193, "HH", HH, d0_ev=1.602, omega_e_cm=916.64, omega_e_x_e_cm=11.236),
    GroundState("Ne2", 3.091, "Aziz & Slaman 1989", "R. A. Aziz and M. J. Slaman, Chem. Phys. 130, 187 (1989), "
                "the HFD-B potential: ε/k_B = 42.15 K, r_m = 3.091 Å", de_ev=42.15 * KELVIN_EV,
                note="van der Waals well"),
    GroundState("Na2", 3.07887, "Knöckel et al. 2004", "De: C. Knöckel, B. Bodermann and E. Tiemann, Eur. Phys. "
                "J. D 28, 199 (2004), 6022.029 cm⁻¹ from a potential fitted to all levels; Re: HH",
                de_ev=_cm(6022.029)),
    GroundState("Cl2", 1.9879, "HH", HH, d0_ev=2.4794, omega_e_cm=559.72, omega_e_x_e_cm=2.675),
    GroundState("HeH", None, "computed here", "no experiment: the curve holds no bound level (H. Olivares-Pilón "
                "and A. V. Turbiner, arXiv:1705.03608 (2017)); its well computed for this table by FCI/aug-cc-pVTZ "
                "with counterpoise correction: −0.48 meV at 3.6 Å (+1.07, −0.26, −0.42, −0.31 meV at 3.0, 3.3, "
                "3.9, 4.2 Å); the basis limit is a little deeper",
                de_ev=0.48e-3, accurate=False, note="a computed value, not an experiment: it only classifies the pair"),
    GroundState("LiH", 1.5957, "Stwalley & Zemke 1993", "De: W. C. Stwalley and W. T. Zemke, J. Phys. Chem. Ref. "
                "Data 22, 87 (1993), 20287.7 ± 0.3 cm⁻¹ for ⁷LiH; Re: HH", de_ev=_cm(20287.7)),
    GroundState("BeH", 1.3426, "Dattani 2015", "Re: HH; De: 17702 ± 200 cm⁻¹, N. S. Dattani, J. Mol. Spectrosc. "
                "311, 76 (2015)", de_ev=_cm(17702), accurate=False,
                note="its ±200 cm⁻¹ (±25 meV) is over half the 43 meV the check allows"),
    GroundState("BH", 1.2324, "HH", HH, de_ev=3.5, accurate=False, note=_ROUGH),
    GroundState("CH", 1.1199, "HH", HH, d0_ev=3.465, omega_e_cm=2858.5, omega_e_x_e_cm=63.02, spin_orbit_a_cm=28.0),
    GroundState("NH", 1.03621, "HH", HH, de_ev=3.5, accurate=False, note=_ROUGH),
    GroundState("OH", 0.96966, "Ruscic et al. 2002", "D0: B. Ruscic et al., J. Phys. Chem. A 106, 2727 (2002), "
                "101.76 ± 0.07 kcal/mol; Re, ωe, ωexe and A: HH", d0_ev=101.76 * KCAL_PER_MOL_EV,
                omega_e_cm=3737.761, omega_e_x_e_cm=84.8813, spin_orbit_a_cm=-139.2,
                note="HH's older D0, 4.392 eV, is 21 meV lower"),
    GroundState("HF", 0.916808, "HH", HH, d0_ev=5.869, omega_e_cm=4138.32, omega_e_x_e_cm=89.88),
    GroundState("NaH", 1.8874, "Walji et al. 2015", "De: S.-D. Walji, K. M. Sentjens and R. J. Le Roy, J. Chem. "
                "Phys. 142, 044305 (2015), 15797.4 ± 4.3 cm⁻¹ from a potential fitted to all levels; Re: HH",
                de_ev=_cm(15797.4)),
    GroundState("HCl", 1.274552, "HH", HH, d0_ev=4.4336, omega_e_cm=2990.946, omega_e_x_e_cm=52.8186),
    GroundState("CO", 1.128323, "HH", HH, d0_ev=11.092, omega_e_cm=2169.81358, omega_e_x_e_cm=13.28831),
    GroundState("NO", 1.15077, "HH", HH, d0_ev=6.4968, omega_e_cm=1904.20, omega_e_x_e_cm=14.075,
                spin_orbit_a_cm=123.1),
    GroundState("LiF", 1.563864, "HH", HH, de_ev=6.0, accurate=False, note=_ROUGH),
    GroundState("NaCl", 2.360795, "HH", HH, de_ev=4.25, accurate=False, note=_ROUGH),
)}
