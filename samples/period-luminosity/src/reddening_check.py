"""Reddening diagnostic for V-band fits: do the PL residuals grow with the stars' colour?

    python3 src/reddening_check.py --catalog data/cepheids.csv --fit DIR_FIT --out DIR

Dust makes a Cepheid both fainter and redder, so in V (unlike in the Wesenheit index) residuals
that correlate with V - I point at differential reddening. Writes DIR/reddening.json.
"""

import argparse
import os
import statistics

import leavitt


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", required=True)
    parser.add_argument("--fit", required=True, help="the pl_fit output directory")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    colours = {
        r["star"]: float(r["v_mag"]) - float(r["i_mag"])
        for r in leavitt.read_csv(args.catalog, ["star", "v_mag", "i_mag"])
    }
    residuals = leavitt.read_csv(os.path.join(args.fit, "residuals.csv"), ["star", "residual"])
    unknown = [r["star"] for r in residuals if r["star"] not in colours]
    if unknown:
        leavitt.fail(f"{args.catalog} has no colour for {', '.join(unknown[:5])}")
    x = [colours[r["star"]] for r in residuals]
    y = [float(r["residual"]) for r in residuals]
    slope, _ = leavitt.fit_line(x, y, "ols")
    r = statistics.correlation(x, y)
    out = leavitt.output_dir(args.out)
    leavitt.write_json(
        os.path.join(out, "reddening.json"),
        {
            "n": len(y),
            "pearson_r": leavitt.rounded(r),
            "residual_per_colour": leavitt.rounded(slope),
            "reddening_suspected": abs(r) > 0.3,
        },
    )


if __name__ == "__main__":
    main()
