package io.lightcone.core.internal.hash;

import java.util.Random;

/**
 * Generators for the property tests: strings that stress escaping and ordering, file names that a
 * POSIX file system accepts, and doubles from the corners of the format. Every generator draws only
 * from the {@link Random} it is given, so a seed replays a run exactly.
 */
public final class Generate {
  /** The seed every property starts from; {@code -Dlightcone.seed=N} explores others. */
  public static final long SEED = Long.parseLong(System.getProperty("lightcone.seed", "20251126"));

  /**
   * Characters that make escaping and ordering interesting: JSON's specials, control characters,
   * DEL, Latin-1, a BMP character above the surrogates (U+FB01 sorts after U+1F600 in UTF-16 but
   * before it by code point), U+FFFD, the JavaScript line separator, and characters outside the
   * BMP.
   */
  private static final int[] TRICKY = {
    '"', '\\', '/', '\b', '\f', '\n', '\r', '\t', 0, 1, 0x1f, 0x7f, 0x80, 0xa0, 0xe9, 0xff, 0x100,
    0x2028, 0x4e2d, 0xd7ff, 0xe000, 0xfb01, 0xfeff, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff, '{',
    '}', ' ', '\''
  };

  /** Name characters a file system takes (no '/' or NUL), tricky for order and UTF-8 width. */
  private static final int[] NAME = {
    'a', 'b', 'c', 'z', 'A', 'Z', '0', '9', '-', '.', '_', ' ', '~', 0xe9, 0xdf, 0x4e2d, 0xfb01,
    0xfffd, 0x10000, 0x1f600, 0x10fffd
  };

  private Generate() {}

  /** A random seed-derived generator for the named property, reproducible from {@link #SEED}. */
  public static Random random(String property) {
    return new Random(SEED ^ property.hashCode());
  }

  /**
   * A string of up to {@code max} code points, mostly ASCII with tricky characters mixed in, now
   * and then a lone surrogate.
   */
  public static String text(Random r, int max) {
    return text(r, max, true);
  }

  /**
   * Like {@link #text(Random, int)} but well-formed UTF-16, for JSON object keys: Jackson 2.23
   * rejects a lone surrogate in a field name (though Python writes and reads one), and the keys of
   * a manifest are ASCII ids from an ASTRA spec in practice.
   */
  public static String key(Random r, int max) {
    return text(r, max, false);
  }

  private static String text(Random r, int max, boolean loneSurrogates) {
    int n = r.nextInt(max + 1);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(10);
      if (kind < 5) {
        s.append((char) (0x20 + r.nextInt(0x5f)));
      } else if (kind < 8) {
        s.appendCodePoint(TRICKY[r.nextInt(TRICKY.length)]);
      } else if (kind < 9) {
        s.appendCodePoint(scalar(r));
      } else if (loneSurrogates && r.nextInt(4) == 0) {
        // A lone surrogate: Java strings and Python str both hold them, and both escape them.
        s.append((char) (0xd800 + r.nextInt(0x800)));
      } else {
        s.appendCodePoint(r.nextInt(0x20));
      }
    }
    return s.toString();
  }

  /** Any Unicode scalar value (no surrogates). */
  public static int scalar(Random r) {
    while (true) {
      int cp = r.nextInt(4) == 0 ? r.nextInt(0x110000) : r.nextInt(0x10000);
      if (cp < 0xd800 || cp > 0xdfff) {
        return cp;
      }
    }
  }

  /** A file name of 1–8 code points; never {@code .}, {@code ..} or a name the hash skips. */
  public static String name(Random r) {
    while (true) {
      int n = 1 + r.nextInt(8);
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < n; i++) {
        s.appendCodePoint(NAME[r.nextInt(NAME.length)]);
      }
      String name = s.toString();
      if (!name.equals(".") && !name.equals("..") && !DataVersion.SKIPPED.contains(name)) {
        return name;
      }
    }
  }

  /** Random bytes, now and then holding the hash stream's own framing. */
  public static byte[] bytes(Random r, int size) {
    byte[] b = new byte[size];
    r.nextBytes(b);
    if (size > 12 && r.nextBoolean()) {
      byte[] frame = "\0path:x\0data:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      System.arraycopy(frame, 0, b, r.nextInt(size - frame.length + 1), frame.length);
    }
    return b;
  }

  /** A double from the corners: ±0, subnormals, extremes, powers, timestamps, random bits. */
  public static double extremeDouble(Random r) {
    return switch (r.nextInt(10)) {
      case 0 ->
          new double[] {
                0.0,
                -0.0,
                Double.MIN_VALUE,
                -Double.MIN_VALUE,
                Double.MIN_NORMAL,
                Double.MAX_VALUE,
                -Double.MAX_VALUE,
                1e16,
                1e-5,
                1e-4,
                9007199254740993.0,
                1e22,
                1e23,
                0.1,
                5e-324,
                2.2250738585072009e-308,
                1.7976931348623157e308,
                123456789012345678.0
              }
              [r.nextInt(18)];
      case 1 -> Math.scalb(1.0, r.nextInt(2098) - 1074);
      case 2 -> Math.pow(10, r.nextInt(640) - 320);
      case 3, 4 -> timestamp(r);
      case 5, 6 -> decimal(r);
      default -> finiteBits(r);
    };
  }

  /** A Unix time with microseconds, as {@code time.time()} returns one. */
  public static double timestamp(Random r) {
    long seconds = r.nextInt(4) == 0 ? (long) r.nextInt(Integer.MAX_VALUE) * 2 : 1_700_000_000L;
    seconds += r.nextInt(100_000_000);
    return Double.parseDouble(seconds + "." + String.format("%06d", r.nextInt(1_000_000)));
  }

  /** A decimal of 1–17 significant digits at a random exponent. */
  public static double decimal(Random r) {
    int digits = 1 + r.nextInt(17);
    StringBuilder s = new StringBuilder();
    s.append((char) ('1' + r.nextInt(9))).append('.');
    for (int i = 1; i < digits; i++) {
      s.append((char) ('0' + r.nextInt(10)));
    }
    // d.ddd × 10^exponent: mostly near 1, sometimes anywhere from subnormal to the largest.
    int exponent = r.nextInt(3) == 0 ? r.nextInt(632) - 324 : r.nextInt(40) - 20;
    double d = Double.parseDouble(s + "e" + exponent);
    return r.nextBoolean() ? d : -d;
  }

  /** A double from 64 random bits, redrawn until it is finite. */
  public static double finiteBits(Random r) {
    while (true) {
      double d = Double.longBitsToDouble(r.nextLong());
      if (Double.isFinite(d)) {
        return d;
      }
    }
  }
}
