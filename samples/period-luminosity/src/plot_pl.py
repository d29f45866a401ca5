"""The period-luminosity diagram as an SVG: every star and the fitted line.

    python3 src/plot_pl.py --photometry DIR_PHOT --fit DIR_FIT --out DIR

Plain SVG written by hand (no plotting library), so the figure needs nothing but python3.
Writes DIR/pl_diagram.svg.
"""

import argparse
import os

import leavitt

WIDTH, HEIGHT, MARGIN = 640, 420, 50


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photometry", required=True)
    parser.add_argument("--fit", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    rows = leavitt.read_csv(
        os.path.join(args.photometry, "photometry.csv"), ["log_period", "mag"]
    )
    fit = leavitt.read_json(os.path.join(args.fit, "fit.json"))
    xs = [float(r["log_period"]) for r in rows]
    ys = [float(r["mag"]) for r in rows]
    x0, x1 = min(xs) - 0.05, max(xs) + 0.05
    y0, y1 = min(ys) - 0.2, max(ys) + 0.2

    def sx(x):
        return MARGIN + (x - x0) / (x1 - x0) * (WIDTH - 2 * MARGIN)

    def sy(y):  # astronomers plot magnitudes bright side up
        return MARGIN + (y - y0) / (y1 - y0) * (HEIGHT - 2 * MARGIN)

    def model(x):
        return fit["intercept"] + fit["slope"] * (x - fit["pivot_log_period"])

    label = "V" if fit["magnitude"] == "v_band" else "W = V - 2.55 (V - I)"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{WIDTH / 2:.0f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="14">'
        "log period [days]</text>",
        f'<text x="16" y="{HEIGHT / 2:.0f}" font-size="14" '
        f'transform="rotate(-90 16 {HEIGHT / 2:.0f})" text-anchor="middle">{label} [mag]</text>',
        f'<text x="{WIDTH / 2:.0f}" y="28" text-anchor="middle" font-size="15">'
        f"Leavitt law ({fit['method']}): slope {fit['slope']:.3f}, "
        f"zero point {fit['intercept']:.3f}</text>",
    ]
    for x, y in zip(xs, ys):
        parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="#1f77b4"/>')
    parts.append(
        f'<line x1="{sx(x0):.1f}" y1="{sy(model(x0)):.1f}" x2="{sx(x1):.1f}" '
        f'y2="{sy(model(x1)):.1f}" stroke="#d62728" stroke-width="2"/>'
    )
    parts.append("</svg>")
    out = leavitt.output_dir(args.out)
    with open(os.path.join(out, "pl_diagram.svg"), "w") as f:
        f.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
