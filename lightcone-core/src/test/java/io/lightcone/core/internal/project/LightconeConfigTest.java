package io.lightcone.core.internal.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.Problem;
import io.lightcone.core.SandboxMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lightcone.yaml}: its keys, and every bad value as a problem naming file:line:col. */
class LightconeConfigTest {
  @TempDir Path project;
  private final Problems problems = new Problems();

  private LightconeConfig parse(String yaml) {
    return LightconeConfig.parse(project, yaml.getBytes(StandardCharsets.UTF_8), problems);
  }

  private void write(String... files) throws IOException {
    for (String f : files) {
      Files.createDirectories(project.resolve(f).getParent());
      Files.writeString(project.resolve(f), f);
    }
  }

  private static String line(Problem p) {
    return p.file()
        + ":"
        + p.line()
        + ":"
        + p.column()
        + ": "
        + p.severity().name().toLowerCase(java.util.Locale.ROOT)
        + ": ["
        + p.key()
        + "] "
        + p.message();
  }

  private List<String> problemLines() {
    return problems.all().stream().map(LightconeConfigTest::line).toList();
  }

  @Test
  void missingFile_isTheDefaults() {
    LightconeConfig c = LightconeConfig.load(project, problems);

    assertThat(problems.all()).isEmpty();
    assertThat(c.code()).isEmpty();
    assertThat(c.codeFiles()).isEmpty();
    assertThat(c.sandbox()).isEmpty();
    assertThat(c.network()).isTrue();
    assertThat(c.sandboxFallback()).isFalse();
  }

  @Test
  void everyKey_isRead() throws IOException {
    write("src/a.py", "src/pkg/b.py", "src/c.txt", "lib/x.R", "results/u/o/gen.py");
    Files.writeString(
        project.resolve("lightcone.yaml"),
        "code: [\"src/**/*.py\", lib/*.R]\nsandbox: strict\nnetwork: false\n"
            + "sandbox_fallback: true\n");

    LightconeConfig c = LightconeConfig.load(project, problems);

    assertThat(problems.all()).isEmpty();
    assertThat(c.code()).containsExactly("src/**/*.py", "lib/*.R");
    assertThat(c.codeFiles()).containsExactly("lib/x.R", "src/a.py", "src/pkg/b.py");
    assertThat(c.sandbox()).contains(SandboxMode.STRICT);
    assertThat(c.network()).isFalse();
    assertThat(c.sandboxFallback()).isTrue();
  }

  @Test
  void sandboxModes_onAndOff() {
    assertThat(parse("sandbox: on\n").sandbox()).contains(SandboxMode.ON);
    assertThat(parse("sandbox: off\n").sandbox()).contains(SandboxMode.OFF);
    assertThat(problems.all()).isEmpty();
    assertThat(parse("sandbox:\n").sandbox()).isEqualTo(Optional.empty());
    assertThat(problems.all()).singleElement().matches(Problem::isError);
  }

  @Test
  void unknownKey_isAnErrorNamingIt_withAHint() {
    parse("code: []\nsandbx: on\n");

    assertThat(problemLines())
        .containsExactly(
            "lightcone.yaml:2:1: error: [sandbx] unknown key 'sandbx' in lightcone.yaml (did you"
                + " mean 'sandbox'?); the keys are code, sandbox, network and sandbox_fallback");
  }

  @Test
  void badValues_areErrorsNamingFileLineColumnAndKey() {
    LightconeConfig c =
        parse("code: src/*.py\nsandbox: maybe\nnetwork: \"no\"\nsandbox_fallback: 1\n");

    assertThat(problemLines())
        .containsExactly(
            "lightcone.yaml:1:7: error: [code] 'code' is a string \"src/*.py\"; write a list of"
                + " globs relative to the project root, e.g. [\"src/**/*.py\"]",
            "lightcone.yaml:2:10: error: [sandbox] 'sandbox' is a string \"maybe\"; write on,"
                + " strict or off",
            "lightcone.yaml:3:10: error: [network] 'network' is a string \"no\"; write true or"
                + " false",
            "lightcone.yaml:4:19: error: [sandbox_fallback] 'sandbox_fallback' is an integer 1;"
                + " write true or false");
    assertThat(c).isSameAs(LightconeConfig.defaults());
  }

  @Test
  void globsLeavingTheProject_areErrors() {
    parse("code:\n  - ../elsewhere/*.py\n  - /etc/*.conf\n  - src/../../x\n");

    assertThat(problemLines())
        .containsExactly(
            "lightcone.yaml:2:5: error: [code[0]] code glob '../elsewhere/*.py' leaves the project;"
                + " write it relative to the project root, without '..'",
            "lightcone.yaml:3:5: error: [code[1]] code glob '/etc/*.conf' leaves the project;"
                + " write it relative to the project root, without '..'",
            "lightcone.yaml:4:5: error: [code[2]] code glob 'src/../../x' leaves the project;"
                + " write it relative to the project root, without '..'");
  }

  @Test
  void globMatchingNothing_isAWarningNamingIt() throws IOException {
    write("src/a.py");

    LightconeConfig c = parse("code: [src/*.py, lib/*.R]\n");

    assertThat(problemLines())
        .containsExactly(
            "lightcone.yaml:1:18: warning: [code[1]] code glob 'lib/*.R' matches no file in the"
                + " project; fix the pattern or remove it");
    assertThat(c.codeFiles()).containsExactly("src/a.py");
  }

  @Test
  void notAMapping_andBadYaml_areErrors() {
    parse("- code\n");
    parse("code: [\n");

    assertThat(problems.all()).hasSize(2).allMatch(Problem::isError);
    assertThat(problemLines().get(0))
        .isEqualTo(
            "lightcone.yaml:1:1: error: [] lightcone.yaml is a list; write a mapping with the keys"
                + " code, sandbox, network, sandbox_fallback");
    assertThat(problems.all().get(1).file()).isEqualTo("lightcone.yaml");
  }

  @Test
  void projectLoad_reportsTheConfigsProblems() throws IOException {
    Files.writeString(project.resolve("lightcone.yaml"), "sandbox: sometimes\n");

    io.lightcone.ValidationReport report = ProjectLoader.load(project).report();

    assertThat(report.problems())
        .anyMatch(p -> p.file().equals("lightcone.yaml") && p.key().equals("sandbox"));
  }
}
