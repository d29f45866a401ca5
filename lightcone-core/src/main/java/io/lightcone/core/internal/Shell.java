package io.lightcone.core.internal;

import java.util.regex.Pattern;

/** POSIX shell quoting of substituted values. */
public final class Shell {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private Shell() {}

  /**
   * {@code s} as one shell word: unchanged when it holds only characters that never mean anything
   * to {@code sh}, else in single quotes (a quote inside becomes {@code '"'"'}).
   */
  public static String quote(String s) {
    if (SAFE.matcher(s).matches()) {
      return s;
    }
    return "'" + s.replace("'", "'\"'\"'") + "'";
  }
}
