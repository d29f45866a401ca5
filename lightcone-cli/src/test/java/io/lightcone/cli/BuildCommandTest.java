package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers without a runtime ({@code --runtime none}): a warning at plan time, recipes run on the
 * host, and their manifests say so; {@code lc build} has nothing to build with. The real podman is
 * in {@link ContainerJarIT}.
 */
class BuildCommandTest {
  @TempDir Path dir;

  private Path declaring() {
    return TestProjects.write(
        dir.resolve("p"),
        "astra.yaml",
        """
        id: declaring
        container: registry.invalid/lightcone/tool:1
        outputs:
          - id: answer
            type: data
            recipe: {command: "echo 42 > {output}/answer.txt"}
        """,
        "universes/only.yaml",
        "id: only\n");
  }

  @Test
  void runtimeNone_warnsAtPlanTime_runsOnTheHost_andTheManifestSaysSo() throws IOException {
    Path p = declaring();
    String warning =
        "lc: warning: 1 task(s) declare a container (registry.invalid/lightcone/tool:1) but there is"
            + " no container runtime (--runtime none): their recipes will run on this host, outside"
            + " the image, so their provenance will not match the image; their manifests record"
            + " container_runtime: none. Choose a runtime (--runtime auto) to run them in the image\n";
    Lc.Result plan = Lc.run("plan", "-C", p.toString(), "--runtime", "none", "--json");
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    assertThat(plan.err()).isEqualTo(warning);
    assertThat(new ObjectMapper().readTree(plan.out()).get("tasks")).hasSize(1);

    Lc.Result run = Lc.run("run", "-C", p.toString(), "--runtime", "none");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.err()).isEqualTo(warning);
    JsonNode manifest =
        new ObjectMapper()
            .readTree(Files.readString(p.resolve("results/only/answer/.lightcone-manifest.json")));
    assertThat(manifest.get("container_image").asText())
        .isEqualTo("registry.invalid/lightcone/tool:1");
    assertThat(manifest.get("container_runtime").asText()).isEqualTo("none");
    assertThat(manifest.has("image_identity")).isFalse(); // an image name is its own identity
    assertThat(Lc.run("verify", "-C", p.toString()).exitCode()).isZero();
    assertThat(Lc.run("status", "-C", p.toString()).out()).endsWith("1 outputs: 1 ok\n");

    // Nothing to run, nothing to warn about.
    assertThat(Lc.run("plan", "-C", p.toString(), "--runtime", "none").err()).isEmpty();
  }

  @Test
  void build_withoutARuntime_exits4SayingWhatToInstall() {
    Lc.Result build = Lc.run("build", "-C", declaring().toString(), "--runtime", "none");
    assertThat(build.exitCode()).isEqualTo(ExitCode.ENVIRONMENT.code);
    assertThat(build.err())
        .isEqualTo(
            "lc: building images needs a container runtime, and there is none (--runtime none);"
                + " install podman (Debian: apt-get install podman runc), or name one with"
                + " --runtime or container.runtime in ~/.lightcone/config.yaml\n");
  }

  @Test
  void build_whenNoRecipeDeclaresAContainer_hasNothingToBuild() {
    Path p = TestProjects.oneTaskProject(dir.resolve("plain"), "echo 1 > {output}/x");
    Lc.Result build = Lc.run("build", "-C", p.toString(), "--runtime", "none");
    assertThat(build.exitCode()).isZero();
    assertThat(build.out()).isEqualTo("no recipe declares a container: nothing to build\n");
  }

  @Test
  void aMissingContainerfile_isAnErrorNamingTheFileAndWhatToWrite() {
    Path p =
        TestProjects.write(
            dir.resolve("missing"),
            "astra.yaml",
            """
            id: missing
            outputs:
              - id: answer
                type: data
                recipe: {command: "echo 1 > {output}/x", container: containers/Containerfile}
            """,
            "universes/only.yaml",
            "id: only\n");
    Lc.Result plan = Lc.run("plan", "-C", p.toString());
    assertThat(plan.exitCode()).isEqualTo(ExitCode.INVALID.code);
    assertThat(plan.err())
        .isEqualTo(
            "lc: astra.yaml: container 'containers/Containerfile' names no Containerfile in the"
                + " project (looked for containers/Containerfile); write the path of a"
                + " Containerfile relative to the directory of astra.yaml, or an image name such as"
                + " python:3.11-slim\n");
  }
}
