package io.lightcone.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archives as a user without Maven meets them: unpacked with {@code tar} in a
 * clean directory, {@code bin/lc} started with an environment of its own ({@code PATH} a directory
 * of the few tools the sample needs: no {@code mvn}; for the jlink image no {@code java} and no
 * {@code JAVA_HOME} either), the sample run, then found fresh by {@code lc status}.
 */
class DistArchiveIT {
  /** Tools the launcher and the sample's recipes use; never mvn, java only when asked for. */
  private static final List<String> TOOLS =
      List.of(
          "bash",
          "sh",
          "env",
          "dirname",
          "readlink",
          "uname",
          "locale",
          "python3",
          "cat",
          "mkdir",
          "rm",
          "ls");

  @TempDir Path dir;

  @Test
  void archive_withJavaOnPathAndNoMaven_runsTheSample() throws Exception {
    Path home = unpack(property("lc.archive"));
    assertThat(home.resolve("bin/lc")).isExecutable();
    assertThat(home.resolve("LICENSE")).isRegularFile();
    assertThat(home.resolve("README.md")).isRegularFile();
    assertThat(home.resolve("runtime")).doesNotExist();
    assertThat(home.resolve("share/man/man1/lc.1")).content().startsWith(".TH \"LC\" \"1\"");
    assertThat(home.resolve("share/man/man1/lc-run.1")).content().contains(".SH SYNOPSIS");
    assertThat(home.resolve("share/bash-completion/completions/lc"))
        .content()
        .contains("complete -F _complete_lc");
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      assertThat(jars.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("lightcone-cli-"))
          .anyMatch(n -> n.startsWith("lightcone-core-"))
          .noneMatch(n -> n.endsWith("-all.jar"));
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    runsTheSample(home, Map.of("JAVA_HOME", ""), java);
  }

  @Test
  void jlinkImage_withNoJavaAtAll_runsTheSample() throws Exception {
    Path home = unpack(property("lc.image"));
    assertThat(home.resolve("runtime/bin/java")).isExecutable();
    runsTheSample(home, Map.of(), null);
  }

  private void runsTheSample(Path home, Map<String, String> extra, Path java) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("path"));
    for (String tool : TOOLS) {
      Path found = which(tool);
      assertThat(found).as(tool + " on this machine's PATH").isNotNull();
      Files.createSymbolicLink(bin.resolve(tool), found);
    }
    if (java != null) {
      Files.createSymbolicLink(bin.resolve("java"), java);
    }
    Map<String, String> env = new java.util.HashMap<>();
    env.put("PATH", bin.toString());
    env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    env.put("LANG", "C.UTF-8");
    env.putAll(extra);

    Run noMaven = run(env, "bash", "-c", "command -v mvn || echo none");
    assertThat(noMaven.out).isEqualTo("none\n");
    Run noJava = run(env, "bash", "-c", "command -v java || echo none");
    assertThat(noJava.out).isEqualTo(java == null ? "none\n" : bin.resolve("java") + "\n");

    Path project = copy(Path.of(property("lc.sample")), dir.resolve("pl"));
    String lc = home.resolve("bin/lc").toString();

    Run version = run(env, lc, "--version");
    assertThat(version.code).as(version.all()).isZero();
    assertThat(version.out).startsWith("lc ");

    // Sandbox off: bwrap would hide this test's PATH directory (and with it python3) from recipes.
    Run run = run(env, lc, "run", "--sandbox", "off", "-C", project.toString());
    assertThat(run.code).as(run.all()).isZero();
    assertThat(run.out.lines().toList()).last().asString().matches("11 tasks: 11 succeeded.*");

    Run status = run(env, lc, "status", "-C", project.toString());
    assertThat(status.code).as(status.all()).isZero();
    assertThat(status.out).endsWith("11 outputs: 11 ok\n");
  }

  private Path unpack(String archive) throws Exception {
    assertThat(Path.of(archive)).isRegularFile();
    Path target = Files.createDirectories(dir.resolve("unpacked"));
    Run tar =
        run(Map.of("PATH", System.getenv("PATH")), "tar", "-xzf", archive, "-C", target.toString());
    assertThat(tar.code).as(tar.all()).isZero();
    try (Stream<Path> top = Files.list(target)) {
      List<Path> dirs = top.toList();
      assertThat(dirs).as("one top directory").hasSize(1);
      assertThat(dirs.get(0).getFileName().toString()).startsWith("lightcone-");
      return dirs.get(0);
    }
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    assertThat(value).as("system property " + name + " (set by failsafe)").isNotBlank();
    return value;
  }

  /** The system's tool first (not a shim such as pyenv's, which needs tools of its own). */
  private static Path which(String tool) {
    for (String d : ("/usr/bin:/bin:" + System.getenv("PATH")).split(":")) {
      Path p = Path.of(d, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path rel = from.relativize(f);
        if (rel.startsWith("results") || rel.startsWith(".lightcone")) {
          continue;
        }
        Path t = to.resolve(rel.toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else {
          Files.copy(f, t);
        }
      }
    }
    return to;
  }

  private record Run(int code, String out, String err) {
    String all() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Run run(Map<String, String> env, String... command) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(List.of(command)))
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Process p = builder.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
