"""Distance to the galaxy: its apparent PL zero point minus the parallax-calibrated absolute one.

    python3 src/distance.py --fit DIR_FIT --zero-point DIR_ZP --out DIR

Both zero points are quoted at log P = 1, so a small difference in slope between the galaxy
and the calibrators does not leak into the distance. Writes DIR/distance.json.
"""

import argparse
import os

import leavitt


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", required=True, help="the pl_fit output directory")
    parser.add_argument("--zero-point", required=True, help="calibration's zero_point output")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    fit = leavitt.read_json(os.path.join(args.fit, "fit.json"))
    calibration = leavitt.read_json(os.path.join(args.zero_point, "zero_point.json"))
    if fit["magnitude"] != calibration["magnitude"]:
        leavitt.fail(
            f"the galaxy was fitted in {fit['magnitude']} but the calibration is in "
            f"{calibration['magnitude']}; both must use the same magnitude system"
        )
    modulus = fit["intercept"] - calibration["zero_point"]
    out = leavitt.output_dir(args.out)
    leavitt.write_json(
        os.path.join(out, "distance.json"),
        {
            "magnitude": fit["magnitude"],
            "fit_method": fit["method"],
            "apparent_zero_point": fit["intercept"],
            "absolute_zero_point": calibration["zero_point"],
            "distance_modulus": leavitt.rounded(modulus),
            "distance_kpc": leavitt.rounded(10 ** (modulus / 5.0 + 1.0) / 1000.0, 2),
        },
    )


if __name__ == "__main__":
    main()
