#!/usr/bin/env python3
"""Writes the two synthetic catalogues this sample analyses, byte for byte the same every time.

    python3 data/make_data.py            # from samples/period-luminosity

cepheids.csv: 60 classical Cepheids in one LMC-like galaxy (distance modulus 18.48), with mean
V and I magnitudes. Three of them are blended with a neighbour and look 0.6 mag too bright,
the outliers a robust fit should shrug off.

parallax_sample.csv: 15 Milky Way Cepheids with parallaxes carrying Gaia's global zero-point
offset (-0.017 mas), more reddened than the galaxy's stars, as nearby Cepheids are.

Both follow one true Leavitt law, M_V = -4.05 - 2.43 (log P - 1), so every fit can be checked
against the truth. Standard library only; the fixed seed makes the files reproducible.
"""

import csv
import math
import os
import random

SEED = 20240611
TRUE_DISTANCE_MODULUS = 18.48
SLOPE_V, ZERO_POINT_V = -2.43, -4.05  # M_V at log P = 1
R_WESENHEIT = 2.55  # A_V / E(V-I): the W = V - R (V - I) combination cancels reddening
GAIA_OFFSET_MAS = -0.017  # measured parallax minus true parallax
HERE = os.path.dirname(os.path.abspath(__file__))


def star(rng, log_period, distance_modulus, ebv):
    """Apparent V and I of a Cepheid of this period, distance and reddening."""
    strip = rng.gauss(0.0, 1.0)  # position across the instability strip
    absolute_v = ZERO_POINT_V + SLOPE_V * (log_period - 1.0) + 0.20 * strip
    colour = 0.60 + 0.25 * (log_period - 1.0) + 0.07 * strip  # intrinsic (V - I)
    a_v = 3.1 * ebv
    v = absolute_v + distance_modulus + a_v + rng.gauss(0.0, 0.02)
    i = v - colour - a_v / R_WESENHEIT + rng.gauss(0.0, 0.02)
    return v, i


def main():
    rng = random.Random(SEED)
    rows = []
    blended = set(rng.sample(range(60), 3))
    for n in range(60):
        log_period = rng.uniform(0.4, 1.6)
        ebv = max(0.0, rng.gauss(0.10, 0.04))
        v, i = star(rng, log_period, TRUE_DISTANCE_MODULUS, ebv)
        if n in blended:
            v, i = v - 0.6, i - 0.6
        rows.append([f"lmc{n + 1:03d}", f"{10 ** log_period:.4f}", f"{v:.3f}", f"{i:.3f}"])
    write("cepheids.csv", ["star", "period_days", "v_mag", "i_mag"], rows)

    rows = []
    for n in range(15):
        log_period = rng.uniform(0.5, 1.5)
        distance_pc = rng.uniform(300.0, 2500.0)
        ebv = rng.uniform(0.05, 0.45)
        v, i = star(rng, log_period, 5.0 * math.log10(distance_pc) - 5.0, ebv)
        parallax = 1000.0 / distance_pc + GAIA_OFFSET_MAS + rng.gauss(0.0, 0.02)
        rows.append(
            [f"mw{n + 1:02d}", f"{10 ** log_period:.4f}", f"{v:.3f}", f"{i:.3f}",
             f"{parallax:.4f}", "0.0200"])
    write("parallax_sample.csv",
          ["star", "period_days", "v_mag", "i_mag", "parallax_mas", "parallax_error_mas"], rows)


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


if __name__ == "__main__":
    main()
