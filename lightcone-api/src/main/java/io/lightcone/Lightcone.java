package io.lightcone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Facts about this Lightcone build.
 *
 * <pre>{@code Lightcone.version(); // "0.1.0-SNAPSHOT", recorded as lc_version in manifests}</pre>
 */
public final class Lightcone {
  private static final String VERSION = load();

  private Lightcone() {}

  /** The version Maven stamped into the build. */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    Properties properties = new Properties();
    try (InputStream in = Lightcone.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lightcone's version.properties", e);
    }
    return properties.getProperty("version", "unknown");
  }
}
