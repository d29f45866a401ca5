package io.lightcone.core.internal.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * bubblewrap ({@code bwrap}, Debian {@code bubblewrap}): whether it can make a sandbox here, and
 * the command line that runs a recipe in one. The layout follows Bazel's {@code linux-sandbox}: the
 * whole file system read-only, fresh {@code /dev} and {@code /proc} (in a pid namespace of its
 * own), a private {@code /tmp} and {@code HOME}, the project read-only and the output writable.
 */
final class Bubblewrap {
  /**
   * Whether each {@code bwrap} executable can create namespaces: a fact about the machine, asked
   * once per process (a probe costs a few milliseconds), never per task.
   */
  private static final Map<String, Optional<String>> PROBES = new ConcurrentHashMap<>();

  static final long PROBE_SECONDS = 10;

  private Bubblewrap() {}

  /**
   * Empty when {@code executable} can make the sandbox recipes run in; else the first line bwrap
   * printed (e.g. that user namespaces are not allowed).
   */
  static Optional<String> refusal(String executable) {
    return PROBES.computeIfAbsent(executable, Bubblewrap::probe);
  }

  private static Optional<String> probe(String executable) {
    List<String> argv = new ArrayList<>(List.of(executable));
    argv.addAll(List.of("--die-with-parent", "--unshare-pid", "--unshare-net"));
    argv.addAll(List.of("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"));
    argv.addAll(List.of("--tmpfs", "/tmp", "/bin/sh", "-c", "true"));
    try {
      Process p =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.of(executable + " did not answer within " + PROBE_SECONDS + " s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() == 0) {
        return Optional.empty();
      }
      String first = out.isEmpty() ? "exit code " + p.exitValue() : out.lines().findFirst().get();
      return Optional.of(first);
    } catch (IOException e) {
      return Optional.of("cannot run " + executable + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while probing " + executable);
    }
  }

  /**
   * The bwrap words before {@code /bin/sh -c RECIPE}.
   *
   * @param visible in strict mode, the project paths (relative) the recipe may read; empty for the
   *     whole project read-only
   * @param home the user's home directory, made private
   * @param tmpdir {@code TMPDIR}, made private too when it is outside {@code /tmp}
   * @param pathDirs {@code PATH}'s directories: those under the private home are bound back
   *     read-only (a conda environment, a virtualenv, {@code ~/.local}), so commands still resolve
   * @param external declared inputs outside the project, bound back read-only over the private
   *     {@code /tmp} and home
   */
  static List<String> argv(
      String executable,
      Path project,
      Path staging,
      Optional<List<String>> visible,
      boolean network,
      Optional<Path> home,
      Optional<Path> tmpdir,
      List<Path> pathDirs,
      List<Path> external) {
    List<String> a = new ArrayList<>(List.of(executable, "--die-with-parent", "--unshare-pid"));
    if (!network) {
      a.add("--unshare-net");
    }
    a.addAll(List.of("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"));
    a.addAll(List.of("--tmpfs", "/tmp"));
    tmpdir
        .filter(t -> t.isAbsolute() && !t.startsWith("/tmp") && !project.startsWith(t))
        .filter(Files::isDirectory)
        .ifPresent(t -> a.addAll(List.of("--tmpfs", t.toString())));
    Optional<Path> privateHome =
        home.filter(h -> h.isAbsolute() && h.getNameCount() > 0 && !h.startsWith(project))
            .filter(Files::isDirectory);
    privateHome.ifPresent(
        h -> {
          a.addAll(List.of("--tmpfs", h.toString()));
          for (Path dir : pathDirs) {
            Path prefix = dir.getFileName() != null && dir.endsWith("bin") ? dir.getParent() : dir;
            if (dir.isAbsolute()
                && prefix.startsWith(h)
                && !prefix.equals(h)
                && !prefix.startsWith(project)
                && !project.startsWith(prefix)
                && Files.isDirectory(prefix)) {
              a.addAll(List.of("--ro-bind", prefix.toString(), prefix.toString()));
            }
          }
        });
    for (Path e : external) {
      a.addAll(List.of("--ro-bind", e.toString(), e.toString()));
    }
    String p = project.toString();
    if (visible.isEmpty()) {
      a.addAll(List.of("--ro-bind", p, p));
    } else {
      a.addAll(List.of("--tmpfs", p));
      for (String rel : visible.get()) {
        Path source = project.resolve(rel);
        if (Files.exists(source)) {
          a.addAll(List.of("--ro-bind", source.toString(), source.toString()));
        }
      }
    }
    a.addAll(List.of("--bind", staging.toString(), staging.toString()));
    if (visible.isPresent()) {
      // Made read-only last: bwrap creates the mount points of the visible paths in it first.
      a.addAll(List.of("--remount-ro", p));
    }
    a.addAll(List.of("--chdir", p));
    return a;
  }
}
