package io.lightcone.core.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import io.lightcone.TaskInput;
import io.lightcone.core.internal.fuzz.Fuzz;
import io.lightcone.core.internal.project.Placeholders;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The placeholder scanner and renderer against mutated templates and hostile values: scanning never
 * throws, and a rendered value reaches the shell as exactly one word holding the value.
 */
class RendererFuzzTest {
  private static final List<String> TOKENS =
      List.of(
          "{",
          "}",
          "{{",
          "}}",
          "{output}",
          "{inputs}",
          "{inputs.x}",
          "{decisions.m}",
          "{ output }",
          "{nope}",
          "$(",
          "`",
          "'",
          "\"",
          "\\",
          ";",
          "&&",
          "|",
          "\n",
          " ",
          "\u00e9",
          "\u0000");

  private static final List<TaskInput> INPUTS =
      List.of(TaskInput.builder().id("x").path("data/it's here.csv").isOutput(false).build());

  @Test
  void mutatedTemplates_scanWithoutThrowing_andValidOnesRender() {
    List<byte[]> corpus = new ArrayList<>();
    for (String line :
        new String(Fuzz.corpus("template", "templates.txt").get(0), StandardCharsets.UTF_8)
            .split("\n")) {
      corpus.add(line.getBytes(StandardCharsets.UTF_8));
    }
    Fuzz fuzz = new Fuzz("placeholder renderer");
    String stderr =
        Fuzz.stderrOf(
            () ->
                assertTimeoutPreemptively(
                    Duration.ofSeconds(120), // a hang guard only
                    () ->
                        qt().withFixedSeed(Fuzz.SEED)
                            .withExamples(Fuzz.EXAMPLES)
                            .forAll(Fuzz.mutations(corpus, TOKENS))
                            .checkAssert(
                                bytes -> {
                                  String template = new String(bytes, StandardCharsets.UTF_8);
                                  List<Placeholders.Token> tokens = Placeholders.scan(template);
                                  boolean renderable =
                                      tokens.stream()
                                          .allMatch(
                                              t ->
                                                  t.kind() == Placeholders.Kind.TEXT
                                                      || (t.kind() == Placeholders.Kind.PLACEHOLDER
                                                          && List.of(
                                                                  "output",
                                                                  "inputs",
                                                                  "inputs.x",
                                                                  "decisions.m")
                                                              .contains(t.name())));
                                  if (renderable) {
                                    Renderer.render(
                                        tokens, "results/u/o", INPUTS, Map.of("m", "a b"));
                                  }
                                  fuzz.tried(
                                      renderable
                                          ? "rendered"
                                          : tokens.stream()
                                              .map(t -> t.kind().name())
                                              .filter(k -> !k.equals("TEXT"))
                                              .distinct()
                                              .sorted()
                                              .toList()
                                              .toString());
                                })));
    assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception");
    System.out.println(fuzz.totals());
    assertThat(fuzz.count()).isGreaterThan(Fuzz.EXAMPLES / 2);
  }

  @Test
  void anyDecisionValue_reachesTheShellAsOneWordHoldingIt() throws Exception {
    // One shell for all values: each rendered {decisions.m} must print back byte for byte.
    List<String> values = new ArrayList<>();
    qt().withFixedSeed(Fuzz.SEED)
        .withExamples(500)
        .forAll(strings().allPossible().ofLengthBetween(0, 40))
        .checkAssert(
            v -> {
              // A shell argument cannot hold NUL; Java's process API cannot pass lone surrogates.
              String clean = v.replace('\0', ' ').replaceAll("[\\ud800-\\udfff]", "?");
              values.add(clean);
            });
    StringBuilder script = new StringBuilder();
    for (String v : values) {
      script
          .append(Renderer.render("printf '%s\\0' {decisions.m}", "o", INPUTS, Map.of("m", v)))
          .append('\n');
    }
    Process sh = new ProcessBuilder("/bin/sh", "-c", script.toString()).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sh.getInputStream().transferTo(out);
    assertThat(sh.waitFor()).isZero();
    String[] printed = out.toString(StandardCharsets.UTF_8).split("\0", -1);
    assertThat(printed).hasSize(values.size() + 1);
    for (int i = 0; i < values.size(); i++) {
      assertThat(printed[i]).as("value %d", i).isEqualTo(values.get(i));
    }
    System.out.println("fuzz shell quoting: " + values.size() + " inputs tried, 0 failures");
  }
}
