package io.lightcone.model;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * What a recipe needs to run: cpus (fractions allowed), memory and disk as strings with units
 * ({@code 16Gi}, {@code 512Mi}, {@code 8GB}), gpus, and a wall-time limit ({@code 2h}, {@code
 * 1h30m}, {@code 00:30:00}).
 *
 * <pre>{@code
 * Resources r = Resources.builder().cpus(2).memory("4Gi").timeLimit("30m").build();
 * r.memoryBytes(); // OptionalLong[4294967296]
 * }</pre>
 */
@Value.Immutable
public interface Resources {
  OptionalDouble cpus();

  Optional<String> memory();

  OptionalInt gpus();

  Optional<String> timeLimit();

  Optional<String> disk();

  /** {@link #memory()} in bytes. */
  default OptionalLong memoryBytes() {
    return memory().map(Resources::parseBytes).orElse(OptionalLong.empty());
  }

  /** {@link #disk()} in bytes. */
  default OptionalLong diskBytes() {
    return disk().map(Resources::parseBytes).orElse(OptionalLong.empty());
  }

  /** {@link #timeLimit()} as a duration. */
  default Optional<Duration> timeLimitDuration() {
    return timeLimit().flatMap(Resources::parseDuration);
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Resources}. */
  final class Builder extends ImmutableResources.Builder {}

  /**
   * Parses a size with an optional unit: none or {@code B} (bytes), decimal {@code k K M G T P}
   * with optional {@code B}, binary {@code Ki Mi Gi Ti Pi} with optional {@code B}. Empty when
   * {@code text} is not such a size or overflows.
   */
  static OptionalLong parseBytes(String text) {
    Matcher m = Units.SIZE.matcher(text.strip());
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    String unit = m.group(2) == null ? "" : m.group(2);
    if (unit.endsWith("B") || unit.endsWith("b")) {
      unit = unit.substring(0, unit.length() - 1);
    }
    long factor;
    switch (unit.toUpperCase(Locale.ROOT)) {
      case "" -> factor = 1L;
      case "K" -> factor = 1_000L;
      case "M" -> factor = 1_000_000L;
      case "G" -> factor = 1_000_000_000L;
      case "T" -> factor = 1_000_000_000_000L;
      case "P" -> factor = 1_000_000_000_000_000L;
      case "KI" -> factor = 1L << 10;
      case "MI" -> factor = 1L << 20;
      case "GI" -> factor = 1L << 30;
      case "TI" -> factor = 1L << 40;
      case "PI" -> factor = 1L << 50;
      default -> {
        return OptionalLong.empty();
      }
    }
    try {
      BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor));
      return OptionalLong.of(bytes.setScale(0, java.math.RoundingMode.CEILING).longValueExact());
    } catch (ArithmeticException overflow) {
      return OptionalLong.empty();
    }
  }

  /**
   * Parses a wall-time limit: units {@code d h m s} in that order ({@code 1h30m}, {@code 90s}), or
   * a clock {@code [D-]HH:MM:SS} / {@code MM:SS} as SLURM writes it. Empty when {@code text} is
   * neither or is zero.
   */
  static Optional<Duration> parseDuration(String text) {
    String s = text.strip();
    Matcher units = Units.DURATION.matcher(s);
    Duration d;
    if (!s.isEmpty() && units.matches()) {
      d =
          Duration.ofDays(number(units.group(1)))
              .plusHours(number(units.group(2)))
              .plusMinutes(number(units.group(3)))
              .plusSeconds(number(units.group(4)));
    } else {
      Matcher clock = Units.CLOCK.matcher(s);
      if (!clock.matches()) {
        return Optional.empty();
      }
      d =
          Duration.ofDays(number(clock.group(1)))
              .plusHours(number(clock.group(2)))
              .plusMinutes(number(clock.group(3)))
              .plusSeconds(number(clock.group(4)));
    }
    return d.isZero() ? Optional.empty() : Optional.of(d);
  }

  private static long number(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }
}

/** Patterns of {@link Resources}; interfaces cannot hold private constants. */
final class Units {
  static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]{1,3})?");
  static final Pattern DURATION =
      Pattern.compile("(?:(\\d{1,6})d)?(?:(\\d{1,7})h)?(?:(\\d{1,9})m)?(?:(\\d{1,11})s)?");
  static final Pattern CLOCK =
      Pattern.compile("(?:(\\d{1,6})-)?(?:(\\d{1,7}):)?(\\d{1,9}):(\\d{1,2})");

  private Units() {}
}
