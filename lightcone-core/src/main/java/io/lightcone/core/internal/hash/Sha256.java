package io.lightcone.core.internal.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests, written {@code sha256:<64 lower-case hex>} as every version string is. */
public final class Sha256 {
  public static final String PREFIX = "sha256:";

  private Sha256() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** {@code sha256:} + hex of the digest's result. */
  public static String finish(MessageDigest digest) {
    return PREFIX + HexFormat.of().formatHex(digest.digest());
  }

  public static String ofUtf8(String s) {
    MessageDigest d = newDigest();
    d.update(s.getBytes(StandardCharsets.UTF_8));
    return finish(d);
  }

  /** Whether {@code s} has the form {@code sha256:<64 lower-case hex>}. */
  static boolean isVersion(String s) {
    return s != null && s.matches("sha256:[0-9a-f]{64}");
  }
}
