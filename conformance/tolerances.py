"""Every tolerance of the suite, each with its physical justification and source.

No test defines a number of its own.  Loosening any value here to make a model
pass is not allowed: a model that misses a tolerance has a finding to report.
"""

from mlip_conformance.references.constants import KCAL_PER_MOL_EV

FLOAT32_EPSILON = 2.0 ** -23
FLOAT64_EPSILON = 2.0 ** -52
"""The spacing of floating-point numbers relative to their size (machine epsilon): models that
compute in float32 (most MLIPs) know an energy of E eV to about E × 1.2e-7; float64 (xTB, pyscf)
to E × 2.2e-16.  The round-off allowances below are counted in these units."""

CHEMICAL_ACCURACY_EV = KCAL_PER_MOL_EV
"""1 kcal/mol = 43.4 meV, the conventional 'chemical accuracy' of thermochemistry (Pople's
target for G1/G2 theory); the bound for every accuracy comparison of energies."""

WIGGLE_EV = 1e-3
"""Minima shallower than 1 meV, and monotonicity breaks smaller than 1 meV, are ignored.
1 meV is 1/40 of chemical accuracy (noise no chemist would notice) and ~250× the float32
round-off of a 30 eV total energy (30 eV × 1.2e-7 = 4 µeV)."""

FORCE_SIGN_NOISE_EV_PER_A = 1e-2
"""Forces below 10 meV/Å count as zero when sign changes are counted: the MLIP Arena
'force flips' definition (Chiang et al., MLIP Arena, ICLR 2025 / NeurIPS 2025 D&B)."""

UNITED_ATOM_MAX_R_ANGSTROM = 0.5
UNITED_ATOM_SLACK_EV = 0.5
"""United-atom bound E(r) − 2E(H) ≥ k/r + E(He) − 2E(H) − slack for r ≤ 0.5 Å.
Exactly, the electronic energy of H2 never lies below that of He (the united atom): the
gap is +0.26 Eh (7 eV) at 0.2 Å and grows with r.  The 0.5 eV slack lets any sound level of
theory pass (basis-set errors at 0.2 Å are ~0.05 eV for aug-cc-pVQZ) while a repulsive wall
that softens or saturates fails by tens of eV."""

COULOMB_RELATIVE = 0.01
COULOMB_ABSOLUTE_EV = 0.01
"""Bare nuclei: energy within max(1 %, 10 meV) of k Σ Zi Zj / rij.  Coulomb's law is exact
for bare nuclei; 1 % is far inside what matters and far outside the errors found (Lee & Dieng 2025 found tens of % and wrong
signs), the 10 meV floor covers energies of nearly cancelling pairs."""

COULOMB_FORCE_RELATIVE = 0.01
COULOMB_FORCE_ABSOLUTE_EV_PER_A = 1e-3
"""Bare nuclei: each force component within max(1 % of that atom's force, 1 meV/Å).  The floor
only matters where a force nearly vanishes (an atom at a symmetric position of a cluster):
1 meV/Å is float32 round-off scale, and the 1 % gate still holds at 10 Å (k/r² = 0.144 eV/Å)."""

BARE_NUCLEUS_ENERGY_EV = 0.01
"""A single bare nucleus has no electrons and so exactly zero energy (absolute-energy models)."""

CHARGE_RESPONSE_EV = 1e-3
"""A model 'reads charge' if E(H2, q=+2) differs from E(H2, q=0) by more than 1 meV.  The exact
difference at 0.74 Å is 51 eV; a smaller response is indistinguishable from ignoring charge."""

INVARIANCE_ENERGY_EV = 1e-3
INVARIANCE_FORCE_EV_PER_A = 5e-3
"""Rotations, reflections, translations and permutations leave the energy unchanged and
rotate the forces.  1 meV and 5 meV/Å are far above float32 round-off and far below any
chemically visible effect."""

FINITE_DIFFERENCE_STEP_ANGSTROM = 2e-3
CONSERVATION_RELATIVE = 0.01
CONSERVATION_ABSOLUTE_EV_PER_A = 0.01
"""Forces equal −dE/dr, checked by central differences with h = 2e-3 Å: truncation error
h² |E'''|/6 ≤ 1e-3 eV/Å for H2 (|E'''| ≲ 1500 eV/Å³ at 0.5 Å) and float32 round-off ≲ 4e-3 eV/Å;
the tolerance max(1 %, 10 meV/Å) is the MLIP Arena scale of 'conservation deviation'."""

NEWTON_THIRD_LAW_EV_PER_A = 1e-3
"""Forces of an isolated molecule sum to zero and act along the bond (1 meV/Å: round-off)."""

BOND_LENGTH_ANGSTROM = 0.01
"""Equilibrium bond length within 0.01 Å (spectroscopy resolves 1e-5 Å; DFT errors ~0.01 Å)."""

HARMONIC_FREQUENCY_RELATIVE = 0.02
"""Harmonic wavenumber within 2 % (~90 cm⁻¹ for H2), the spread of good hybrid functionals."""

CURVE_WINDOW_ANGSTROM = (0.5, 3.0)
"""The part of the H2 curve compared point by point with the reference (chemical accuracy)."""

# --- Beyond neutral H2 (H2⁺, triplet H2, H⁻, other diatomics, size consistency) --------------

TRIPLET_BELOW_SINGLET_EV = WIGGLE_EV
"""The lowest triplet of two electrons never lies below the singlet ground state (the ground
state of any two-electron system is a singlet: its spatial wavefunction is nodeless, E. H. Lieb
and D. C. Mattis, Phys. Rev. 125, 164 (1962)).  At long range the two are degenerate to
~e^(−2r) (1e-9 eV at 10 Å), so 1 meV of slack is round-off, not physics."""

TRIPLET_WELL_MAX_EV = WIGGLE_EV
"""b³Σu⁺ H2 is repulsive apart from a van der Waals well 4.4 cm⁻¹ = 0.55 meV deep at 4.16 Å
(W. Kołos and L. Wolniewicz, Chem. Phys. Lett. 24, 457 (1974)): any minimum deeper than 1 meV,
or any rise on the way in larger than 1 meV, is a spurious bond."""

TRIPLET_WINDOW_ANGSTROM = (0.8, 3.0)
"""Where the model's lowest triplet is compared with the b³Σu⁺ reference: from 0.8 Å out b³Σu⁺
is the lowest triplet (references/fci2e.py: at ≤ 0.74 Å an unconstrained triplet finds ³Σg⁺);
beyond 3 Å both are within µeV of 2E(H)."""

HYDRIDE_BINDING_EV = 0.0
"""H⁻ is bound: E(H⁻) < E(H) (exactly one bound state, R. N. Hill, Phys. Rev. Lett. 38, 643
(1977); electron affinity 0.7551 eV for an infinitely heavy nucleus, 0.7542 eV measured).  The law only asks for binding; the affinity itself is an
accuracy check against the exact value (chemical accuracy)."""

SIZE_CONSISTENCY_EV = WIGGLE_EV
"""Two molecules 20 Å apart have the sum of their energies: the exact interaction of two H2
(C6 ≈ 12 a.u.) or two H atoms (C6 = 6.5 a.u.) at 20 Å is ~1e-7 eV, so 1 meV covers float32
round-off of the totals and nothing else."""

SIZE_CONSISTENCY_DISTANCE_ANGSTROM = 20.0
"""The separation of the two fragments: 4× the 5–6 Å cutoffs of common MLIPs."""

BOUND_WELL_DEPTH_EV = CHEMICAL_ACCURACY_EV
"""A diatomic whose measured well (references/diatomics.py: the spin–orbit-free De) is deeper than
1 kcal/mol is a bound state, asked for exactly one well (catalogue.py); a shallower one is asked for
one well or none.  The laws ignore minima under the 1 meV wiggle and the suite holds energies to
1 kcal/mol.  A curve without a well differs from one with a well of depth D by at most D, so below
43 meV losing the well stays within chemical accuracy of the truth: the wells of He2 (0.95 meV),
HeH (about 0.5 meV) and Ne2 (3.6 meV) are dispersion minima, at the noise floor of the laws, that a
model trained on DFT without a dispersion correction need not have.  Above 2 × 43 + 1 = 88 meV every
curve within chemical accuracy of the truth still dips more than 1 meV below both its sides, so
asking for the well asks for nothing beyond chemical accuracy: the shallowest chemical bond of the
catalogue is Be2 (115 meV, Merritt et al. 2009), the next Na2 (0.75 eV).  No entry lies between
3.6 and 115 meV, so no verdict hangs on where in that gap the line is drawn."""

WALL_FRACTION_OF_COVALENT_SUM = 0.6
"""The repulsive wall of a diatomic is probed at r ≤ 0.6 (R_A + R_B) (covalent radii, Cordero
et al. 2008), i.e. at ≤ ~55 % of any ground-state bond length (Na2: 0.65 Re): there the nuclear
repulsion Z_A Z_B k/r dominates, every exact curve lies above its separated atoms and its force
pushes the atoms apart (> 10 meV/Å, the MLIP Arena force-noise floor)."""

CUTOFF_PROBE_ANGSTROM = 1e-3
CUTOFF_ENERGY_JUMP_EV = WIGGLE_EV
CUTOFF_FORCE_JUMP_EV_PER_A = FORCE_SIGN_NOISE_EV_PER_A
"""No jump at the model's cutoff c: across c ± 1e-3 Å the energy changes by −∫F dr (the
trapezoid of the two bond forces over 2e-3 Å) to within 1 meV, and the bond force by at most
10 meV/Å.  The trapezoid's own error there is |F''|(2e-3 Å)³/12, far below a µeV; a smooth force
changes by |E''|·2e-3 Å (0.5 meV/Å for two bare protons at 5 Å); a hard cutoff leaves the whole pair
energy as a step."""

BARE_NUCLEI_FAR_ANGSTROM = (12.0, 15.0, 20.0, 30.0, 50.0)
"""Separations at which two bare protons must still repel by k/r (1.2 eV at 12 Å, 0.29 eV at
50 Å): Coulomb's law has no cutoff.  The Coulomb tolerances above apply."""

# --- The same prediction in a batch or alone, on CPU or GPU (conformance/test_devices.py) ----

SAME_PREDICTION_RELATIVE = 1e-5
SAME_PREDICTION_ENERGY_EV = 1e-4
SAME_PREDICTION_FORCE_EV_PER_A = 1e-3
"""A geometry evaluated in a batch or alone, on CPU or on GPU, must give the same energy and
forces up to float32 round-off: max(1e-5 relative, 0.1 meV) and max(1e-5 relative, 1 meV/Å)
per force component.  float32 has a relative precision of 1.2e-7; a batched or GPU kernel sums
in another order (padding, atomic adds, other matmul kernels), which costs tens of ulps on sums
of a few hundred terms: 1e-5 (~80 ulps) covers that.  The floors, 0.1 meV and 1 meV/Å, are a tenth
of the 1 meV wiggle the shape laws ignore and the float32 scale of the smallest force tolerance
of the suite: below them no check of the suite can change its verdict.  Anything larger is a
bug (a batch leaking between structures, padding atoms that interact, a device path in another
precision) that makes a model's verdict depend on how it was called."""

# --- Energy is the integral of the force along every scan (conformance/continuity.py) -------

CONTINUITY_ENERGY_EV = WIGGLE_EV
CONTINUITY_RELATIVE = 2 * FLOAT32_EPSILON
"""Between two bond lengths a < b of a scan, E(b) − E(a) + ∫F dr must vanish to within the part
of the integral the grid cannot resolve (the size of the trapezoid rule's end correction,
h²/12 |F′(b) − F′(a)|, from the model's own forces) plus max(1 meV, 2.4e-7 (|E(a)| + |E(b)|)).
1 meV is the wiggle the shape laws ignore: a step below it changes no verdict and no chemistry.
2.4e-7 is two float32 spacings (2 × 2⁻²³) of each total energy, what a model computing in float32
can honestly miss by: 12 meV for the absolute energies of Cl2 (2 × 25 000 eV, OMol25-style
models), nothing beyond the 1 meV floor for MPtrj-shifted energies of a few eV.  A hard cutoff
leaves the whole pair energy at the cutoff as a step: tens of meV for a covalent pair at 5 Å."""

CONTINUITY_STEP_WIDTH_ANGSTROM = 1e-3
CONTINUITY_MAX_BISECTIONS = 12
CONTINUITY_EVALUATIONS_PER_CURVE = 120
CONTINUITY_REPORTED_INTERVALS = 3
"""An interval whose residual the grid points cannot clear is refined by bisection, one
evaluation each, following the residual, until it fits the refined integration error or sits in
a sub-interval 1 mÅ wide; there it is a step if it exceeds the floor plus the end correction
plus |ΔF| × 1 mÅ, the most any smooth force can integrate to over 1 mÅ beyond the trapezoid
(a force changing by 1 eV/Å there allows 1 meV more).  12 bisections take a 2.9 Å interval (the
widest of any grid) below 1 mÅ; the search stops after 3 steps found.
An interval still over its allowance when its bisections or the curve's budget run out is
unresolved, and fails: so the budget is not a way to pass, only the cost a lawful curve may need
to be cleared.  A rough float32 curve has many intervals its grid cannot clear: CHGNet 0.3.0's Ne2
has 37 of its 58, which 64 evaluations clear (1–2 bisections each; at 60 two were left, 3 % and
0.4 % over).  120 is two extra evaluations per interval of a ~60-point diatomic grid (about one per
interval of H2's 133), spent only where the grid cannot clear an interval."""

# --- Periodic systems: crystals, surfaces and boxes (conformance/test_periodic.py) -------------
# Units at the model interface: eV, Å, eV/Å and, for stress, eV/Å³ with ASE's sign and Voigt order
# (σ = (1/V) ∂E/∂ε: negative under compression).  A stress in GPa is 160.2× too large
# (references/constants.py: GPA_PER_EV_PER_CUBIC_ANGSTROM).

PERIODIC_ENERGY_EV = INVARIANCE_ENERGY_EV
PERIODIC_ENERGY_RELATIVE = SAME_PREDICTION_RELATIVE
"""Two descriptions of the same crystal (a supercell against n copies of its cell, an equivalent
cell, wrapped atoms, a rotated or reflected crystal, a molecule in a box against the free molecule)
have the same energy within max(1 meV, 1e-5 |E|), E the total energy of the larger structure.
Why it scales with E: a float32 model sums per-atom energies of a few eV each; every term carries a
relative round-off of 6e-8 (half an ulp), and summing n of them in another order (another cell,
another image list) moves the total by up to ~n ulps of |E|.  A 16-atom cell of −100 eV has an
ulp of 7.6 µeV, so 1e-5 |E| = 1 meV is ~130 ulps; 1 meV alone would stop fitting at ~1000 eV cells.
A real violation is per atom and does not shrink with size: the minimum-image convention in a
cell shorter than the cutoff misses whole pair energies (tenths of an eV)."""

PERIODIC_FORCE_EV_PER_A = INVARIANCE_FORCE_EV_PER_A
PERIODIC_FORCE_RELATIVE = SAME_PREDICTION_RELATIVE
"""Forces of the same crystal agree per component within max(5 meV/Å, 1e-5 |F|), |F| that atom's
force: the invariance tolerance, plus float32 round-off of the large forces of compressed cells."""

PERIODIC_STRESS_EV_PER_A3 = 1e-4
PERIODIC_STRESS_RELATIVE = SAME_PREDICTION_RELATIVE
"""The stress of the same crystal agrees per Voigt component within max(1e-4 eV/Å³, 1e-5 |σ|max):
1e-4 eV/Å³ = 16 MPa, a tenth of the 0.1–0.2 GPa to which DFT stresses are usually converged, and
~1000× the float32 round-off of a stress of 0.1 eV/Å³."""

STRAIN_STEP = 5e-3
STRAIN_DERIVATIVE_RELATIVE = CONSERVATION_RELATIVE
STRAIN_DERIVATIVE_EV_PER_A3 = 5e-4
FLOAT32_ENERGY_ROUNDOFF_RELATIVE = 1e-6
"""stress = (1/V) dE/dε, checked by five-point central differences (strains of ±5e-3 and ±1e-2,
cells.STRAIN_STENCIL) within max(1 %, 5e-4 eV/Å³, 1e-6 |E| / (V h)) per component (or per
projection on a strain direction), plus two estimates of the finite-difference error:
Richardson's, |D(h) − D(2h)|/3 from the central differences at h and 2h (read from the model's
energies alone), and the variation of the model's own stress across the steps,
|σ(+h) − 2σ(0) + σ(−h)| / 6 (second order in h: a stress 160× too large or of the wrong sign still
misses by far more).
Why steps this large: float32 energies scatter between strained cells by more than their ulps.
CHGNet's energy of a compressed one-atom Sn cell (−1.63 eV in 19 Å³) scatters by ~8e-6 eV
(5e-6 |E|): its central differences give 0.0085, 0.0088, 0.0048, 0.0057, 0.0063 eV/Å³ at steps of
5e-5 … 1e-3 around a stress of 0.0062; at 5e-3 the five-point scatter is ~1e-4 eV/Å³.  The price is
truncation in stiff or strongly curved cells (CHGNet's σ_xy of diamond changes by 4 eV/Å³ per unit
strain and curves fast within ±1 %; a one-atom Te cell's stress goes from −0.51 to −0.21 eV/Å³
within ±0.2 %): the two error estimates cover it, and the model's stress followed its energy's slope
in every such case examined.
Round-off term: 1e-6 |E| / (V h), 8 ulps of the total per energy: 8e-4 eV/Å³ for −20 eV in 5 Å³,
growing with the cell's total energy per volume.  The floor, 5e-4 eV/Å³ = 0.08 GPa, stays below the
0.1–0.2 GPa to which DFT stresses are converged.  1 % is the MLIP Arena conservation scale."""

FORCE_DERIVATIVE_ROUNDOFF_RELATIVE = FLOAT32_ENERGY_ROUNDOFF_RELATIVE
"""Forces = −dE/dx in a cell along a random direction, by central differences with
FINITE_DIFFERENCE_STEP_ANGSTROM: max(1 %, 10 meV/Å, 1e-6 |E| / h), the last the float32 round-off
of the energy difference (1e-6 × 100 eV / 2e-3 Å = 0.05 eV/Å for a 100 eV cell), plus the
truncation error h² |E‴| / 6 estimated from the model's own forces at −h, 0 and +h: in a drawn cell
with F atoms 1.25 Å apart SevenNet-0's force changes by 500 eV/Å per Å and E‴ reaches 6e4 eV/Å³,
so h = 2e-3 Å truncates by 0.04 eV/Å (2 %), while its forces are exact derivatives."""

STRESS_UNIT_DIAGNOSIS_RELATIVE = 0.05
"""A stress that misses the strain derivative is diagnosed as a convention error when the ratio
model/finite difference lies within 5 % of −1 (opposite sign), ±160.2 (GPa) or ±1602 (kbar).
It only names the likely cause; the verdict is the tolerance above."""

PERIODIC_VACUUM_CUTOFFS = 2.0
"""Vacuum between a molecule and its images, and the nearest-neighbour distance of an expanded
crystal, in units of the model's cutoff: at 2× no atom sees another atom or image within its
cutoff, so no message passes (20 Å, SIZE_CONSISTENCY_DISTANCE_ANGSTROM, for a model without one)."""

COMPRESSION_VOLUME_FRACTIONS = (0.9, 0.8, 0.7, 0.6, 0.5)
"""Uniform compression of a crystal from the model's own equilibrium volume V0 (the minimum of E(V),
by a parabola through the lowest three points of the scan) down to 0.5 V0: the energy must rise at
every step (drops within the energy tolerance above are round-off) and the pressure −tr σ/3 must be
positive (ml-peg's 'compression holes').  At 0.9 V0 the pressure of even a soft metal (B ≈ 35 GPa,
Mg) is ~4 GPa, far from zero, so a parabola off by a few % of V0 changes no verdict."""

CRYSTAL_SEPARATION_EV = CHEMICAL_ACCURACY_EV
"""A crystal expanded until its atoms are 2 cutoffs apart (20 Å without a cutoff) has the energy of
its isolated atoms in their ground-state spins, per cell (1–4 atoms) within 1 kcal/mol: the same
criterion as a diatomic's dissociation limit."""

# --- Molecules, species support and the calculator contract ---------------------------------
# (conformance/test_molecules.py, test_species.py, test_calculator_contract.py)

MOLECULE_RATTLE_ANGSTROM = 0.05
"""Molecules are checked away from their catalogue geometry: each atom displaced by at most 0.05 Å
(a seeded rattle for the fixed checks, any rattle for the Hypothesis ones).  A symmetric equilibrium
geometry hides defects (a rotation-equivariant force vanishes on a symmetry axis, a Jacobian can be
symmetric by symmetry alone); 0.05 Å is below the zero-point amplitude of an X–H stretch (0.08 Å for
C–H at 3000 cm⁻¹) and above the thermal amplitude of a bond stretch at 300 K (0.03 Å for C–C)."""

ROUND_OFF_ULPS = 4
"""A model's energies and forces are known to 4 units in the last place of the precision it computes
in: float32 (ε = 1.2e-7) when every energy it returned is a float32 number, float64 (2.2e-16)
otherwise.  Four ulps: SevenNet-0 (float32) energies of H2O, CH4 and C6H6 moved by 1e-7 Å scatter by
0–2 ulps, and summing N atomic energies in another order costs about √N/2 ulps (12 atoms: 2)."""

MOLECULE_FINITE_DIFFERENCE_STEP_ANGSTROM = 3e-3
FINITE_DIFFERENCE_THIRD_DERIVATIVE_EV_PER_A3 = 700.0
FINITE_DIFFERENCE_FOURTH_DERIVATIVE_EV_PER_A4 = 3500.0
"""Forces against central differences of the energy, and the force Jacobian by central differences
of the forces, from one set of 6N displaced geometries (each coordinate ± h, h = 3 mÅ).  Their own
error is added to the tolerances: truncation h²|∂³E|/6 (gradient) and h²|∂⁴E|/6 (Jacobian entry),
bounded by the Morse potential of H–F (De = 6.12 eV, a = 2.22 Å⁻¹, the stiffest bond of the
catalogue) compressed by 0.1 Å (two rattled atoms moving together): |E'''| ≤ 670 eV/Å³,
|E''''| ≤ 3340 eV/Å⁴; and round-off ROUND_OFF_ULPS·ε·|E|/h (energy) and ROUND_OFF_ULPS·ε·max|F|/h
(forces).  For a float32 energy of 50 eV the two errors of the gradient balance near
h = (3·4ε|E|/|E'''|)^(1/3) ≈ 3 mÅ (1.1 and 8 meV/Å), and the Jacobian's truncation is 5 meV/Å², half
the asymmetry tolerance.  Richardson extrapolation (steps h and 2h) would make the truncation
O(h⁴) but double the evaluations and keep the round-off (1.5·4ε|E|/h at its step), which dominates
for float32 energies: on SevenNet-0 (H2O, CH4, C6H6) plain central differences at 2–5 mÅ already
agree with its forces to 0.3–3.6 meV/Å and give Jacobian asymmetries of 0.4–2.6 meV/Å²."""

JACOBIAN_ASYMMETRY_EV_PER_A2 = CONSERVATION_ABSOLUTE_EV_PER_A / 1.0
"""Forces that are the gradient of an energy have a symmetric Jacobian, ∂F_i/∂x_j = ∂F_j/∂x_i (it is
minus the Hessian).  An antisymmetric part A is a curl: the forces do work 2∬A around a closed loop,
and molecular dynamics heats or cools.  10 meV/Å² integrated over a 1 Å excursion (a bond stretch)
is a force error of 10 meV/Å, the conservation tolerance CONSERVATION_ABSOLUTE_EV_PER_A, which a
curl this small can stay under at any one point.  λ = ‖A‖/‖J‖ (Frobenius norms; ml-peg, after Bigi
et al., arXiv 2412.11569: λ ≈ 0.015 for ORB, 0.017 for EquiformerV2) is recorded beside it."""

CIRCULATION_SQUARE_SIDE_ANGSTROM = 4 * MOLECULE_FINITE_DIFFERENCE_STEP_ANGSTROM
CIRCULATION_INTERVALS_PER_SIDE = 16
"""A finite-difference Jacobian is asymmetric also where the forces are exact gradients but the energy
is not smooth on the scale of the step: CHGNet 0.3.0's Hessian changes within a few mÅ, and central
differences at h = 1–30 mÅ give it 0.1–1.3 eV/Å² of asymmetry, while the forces do no work around
closed loops.  So an asymmetry beyond the tolerance is confirmed by Stokes' theorem, which needs no
smoothness: the work of the forces around a square of side 12 mÅ in the plane of the two
coordinates, ∮F·dx = 2∬A, integrated by Simpson's rule with 16 intervals a side (0.75 mÅ apart,
64 geometries).  The mean antisymmetric part ∮F·dx/(2s²) carries the verdict, with round-off
2·ROUND_OFF_ULPS·ε·max|F|/s added to JACOBIAN_ASYMMETRY_EV_PER_A2.  Simpson's own error,
s⁵|∂⁴F|/(180·16⁴) per side, is below 1e-13 eV for a smooth bond; for CHGNet's rough forces the
estimate scatters by up to 5 meV/Å² (acetylene, whose bond angles are 180°), half the tolerance."""

MOLECULE_GHOST_DISTANCE_ANGSTROM = 40.0
MOLECULE_GHOST_COUNT = 4
"""Locality: four closed-shell 'ghost' atoms (Ne where the model covers it, else another noble gas,
else H2 molecules) 40 Å from the molecule's centre, as in ml-peg's ghost-atom test.  Their exact
interaction with any molecule, even an ion (Ne: α = 0.40 Å³, k q²α/2r⁴ = 1e-6 eV), is below
1e-5 eV and 1e-6 eV/Å, so the molecule's forces must stay the same (the SAME_PREDICTION tolerances)
and the energies add (SIZE_CONSISTENCY_EV, or the float32 round-off of the total if larger)."""

MOLECULE_COPY_DISTANCE_ANGSTROM = 50.0
"""Two copies of a neutral molecule have twice its energy once their interaction is below
SIZE_CONSISTENCY_EV.  The largest term is dipole–dipole, at most 2kμ²/R³: for the most polar
molecule of the catalogue (NaCl, μ = 9.0 D = 1.87 e·Å) 0.81 meV at 50 Å, but 13 meV at the 20 Å that
suffices for H2 (SIZE_CONSISTENCY_DISTANCE_ANGSTROM, a C6/R⁶ tail)."""

SPECIES_BOND_RANGE = (0.9, 1.3)
SPECIES_MIN_SEPARATION = 0.75
"""Species support asks for an answer at sane distances: the fixed clusters put every pair at the sum
of covalent radii (Cordero et al. 2008; a single bond), the random clusters bond each new atom at
0.9–1.3 times that sum and keep every pair beyond 0.75 times it (inside that lies the repulsive
wall, WALL_FRACTION_OF_COVALENT_SUM, which the diatomic checks probe)."""

CONTRACT_DISPLACEMENT_ANGSTROM = 0.1
"""The calculator contract moves one atom by 0.1 Å: the energy changes by ~|F|·0.1 Å and the forces
by ~k·0.1 Å (about 3 eV/Å for a bond), far beyond the SAME_PREDICTION tolerances, so an answer that
does not follow the move is visible."""

# --- Refine before you accuse (conformance/refinement.py) -----------------------------------------
# Every check that compares a model quantity with a difference quotient (F = −∇E, stress = dE/dε,
# the circulation of the forces) or probes for a discontinuity (the declared cutoff) reports a
# mismatch only once it survives refinement: the step, or the probe span, shrinks rung by rung.

REFINEMENT_STEP_FACTOR = 4
"""The step shrinks fourfold per rung.  A central difference across a kink (a force or stress that
is continuous but whose derivative jumps, as at SevenNet-0's 5 Å cutoff) errs by O(h) and a steep
smooth feature by O(h²): one rung takes them down 4× and 16×, well clear of the persistence line
below, while a real defect (forces 20 % off, a stress of the wrong sign) stays the same size."""

REFINEMENT_MAX_RUNGS = 4
"""At most four step sizes (the check's own and three finer ones, down to 1/64 of it): 5e-3 strain
→ 7.8e-5, 2 mÅ → 31 µÅ.  Each rung costs the check's evaluations once more, and only where the
first rung failed."""

REFINEMENT_PERSISTENT_FRACTION = 0.5
"""A mismatch persists when, at the finest step, it is still above its allowance and at least half
its size at the first step.  An artefact of the step shrinks by 4 (kink) to 16 (smooth curvature)
per rung, so after one rung it is at most a quarter of its size; a real defect keeps its size up
to round-off (tens of %).  Anything between — still over its allowance but shrinking — is
unresolved, and fails as such, with the numbers."""

REFINEMENT_FINEST_DISPLACEMENT_ANGSTROM = 1e-5
"""No rung moves an atom by less than 1e-5 Å: below it a float32 model's energy differences are
round-off (4 ulps of a 100 eV total, 5e-5 eV, over 2e-5 Å is 2.4 eV/Å of noise in a slope), so a
finer rung would measure the model's arithmetic, not its physics."""

CUTOFF_PROBE_REFINEMENT_FACTOR = 10
"""At a declared cutoff c the probes c ± δ shrink tenfold per rung: δ = 1 mÅ, 0.1 mÅ, 0.01 mÅ
(the next, 1 µÅ, is below REFINEMENT_FINEST_DISPLACEMENT_ANGSTROM).  A force that is continuous at
c but whose slope jumps changes by |ΔF'|·δ across c ± δ, so the measured jump falls tenfold per
rung; a true jump of the force or the energy does not fall at all."""

CUTOFF_SLOPE_JUMP_EV_PER_A2 = 1.0
"""A jump of dF/dr at the declared cutoff is recorded, never failed: a force that is continuous
with a kink (energy C¹) still conserves energy in molecular dynamics.  Above 1 eV/Å² the message
describes it (the force changes by 1 meV/Å per mÅ there; SevenNet-0's NaCl: 13.8 eV/Å²), below it
the force goes smoothly to zero for every practical purpose."""

CIRCULATION_REFINEMENT_FACTOR = 2
CIRCULATION_REFINEMENT_RUNGS = 3
"""The circulation of the forces around the square (CIRCULATION_SQUARE_SIDE_ANGSTROM) is refined by
doubling the Simpson intervals per side, 16, 32, 64 (spacing 0.75, 0.38, 0.19 mÅ): Simpson's error
across a kink of the forces falls about 4× per doubling (O(h²)), to a sixteenth at 64, while a real
curl keeps its value.  Doubling rather than the general fourfold step, and three rungs rather than
REFINEMENT_MAX_RUNGS, because each rung costs 4 × (intervals + 1) geometries per plane: 460 in all,
where a fourfold step would reach 4 × 1025 for one plane."""

NVE_TEMPERATURE_K = 300.0
"""Maxwell–Boltzmann temperature of the NVE runs (fixed seeds, zero total momentum): the room
temperature at which MLIPs are run; hot enough that every bond and angle moves, cold enough that
no molecule of the catalogue dissociates in a short run."""

NVE_HYDROGEN_TIME_STEP_FS = 0.5
"""Velocity-Verlet time step for a system containing hydrogen, scaled by √(m/m_H) of its lightest
element (√m: vibrational periods scale as the square root of the mass).  The fastest motion, an
O–H or C–H stretch at ~3700 cm⁻¹, has a 9 fs period: 0.5 fs samples it 18 times, the usual step
for unconstrained hydrogen dynamics; diamond C gets 1.73 fs against its 25 fs optical phonon."""

NVE_STEPS = 64
"""Steps of the run at the coarse step dt (the refinement at dt/2 takes twice as many, covering
the same time): 32 fs for water, ~3.5 O–H stretches and 1.5 bends; 111 fs for diamond, ~4 optical
phonon periods.  Short on purpose: 3 × 64 model calls per system keep the NVE checks near a quarter
of SevenNet-0's whole-suite time (benchmarks/nve_cost.py), and a non-conservative force shows
within a few vibrations, as its work per period does not average out."""

NVE_REFINEMENT_MIN_RATIO = 2.0
"""Verdict by refinement, not by a fixed drift threshold.  Velocity Verlet is symplectic and of
second order: with a conservative model it follows a shadow Hamiltonian H + dt² H₂ + …, so the
total energy it measures deviates from its start by dt² [H₂(t) − H₂(0)] and halving dt shrinks that
deviation (RMS over the run, drift included) 4×.  Energy pumped in or out by the model itself —
forces that are not −∇E (a direct force head, a curl, forces scaled on some atoms), an energy
step crossed by the trajectory — does not depend on dt: the ratio is ~1.  The verdict splits
the two at their geometric mean, √(4 × 1) = 2: an error that shrinks less than 2× when dt is
halved belongs to the model."""

NVE_NOISE_RELATIVE = SAME_PREDICTION_RELATIVE
NVE_NOISE_ENERGY_EV = SAME_PREDICTION_ENERGY_EV
"""An RMS total-energy deviation below max(1e-5 |E|, 0.1 meV) is float32 round-off of the energy
itself (the same-prediction allowance): a run whose error at dt/2 is that small has nothing left
to refine, and passes whatever its ratio."""

NVE_RUNAWAY_FRACTION_OF_KINETIC = 1.0
"""A run blows up (and fails at that step) when its total energy has moved by more than the
kinetic energy it started with: the temperature has doubled or vanished, the run is no longer a
sample of the starting ensemble.  A conservative model at these steps moves it by < 1 %."""

NVE_FLY_APART_FACTOR = 2.0
"""A run blows up when an atom's nearest neighbour gets farther than twice its starting distance:
at 300 K in 50–200 fs no bond of the catalogue systems stretches by 100 %; atoms flying apart
mean the forces pushed them out."""

NVE_RELAX_FORCE_EV_PER_A = 0.05
NVE_RELAX_MAX_STEPS = 40
"""Each NVE run starts from the catalogue geometry relaxed on the model's own surface (BFGS), to
forces below 50 meV/Å or for at most 40 steps: a catalogue geometry 0.1 Å off the model's minimum
holds ~0.1 eV of strain, as much as the 300 K kinetic energy of a water molecule; left in, it
heats the run to ~1000 K.  50 meV/Å leaves < 1 meV of strain in a bond of 20 eV/Å²."""
