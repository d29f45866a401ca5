package io.lightcone.core.internal;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that reads the process environment and system properties (STYLE rule 4): every
 * other class gets these values injected, so tests can give their own.
 *
 * @param variables environment variables
 * @param clock the clock for manifests' timestamps
 * @param javaHome the running JVM's home, for the plumbing command
 * @param classPath the running JVM's class path, for the plumbing command
 */
public record Environment(
    Map<String, String> variables, Clock clock, String javaHome, String classPath) {

  public Environment {
    variables = Map.copyOf(variables);
  }

  public static Environment system() {
    return new Environment(
        System.getenv(),
        Clock.systemUTC(),
        System.getProperty("java.home"),
        System.getProperty("java.class.path"));
  }

  /** This environment with {@code name} set to {@code value}. */
  public Environment with(String name, String value) {
    Map<String, String> changed = new java.util.HashMap<>(variables);
    changed.put(name, value);
    return new Environment(changed, clock, javaHome, classPath);
  }

  public Optional<String> variable(String name) {
    return Optional.ofNullable(variables.get(name)).filter(v -> !v.isEmpty());
  }

  /**
   * The options of this JVM that a plumbing JVM started from it should share: its class-data
   * archive ({@code ./lc} makes one per build; a JVM per task starts ~30% cheaper with it), its
   * compiler thresholds, garbage collector, heap and stack sizes, how it starts processes, and its
   * quieted logs. Nothing else: an agent, a debugger port or a recording would clash.
   */
  public List<String> jvmOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(Environment::shared)
        .toList();
  }

  static boolean shared(String option) {
    return option.startsWith("-XX:SharedArchiveFile=")
        || option.startsWith("-XX:Tier4")
        || option.startsWith("-XX:TieredStopAtLevel=")
        || option.matches("-XX:\\+Use(Serial|Parallel|G1)GC")
        || option.matches("-X(ms|mx|ss)\\d+[kKmMgG]?")
        || option.startsWith("-Xshare:")
        || option.equals("-Xlog:disable")
        || option.matches("-Xlog:cds(\\+dynamic)?=off")
        || option.startsWith("-Djdk.lang.Process.launchMechanism=");
  }

  /** This host's name, as the manifest's {@code host} records it. */
  public String host() {
    return variable("HOSTNAME")
        .orElseGet(
            () -> {
              try {
                return InetAddress.getLocalHost().getHostName();
              } catch (UnknownHostException e) {
                return "localhost";
              }
            });
  }

  /** Unix seconds with microseconds, as Python's {@code time.time()} gives. */
  public double now() {
    long micros = clock.instant().getEpochSecond() * 1_000_000L + clock.instant().getNano() / 1000;
    return micros / 1e6;
  }
}
