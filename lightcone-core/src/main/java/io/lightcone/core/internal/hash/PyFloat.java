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
   * The shortest decimal that reads back as {@code x}; among equals, the nearest to it.
   *
   * <p>Whether some {@code p}-digit decimal reads back as {@code x} is monotone in {@code p} (the
   * decimals that read back as {@code x} form an interval around {@code exact}, and a {@code
   * p}-digit one in it is also a {@code p+1}-digit one, so the {@code p+1}-digit rounding of {@code
   * exact} towards it lies in the interval too). Java's {@code Double.toString} reads back as
   * {@code x} with {@code n} digits, so the shortest has at most {@code n}; when no {@code
   * n-1}-digit rounding reads back, it has exactly {@code n}, found with 6 roundings instead of up
   * to 51 (a timestamp in a manifest needs 16 or 17 digits). Otherwise every length is tried from
   * 1.
   */
  static BigDecimal shortest(BigDecimal exact, double x) {
    int n = significantDigits(Double.toString(Math.abs(x)));
    if (n >= 2 && n <= 17 && nearest(exact, x, n - 1) == null) {
      BigDecimal best = nearest(exact, x, n);
      if (best != null) {
        return best;
      }
    }
    return shortestByTrying(exact, x);
  }

  /** {@link #shortest}, by trying every length from 1: the definition, and the fallback. */
  static BigDecimal shortestByTrying(BigDecimal exact, double x) {
    for (int p = 1; p <= 17; p++) {
      BigDecimal best = nearest(exact, x, p);
      if (best != null) {
        return best;
      }
    }
    return exact.round(MathContext.DECIMAL64);
  }

  /**
   * Among the {@code p}-digit roundings of {@code exact} that read back as {@code x}, the nearest.
   */
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

  /**
   * The significant digits of a positive {@code Double.toString} ({@code 1.25E-5}, {@code 120.0}).
   */
  private static int significantDigits(String s) {
    int e = s.indexOf('E');
    String m = e < 0 ? s : s.substring(0, e);
    int first = -1;
    int last = -1;
    for (int i = 0; i < m.length(); i++) {
      char c = m.charAt(i);
      if (c >= '1' && c <= '9') {
        if (first < 0) {
          first = i;
        }
        last = i;
      }
    }
    if (first < 0) {
      return 0;
    }
    int digits = 0;
    for (int i = first; i <= last; i++) {
      if (m.charAt(i) != '.') {
        digits++;
      }
    }
    return digits;
  }
}
