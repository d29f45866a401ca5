package io.lightcone.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.Environment;
import io.lightcone.model.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing a runtime (with fake executables on a fake PATH) and the command lines it gets. */
class ContainerRuntimeTest {
  @TempDir Path dir;

  private Environment environment(Map<String, String> variables) {
    return new Environment(variables, Clock.systemUTC(), "", "");
  }

  private Path executable(String name, String script) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path p = bin.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + script + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  @Test
  void auto_prefersPodmanHpc_thenPodman_thenDockerOnlyWhenItsDaemonAnswers() throws IOException {
    String path = dir.resolve("bin").toString();
    executable("docker", "exit 1"); // a client whose daemon does not answer
    Environment env = environment(Map.of("PATH", path, "HOME", dir.toString()));
    ContainerRuntime.Selection none = ContainerRuntime.select(Optional.empty(), env);
    assertThat(none.runtime()).isEmpty();
    assertThat(none.recorded()).isEqualTo("none");
    assertThat(none.why()).contains("podman-hpc, podman and docker");

    executable("docker", "exit 0");
    assertThat(ContainerRuntime.select(Optional.empty(), env).recorded()).isEqualTo("docker");
    executable("podman", "exit 0");
    assertThat(ContainerRuntime.select(Optional.empty(), env).recorded()).isEqualTo("podman");
    executable("podman-hpc", "exit 0");
    assertThat(ContainerRuntime.select(Optional.empty(), env).recorded()).isEqualTo("podman-hpc");
    assertThat(ContainerRuntime.select(Optional.of("none"), env).runtime()).isEmpty();
    assertThat(ContainerRuntime.select(Optional.of("docker"), env).recorded()).isEqualTo("docker");
  }

  @Test
  void configFile_choosesTheRuntimeAndItsOptions_theOptionWins() throws IOException {
    executable("podman", "exit 0");
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        """
        container:
          runtime: none
          run_options: [--runtime, runc, --ulimit, "nofile=1024:1024"]
          build_options: [--isolation, chroot]
        """);
    Environment env =
        environment(
            Map.of("PATH", dir.resolve("bin").toString(), "LIGHTCONE_CONFIG", config.toString()));
    ContainerRuntime.Selection s = ContainerRuntime.select(Optional.empty(), env);
    assertThat(s.runtime()).isEmpty();
    assertThat(s.why()).startsWith("container.runtime: none (" + config + ":2:");
    ContainerRuntime podman = ContainerRuntime.select(Optional.of("auto"), env).runtime().get();
    assertThat(podman.runOptions())
        .containsExactly("--runtime", "runc", "--ulimit", "nofile=1024:1024");
    assertThat(podman.buildOptions()).containsExactly("--isolation", "chroot");
  }

  @Test
  void badConfig_namesFileLineAndKey_missingRuntime_saysWhatToInstall() throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "container:\n  runtimes: podman\n");
    Environment env =
        environment(Map.of("PATH", dir.toString(), "LIGHTCONE_CONFIG", config.toString()));
    assertThatThrownBy(() -> ContainerRuntime.select(Optional.empty(), env))
        .isInstanceOf(LightconeException.class)
        .hasMessageStartingWith(config + ":2:3: unknown key 'container.runtimes'");
    Files.writeString(config, "container:\n  run_options: --network none\n");
    assertThatThrownBy(() -> ContainerRuntime.select(Optional.empty(), env))
        .hasMessageContaining(":2:16: 'container.run_options' is a string");
    assertThatThrownBy(
            () -> ContainerRuntime.select(Optional.of("podman"), environment(Map.of("PATH", "/x"))))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("container runtime 'podman' (--runtime podman) is not installed")
        .hasMessageContaining("apt-get install podman runc")
        .satisfies(
            e ->
                assertThat(((LightconeException) e).kind())
                    .isEqualTo(LightconeException.Kind.ENVIRONMENT));
  }

  @Test
  void runLine_mountsTheProjectAtItsPath_quotesTheRecipe_passesResources() {
    ContainerRuntime podman =
        new ContainerRuntime("podman", "/usr/bin/podman", List.of("--network", "none"), List.of());
    Resources r = Resources.builder().cpus(2).memory("256Mi").gpus(1).build();
    String line =
        podman.runLine(
            "lc-u-out-0a1b2c3d",
            Path.of("/work/my project"),
            "lc-demo-0123456789ab",
            "echo 'it''s' > results/u/out/x && cat \"$HOME\"",
            Optional.of(r));
    assertThat(line)
        .isEqualTo(
            "/usr/bin/podman run --rm --pull=never --name=lc-u-out-0a1b2c3d --network none"
                + " --cpus=2 --memory=268435456 -v '/work/my project:/work/my project'"
                + " -w '/work/my project' lc-demo-0123456789ab sh -c"
                + " 'echo '\"'\"'it'\"'\"''\"'\"'s'\"'\"' > results/u/out/x && cat \"$HOME\"'");
    ContainerRuntime docker = new ContainerRuntime("docker", "docker", List.of(), List.of());
    assertThat(docker.runCommand("n", dir, "img", "true", Optional.empty()))
        .as("docker runs as the project's owner, not root")
        .contains("--user=" + ContainerRuntime.owner(dir).orElseThrow());
    assertThat(docker.resourceFlags(Resources.builder().cpus(0.5).gpus(2).build()))
        .containsExactly("--cpus=0.5", "--gpus=2");
    ContainerRuntime hpc = new ContainerRuntime("podman-hpc", "podman-hpc", List.of(), List.of());
    assertThat(hpc.resourceFlags(Resources.builder().gpus(1).build())).containsExactly("--gpu");
  }

  @Test
  void runCommand_withSandboxMounts_projectReadOnly_strictShowsOnlyTheVisible_noNetwork()
      throws Exception {
    ContainerRuntime podman = new ContainerRuntime("podman", "podman", List.of(), List.of());
    Path project = dir.resolve("p");
    Path staging = Files.createDirectories(project.resolve("results/u/.o.staging-1"));
    Path input = Files.createDirectories(project.resolve("data"));
    String p = project.toString();
    String s = staging.toString();
    ContainerRuntime.Mounts on =
        new ContainerRuntime.Mounts(true, Optional.empty(), List.of(staging), true);
    assertThat(podman.runCommand("n", project, "img", "true", Optional.empty(), on))
        .containsSequence("-v", p + ":" + p + ":ro", "-v", s + ":" + s, "-w", p)
        .doesNotContain("--network=none");
    ContainerRuntime.Mounts strict =
        new ContainerRuntime.Mounts(
            true, Optional.of(List.of(input, project.resolve("absent"))), List.of(staging), false);
    List<String> argv = podman.runCommand("n", project, "img", "true", Optional.empty(), strict);
    assertThat(argv)
        .contains("--network=none")
        .containsSequence(
            "--mount",
            "type=tmpfs,destination=" + p + ",ro=true",
            "-v",
            input + ":" + input + ":ro",
            "-v",
            s + ":" + s,
            "-w",
            p)
        .noneMatch(w -> w.startsWith(p + ":") || w.contains("absent"));
    assertThat(podman.runCommand("n", project, "img", "true", Optional.empty()))
        .as("without a sandbox, as before")
        .containsSequence("-v", p + ":" + p, "-w", p);
  }

  @Test
  void runLine_throughSh_givesTheRuntimeExactlyTheseWords() throws Exception {
    // The line is run by /bin/sh -c: check the words it splits into with a fake runtime.
    Path fake = executable("podman", "for a in \"$@\"; do printf '%s\\n' \"$a\"; done");
    ContainerRuntime podman = new ContainerRuntime("podman", fake.toString(), List.of(), List.of());
    String recipe = "printf '%s' \"a b\" > {out}; echo $((1+2))";
    String line = podman.runLine("n", Path.of("/p q"), "img", recipe, Optional.empty());
    Process p = new ProcessBuilder("/bin/sh", "-c", line).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    assertThat(out.lines().toList())
        .containsExactly(
            "run",
            "--rm",
            "--pull=never",
            "--name=n",
            "-v",
            "/p q:/p q",
            "-w",
            "/p q",
            "img",
            "sh",
            "-c",
            recipe);
  }
}
