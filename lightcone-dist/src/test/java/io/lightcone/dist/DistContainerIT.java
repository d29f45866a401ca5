package io.lightcone.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jlink image on a machine with no Java at all: a podman image built {@code FROM scratch}
 * holding only the unpacked image, a static busybox, bash and the shared libraries {@code ldd}
 * finds for them (scratch-rootfs.sh; no registry needed). In it, {@code lc} runs a small project of
 * shell recipes (Python is not in the image) and {@code lc status} finds it fresh.
 */
class DistContainerIT {
  @TempDir Path dir;

  private String tag;

  @AfterEach
  void removeImage() throws Exception {
    if (tag != null) {
      run(60, "podman", "rmi", "-f", tag);
    }
  }

  @Test
  void jlinkImage_inAnImageFromScratch_runsAProjectAndFindsItFresh() throws Exception {
    assertThat(run(60, "podman", "--version").code)
        .as("podman is not installed: apt-get install podman runc busybox-static (.ci/run does)")
        .isZero();
    assertThat(Path.of("/bin/busybox")).as("apt-get install busybox-static").isExecutable();
    Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
    String image = System.getProperty("lc.image");
    assertThat(run(120, "tar", "-xzf", image, "-C", unpacked.toString()).code).isZero();
    Path home;
    try (Stream<Path> top = Files.list(unpacked)) {
      home = top.findFirst().orElseThrow();
    }
    Path context = Files.createDirectories(dir.resolve("context"));
    Path script = dir.resolve("scratch-rootfs.sh");
    copyResource("/scratch-rootfs.sh", script);
    Result rootfs =
        run(120, "bash", script.toString(), home.toString(), context.resolve("rootfs").toString());
    assertThat(rootfs.code).as(rootfs.out).isZero();
    Files.writeString(
        context.resolve("Containerfile"), "FROM scratch\nCOPY rootfs/ /\nENV PATH=/bin:/usr/bin\n");
    tag = "lc-dist-scratch-" + UUID.randomUUID().toString().substring(0, 12);
    Result build = run(300, "podman", "build", "-q", "-t", tag, context.toString());
    assertThat(build.code).as(build.out).isZero();

    Path project = Files.createDirectories(dir.resolve("tiny"));
    for (String f : List.of("astra.yaml", "data/text.txt", "universes/words.yaml")) {
      copyResource("/tiny/" + f, project.resolve(f));
    }
    Result noJava = container(project, "/bin/sh", "-c", "command -v java || echo none");
    assertThat(noJava.out).isEqualTo("none\n");

    Result version = container(project, "/opt/lightcone/bin/lc", "--version");
    assertThat(version.code).as(version.out).isZero();
    assertThat(version.out).startsWith("lc ");

    Result lcRun =
        container(project, "/opt/lightcone/bin/lc", "run", "--sandbox", "off", "-C", "/p");
    assertThat(lcRun.code).as(lcRun.out).isZero();
    assertThat(lcRun.out).contains("2 tasks: 2 succeeded");
    assertThat(Files.readString(project.resolve("results/words/counted/count.txt")))
        .isEqualTo("5\nwords\n");

    Result status = container(project, "/opt/lightcone/bin/lc", "status", "-C", "/p");
    assertThat(status.code).as(status.out).isZero();
    assertThat(status.out).endsWith("2 outputs: 2 ok\n");
  }

  private Result container(Path project, String... command) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of("podman", "run", "--rm", "-e", "HOME=/tmp", "-v", project + ":/p", tag));
    argv.addAll(List.of(command));
    return run(120, argv.toArray(String[]::new));
  }

  private static void copyResource(String name, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = DistContainerIT.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      Files.copy(in, to);
    }
  }

  private record Result(int code, String out) {}

  private Result run(long seconds, String... command) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
