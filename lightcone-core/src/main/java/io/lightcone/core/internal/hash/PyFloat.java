package io.lightcone.core.internal.hash;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a double exactly as Python's {@code repr(float)} does, which is what {@code json.dumps}
 * writes: the shortest digits that read back as the same double, in fixed notation when the decimal
 * exponent is in [-4, 16), else as {@code 1e+16} / {@code 1.5e-05}. Java's {@code Double.toString}
 * writes {@code 1.7E9} and, on Java 17, not always the shortest digits.
 */
final class PyFloat {
  private static final RoundingMode[] MODES = {
    RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING
  };

  private PyFloat() {}

  public static String repr(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "Infinity" : "-Infinity";
    }
    if (x == 0) {
      return (Double.doubleToRawLongBits(x) < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(x);
    BigDecimal shortest = shortest(exact, x);
    String sign = shortest.signum() < 0 ? "-" : "";
    BigDecimal abs = shortest.abs().stripTrailingZeros();
    String digits = abs.unscaledValue().toString();
    // value = 0.d1d2...dn × 10^decpt
    int decpt = digits.length() - abs.scale();
    if (decpt > -4 && decpt <= 16) {
      return sign + fixed(digits, decpt);
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    int exp = decpt - 1;
    return sign
        + mantissa
        + "e"
        + (exp < 0 ? "-" : "+")
        + (Math.abs(exp) < 10 ? "0" : "")
        + Math.abs(exp);
  }

  private static String fixed(String digits, int decpt) {
    if (decpt <= 0) {
      return "0." + "0".repeat(-decpt) + digits;
    }
    if (decpt >= digits.length()) {
      return digits + "0".repeat(decpt - digits.length()) + ".0";
    }
    return digits.substring(0, decpt) + "." + digits.substring(decpt);
  }

  /**
   * The shortest decimal that reads back as {@code x}; among equals, the nearest to it. Whether
   * some decimal of p digits reads back grows with p (p digits are p + 1 digits with a 0 after),
   * and when one does, so does the p-digit rounding of x down or up (the doubles that read back as
   * x are an interval around it): so the least such p is found by bisection, in 5 roundings of each
   * mode instead of up to 17 (a manifest's timestamps need 16 or 17 digits).
   */
  private static BigDecimal shortest(BigDecimal exact, double x) {
    BigDecimal found = null;
    int lo = 1;
    int hi = 17;
    while (lo <= hi) {
      int p = (lo + hi) >>> 1;
      BigDecimal best = nearest(exact, x, p);
      if (best != null) {
        found = best;
        hi = p - 1;
      } else {
        lo = p + 1;
      }
    }
    return found != null ? found : exact.round(MathContext.DECIMAL64);
  }

  /** The p-digit rounding of {@code exact} nearest to it that reads back as {@code x}, or null. */
  private static BigDecimal nearest(BigDecimal exact, double x, int p) {
    BigDecimal best = null;
    for (RoundingMode mode : MODES) {
      BigDecimal candidate = exact.round(new MathContext(p, mode));
      if (candidate.doubleValue() == x
          && (best == null
              || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
        best = candidate;
      }
    }
    return best;
  }
}
