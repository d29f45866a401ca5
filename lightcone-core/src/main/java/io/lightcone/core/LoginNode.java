package io.lightcone.core;

import io.lightcone.LightconeException;
import io.lightcone.Plan;
import io.lightcone.PlannedTask;
import io.lightcone.core.internal.Environment;
import io.lightcone.core.internal.yaml.Mark;
import io.lightcone.core.internal.yaml.YMap;
import io.lightcone.core.internal.yaml.YScalar;
import io.lightcone.core.internal.yaml.YamlReader;
import io.lightcone.model.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Login-node etiquette: a run on this machine (a substrate whose {@code runsOnThisMachine()}) of
 * tasks that ask for more than a login node should give, on a host that looks like a login node,
 * earns one warning that suggests {@code --substrate slurm}. It never refuses.
 *
 * <p>A login node: the host name matches {@code login_node.hostname} (a regular expression) of the
 * user's configuration ({@code ~/.lightcone/config.yaml}, or {@code LIGHTCONE_CONFIG}); without
 * that key, a host outside any SLURM job ({@code SLURM_JOB_ID} unset) whose {@code sinfo} answers.
 * Too much: a task to run that declares more {@code cpus} or {@code memory} than {@code
 * login_node.cpus} (default 2) or {@code login_node.memory} (default 4Gi), or any {@code gpus}.
 *
 * <pre>
 * login_node:
 *   hostname: "login[0-9]+.*"   # else: no SLURM_JOB_ID and sinfo answers
 *   cpus: 2
 *   memory: 4Gi
 * </pre>
 *
 * <pre>{@code LoginNode.warning(plan).ifPresent(System.err::println);}</pre>
 */
public final class LoginNode {
  static final double DEFAULT_CPUS = 2;
  static final long DEFAULT_MEMORY = 4L << 30;

  private LoginNode() {}

  /** The warning for running {@code plan}'s tasks to run on this machine, if it deserves one. */
  public static Optional<String> warning(Plan plan) {
    Environment env = Environment.system();
    return warning(
        plan.toRun().stream().map(PlannedTask::task).map(t -> t.resources()).toList(),
        env,
        () -> sinfoAnswers(env));
  }

  /**
   * The same from the tasks' declared resources; {@code sinfo} says whether SLURM's sinfo answers
   * (asked only when a task is too big and no hostname pattern is configured).
   */
  static Optional<String> warning(
      List<Optional<Resources>> asks, Environment env, BooleanSupplier sinfo) {
    Settings s = Settings.read(env);
    long big =
        asks.stream()
            .filter(Optional::isPresent)
            .map(Optional::get)
            .filter(
                r ->
                    r.cpus().orElse(0) > s.cpus
                        || r.memoryBytes().orElse(0) > s.memory
                        || r.gpus().orElse(0) > 0)
            .count();
    if (big == 0) {
      return Optional.empty();
    }
    String host = env.host();
    boolean login =
        s.hostname.isPresent()
            ? s.hostname.get().matcher(host).matches()
            : env.variable("SLURM_JOB_ID").isEmpty() && sinfo.getAsBoolean();
    if (!login) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "%s looks like a login node and %d task(s) ask for more than %s cpus, %s of memory or"
                + " any gpu; shared login nodes are for editing and submitting: consider"
                + " --substrate slurm (a SLURM job per task) or lc cluster up (login_node in %s)",
            host,
            big,
            s.cpus == Math.rint(s.cpus) ? String.valueOf((long) s.cpus) : String.valueOf(s.cpus),
            s.memory % (1L << 30) == 0 ? (s.memory >> 30) + "Gi" : (s.memory >> 20) + "Mi",
            s.file));
  }

  /** Whether {@code sinfo} is on PATH and answers within a few seconds. */
  private static boolean sinfoAnswers(Environment env) {
    String path = env.variable("PATH").orElse("/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path sinfo = dir.isEmpty() ? null : Path.of(dir, "sinfo");
      if (sinfo != null && Files.isExecutable(sinfo)) {
        try {
          Process p =
              new ProcessBuilder(sinfo.toString(), "--noheader", "--format=%P")
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                  .start();
          if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
          }
          return p.exitValue() == 0;
        } catch (IOException e) {
          return false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  /** The {@code login_node:} section of the user's configuration. */
  private record Settings(String file, Optional<Pattern> hostname, double cpus, long memory) {
    static Settings read(Environment env) {
      Optional<Path> location =
          env.variable("LIGHTCONE_CONFIG")
              .map(Path::of)
              .or(() -> env.variable("HOME").map(h -> Path.of(h, ".lightcone", "config.yaml")));
      String file = location.map(Path::toString).orElse("~/.lightcone/config.yaml");
      Optional<Pattern> hostname = Optional.empty();
      double cpus = DEFAULT_CPUS;
      long memory = DEFAULT_MEMORY;
      if (location.isEmpty() || !Files.isRegularFile(location.get())) {
        return new Settings(file, hostname, cpus, memory);
      }
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(location.get());
      } catch (IOException e) {
        throw new LightconeException(
            LightconeException.Kind.ENVIRONMENT, "cannot read " + file + ": " + e.getMessage(), e);
      }
      YamlReader.Result r = YamlReader.read(file, bytes);
      if (!r.problems().isEmpty()) {
        return new Settings(file, hostname, cpus, memory); // ContainerConfig reports it
      }
      if (r.root().isPresent()
          && r.root().get() instanceof YMap root
          && root.get("login_node").orElse(null) instanceof YMap section) {
        for (YMap.Entry e : section.entries()) {
          String text = e.value() instanceof YScalar s && !s.isNull() ? s.text().strip() : null;
          Mark at = e.value().mark();
          if (text == null) {
            throw bad(at, "'login_node." + e.name() + "' is " + e.value().describe());
          }
          switch (e.name()) {
            case "hostname" -> {
              try {
                hostname = Optional.of(Pattern.compile(text));
              } catch (PatternSyntaxException x) {
                throw bad(at, "'login_node.hostname' is not a regular expression: " + text);
              }
            }
            case "cpus" -> {
              try {
                cpus = Double.parseDouble(text);
              } catch (NumberFormatException x) {
                throw bad(at, "'login_node.cpus' is '" + text + "'; write a number, e.g. 2");
              }
            }
            case "memory" ->
                memory =
                    Resources.parseBytes(text)
                        .orElseThrow(
                            () ->
                                bad(
                                    at,
                                    "'login_node.memory' is '"
                                        + text
                                        + "'; write a size, e.g. 4Gi"));
            default ->
                throw bad(
                    e.key().mark(),
                    "unknown key 'login_node."
                        + e.name()
                        + "'; the keys are hostname, cpus and memory");
          }
        }
      }
      return new Settings(file, hostname, cpus, memory);
    }

    private static LightconeException bad(Mark at, String message) {
      return new LightconeException(LightconeException.Kind.USER_INPUT, at + ": " + message);
    }
  }
}
