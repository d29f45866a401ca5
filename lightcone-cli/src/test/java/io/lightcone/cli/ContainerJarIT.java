package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers with the real podman (Debian: podman + runc; .ci/run installs them and writes
 * /etc/containers/containers.conf): {@code lc build}, recipes run in the image, the image in the
 * manifest and in {@code code_version}, and no container left behind by a cancelled run. Test
 * images are {@code FROM scratch} with a static busybox (busybox-static), so no registry is needed.
 */
class ContainerJarIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Path BUSYBOX = Path.of("/bin/busybox");
  private static final Pattern TAG = Pattern.compile("lc-containerised-sample-[0-9a-f]{12}");

  @TempDir Path dir;

  /** Tags this test made: removed afterwards, so the store does not grow run after run. */
  private final List<String> images = new ArrayList<>();

  /** An empty configuration: what the test runs must not depend on the user's. */
  private Map<String, String> env;

  @BeforeEach
  void enginePresent() throws IOException {
    assertThat(podman("--version").exitCode)
        .as("podman is not installed: apt-get install podman runc busybox-static (.ci/run does)")
        .isZero();
    assertThat(BUSYBOX)
        .as("a static busybox for the test images: apt-get install busybox-static")
        .isExecutable();
    env = Map.of("LIGHTCONE_CONFIG", dir.resolve("no-config.yaml").toString());
  }

  @AfterEach
  void removeImages() {
    for (String image : images) {
      podman("rmi", "-f", image);
    }
  }

  private JarLc.Run lc(JarLc lc, String... args) {
    return lc.start(env, false, args).await(PATIENCE.toSeconds());
  }

  /** The sample with its busybox, and a unique comment so that its tag is new to the store. */
  private Path sample(String name) throws IOException {
    Path project = TestProjects.copyOfSample("containerised", dir.resolve(name));
    withBusybox(project);
    Files.writeString(
        project.resolve("Containerfile"),
        "# test run " + UUID.randomUUID() + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    return project;
  }

  private static void withBusybox(Path project) throws IOException {
    Path bin = Files.createDirectories(project.resolve("image/bin"));
    Files.copy(BUSYBOX, bin.resolve("busybox"));
    Files.copy(BUSYBOX, bin.resolve("sh"));
  }

  @Test
  void build_run_verify_thenACopiedSourceEdited_rebuildsAndStalesExactlyItsDependents()
      throws Exception {
    JarLc lc = new JarLc(dir);
    Path project = sample("cs");
    String p = project.toString();

    JarLc.Run build = lc(lc, "build", "-C", p);
    assertThat(build.exitCode()).as(build.all()).isZero();
    String tag = tag(build.out(), "built");
    images.add(tag);
    assertThat(build.outLines())
        .contains("1 image: 1 built")
        .anyMatch(l -> l.matches("built " + tag + " \\(from Containerfile\\) in \\d+\\.\\ds"))
        .anyMatch(l -> l.startsWith("    | ")); // podman's own output, indented
    assertThat(podman("image", "inspect", tag).exitCode).isZero();

    JarLc.Run again = lc(lc, "build", "-C", p);
    assertThat(again.exitCode()).as(again.all()).isZero();
    assertThat(again.outLines())
        .containsExactly("present " + tag + " (from Containerfile)", "1 image: 1 present");

    JarLc.Run run = lc(lc, "run", "-C", p);
    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.outLines()).last().asString().startsWith("6 tasks: ");
    assertThat(run.err()).isEmpty();
    // The script exists only in the image, and the shell that ran it is the image's busybox.
    JsonNode count = json(project.resolve("results/words/counted/count.json"));
    assertThat(count.get("count").asInt()).isEqualTo(13);
    assertThat(count.get("shell").asText()).startsWith("BusyBox");
    JsonNode manifest = json(project.resolve("results/words/counted/.lightcone-manifest.json"));
    assertThat(manifest.get("container_image").asText()).isEqualTo("Containerfile");
    assertThat(manifest.get("image_identity").asText()).isEqualTo(tag);
    assertThat(manifest.get("container_runtime").asText()).isEqualTo("podman");
    JsonNode host = json(project.resolve("results/words/tokens/.lightcone-manifest.json"));
    assertThat(host.get("container_image").isNull()).isTrue();
    assertThat(host.has("container_runtime")).isFalse();

    JarLc.Run verify = lc(lc, "verify", "-C", p);
    assertThat(verify.exitCode()).as(verify.all()).isZero();
    assertThat(verify.out()).endsWith("6 outputs verified, no integrity failure.\n");

    // A COPY source edited: a new tag, and exactly the outputs made in the image (and what reads
    // them) go stale.
    Files.writeString(
        project.resolve("src/count.sh"),
        "# edited\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    JarLc.Run status = lc(lc, "status", "-C", p);
    assertThat(status.exitCode()).as(status.all()).isZero();
    Matcher changed =
        Pattern.compile("code changed: image \\(" + tag + " → (" + TAG + ")\\)")
            .matcher(status.out());
    assertThat(changed.find()).as(status.all()).isTrue();
    String newTag = changed.group(1);
    images.add(newTag);
    assertThat(status.outLines())
        .filteredOn(l -> l.matches("(words|chars) +\\S+ +\\S+.*"))
        .extracting(l -> l.replaceAll(" +", " ").strip())
        .containsExactlyInAnyOrder(
            "chars tokens ok",
            "chars counted stale code changed: image (" + tag + " → " + newTag + ")",
            "chars report stale upstream stale: counted",
            "words tokens ok",
            "words counted stale code changed: image (" + tag + " → " + newTag + ")",
            "words report stale upstream stale: counted");

    JarLc.Run rebuild = lc(lc, "build", "-C", p);
    assertThat(rebuild.exitCode()).as(rebuild.all()).isZero();
    assertThat(tag(rebuild.out(), "built")).isEqualTo(newTag);

    JarLc.Run rerun = lc(lc, "run", "-C", p);
    assertThat(rerun.exitCode()).as(rerun.all()).isZero();
    // counted runs again in the new image; its bytes are the same, so report comes from the cache.
    assertThat(rerun.outLines())
        .last()
        .asString()
        .startsWith("6 tasks: 2 succeeded, 2 restored, 2 up-to-date");
    assertThat(
            json(project.resolve("results/chars/counted/.lightcone-manifest.json"))
                .get("image_identity")
                .asText())
        .isEqualTo(newTag);
    JarLc.Run ok = lc(lc, "status", "-C", p);
    assertThat(ok.out()).endsWith("6 outputs: 6 ok\n");

    // The output made in the image is in the cache: with the runtime, the plan restores it;
    // without one, the recipe would run on the host, and the plan says so (no restore promised).
    try (var files = Files.walk(project.resolve("results/words/counted"))) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
    assertThat(action(lc(lc, "plan", "--json", "-C", p), "words/counted")).isEqualTo("restore");
    assertThat(action(lc(lc, "plan", "--json", "--runtime", "none", "-C", p), "words/counted"))
        .isEqualTo("run");
  }

  /** The action {@code lc plan --json} gives task {@code id}. */
  private static String action(JarLc.Run plan, String id) throws IOException {
    assertThat(plan.exitCode()).as(plan.all()).isZero();
    for (JsonNode t : new ObjectMapper().readTree(plan.out()).get("tasks")) {
      if (t.get("id").asText().equals(id)) {
        return t.get("action").asText();
      }
    }
    throw new AssertionError(id + " is not in the plan: " + plan.out());
  }

  @Test
  void imageNotBuilt_failsTheTaskSayingToBuild_andAnImageNameThatCannotBePulled_failsTheBuild()
      throws Exception {
    JarLc lc = new JarLc(dir);
    Path project = sample("unbuilt");
    JarLc.Run run = lc(lc, "run", "-C", project.toString(), "-u", "words", "counted");
    assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
    assertThat(run.out())
        .containsPattern(
            "failed words/counted .*: image "
                + TAG
                + " \\(built from Containerfile\\) is not built; run lc build");

    Path named =
        TestProjects.write(
            dir.resolve("named"),
            "astra.yaml",
            """
            id: named
            container: registry.invalid/lightcone/nothing:1
            outputs:
              - id: x
                type: data
                recipe: {command: "touch {output}/x"}
            """,
            "universes/u.yaml",
            "{}\n");
    JarLc.Run pull = lc(lc, "build", "-C", named.toString());
    assertThat(pull.exitCode()).as(pull.all()).isEqualTo(1);
    assertThat(pull.outLines())
        .contains(
            "failed registry.invalid/lightcone/nothing:1: podman pull exited with 125 (log:"
                + " .lightcone/logs/build/registry.invalid_lightcone_nothing_1.log)",
            "1 image: 1 failed");
  }

  /** A project whose one recipe sleeps in a busybox image until it is stopped. */
  private Path sleeper(String name) throws IOException {
    Path project =
        TestProjects.write(
            dir.resolve(name),
            "astra.yaml",
            """
            id: sleeper
            outputs:
              - id: nap
                type: data
                recipe: {command: "sleep 120; touch {output}/done", container: Containerfile}
            """,
            "universes/u.yaml",
            "{}\n",
            "Containerfile",
            "FROM scratch\nCOPY image/bin/ /bin/\n# " + UUID.randomUUID() + "\n");
    withBusybox(project);
    return project;
  }

  @Test
  void ctrlC_removesTheRunningContainer_andKillNine_leavesOneTheNextRunRemoves() throws Exception {
    JarLc lc = new JarLc(dir);
    Path project = sleeper("sleeper");
    String p = project.toString();
    JarLc.Run build = lc(lc, "build", "-C", p);
    assertThat(build.exitCode()).as(build.all()).isZero();
    images.add(tag(build.out(), "built", Pattern.compile("lc-sleeper-[0-9a-f]{12}")));

    JarLc.Started interrupted = lc.start(env, true, "run", "-C", p);
    Await.until(PATIENCE, "the recipe's container runs", () -> !containers("lc-u-nap-").isEmpty());
    signal("INT", interrupted.process().pid());
    JarLc.Run stopped = interrupted.await(PATIENCE.toSeconds());
    assertThat(stopped.exitCode()).as(stopped.all()).isEqualTo(130);
    assertThat(containers("lc-u-nap-")).as("containers left by Ctrl-C").isEmpty();
    assertThat(project.resolve("results/u/nap")).doesNotExist();

    // kill -9 of lc: nothing can remove the container then; the next run (holding the lock) does.
    JarLc.Started killed = lc.start(env, false, "run", "-C", p);
    Await.until(PATIENCE, "the recipe's container runs", () -> !containers("lc-u-nap-").isEmpty());
    List<String> orphans = containers("lc-u-nap-");
    signal("KILL", killed.process().pid());
    killed.await(PATIENCE.toSeconds());
    assertThat(containers("lc-u-nap-")).containsExactlyElementsOf(orphans);
    JarLc.Started next = lc.start(env, true, "run", "-C", p);
    Await.until(
        PATIENCE,
        "the next run removed the orphan and started its own container",
        () -> {
          List<String> now = containers("lc-u-nap-");
          return now.size() == 1 && !orphans.contains(now.get(0));
        });
    signal("INT", next.process().pid());
    assertThat(next.await(PATIENCE.toSeconds()).exitCode()).isEqualTo(130);
    assertThat(containers("lc-u-nap-")).isEmpty();
  }

  @Test
  void sandbox_throughTheContainersMounts_refusesWrites_strictHidesUndeclared_noNetwork()
      throws Exception {
    JarLc lc = new JarLc(dir);
    Path project =
        TestProjects.write(
            dir.resolve("boxed"),
            "astra.yaml",
            """
            id: boxed
            container: Containerfile
            outputs:
              - id: stray
                type: data
                recipe: {command: "echo x > stray.txt && echo ok > {output}/v"}
              - id: peek
                type: data
                recipe: {command: "sh src/peek.sh {output}"}
            """,
            "universes/u.yaml",
            "{}\n",
            "Containerfile",
            "FROM scratch\nCOPY image/bin/ /bin/\n# " + UUID.randomUUID() + "\n",
            "src/peek.sh",
            "cat data/notes.txt > \"$1/v\"\n",
            "data/notes.txt",
            "hi\n");
    withBusybox(project);
    String p = project.toString();
    JarLc.Run build = lc(lc, "build", "-C", p);
    assertThat(build.exitCode()).as(build.all()).isZero();
    images.add(tag(build.out(), "built", Pattern.compile("lc-boxed-[0-9a-f]{12}")));

    JarLc.Run strict =
        lc(lc, "run", "-C", p, "--sandbox", "strict", "--no-network", "--keep-going");
    assertThat(strict.exitCode()).as(strict.all()).isEqualTo(1);
    assertThat(strict.out())
        .contains("it tried to read data/notes.txt, which it does not declare")
        .contains("Read-only file system");
    assertThat(project.resolve("stray.txt")).doesNotExist();

    JarLc.Run on = lc(lc, "run", "-C", p, "--sandbox", "on", "--no-network", "peek");
    assertThat(on.exitCode()).as(on.all()).isZero();
    JsonNode sandbox =
        json(project.resolve("results/u/peek/.lightcone-manifest.json")).get("sandbox");
    assertThat(sandbox.get("tool").asText()).isEqualTo("podman");
    assertThat(sandbox.get("mode").asText()).isEqualTo("on");
    assertThat(sandbox.get("network").asBoolean()).isFalse();
  }

  private static String tag(String out, String word) {
    return tag(out, word, TAG);
  }

  private static String tag(String out, String word, Pattern tag) {
    Matcher m = Pattern.compile("(?m)^" + word + " (" + tag + ") ").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1);
  }

  private static JsonNode json(Path file) throws IOException {
    return new ObjectMapper().readTree(Files.readString(file));
  }

  /** Names of the containers (running or not) whose name starts with {@code prefix}. */
  private static List<String> containers(String prefix) {
    Result r = podman("ps", "-a", "--format", "{{.Names}}");
    return r.out.lines().filter(n -> n.startsWith(prefix)).toList();
  }

  private record Result(int exitCode, String out) {}

  private static Result podman(String... args) {
    List<String> argv = new ArrayList<>(List.of("podman"));
    argv.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("podman " + String.join(" ", args) + " did not finish");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void signal(String signal, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
      assertThat(kill.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
