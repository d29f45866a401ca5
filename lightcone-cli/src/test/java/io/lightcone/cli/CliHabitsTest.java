package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The habits every command shares: shell completion, {@code --json} (JSON Lines for {@code run}),
 * {@code --quiet}, colour on a terminal only, one-line usage errors.
 */
class CliHabitsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A terminal that allows colour (NO_COLOR unset). */
  private static final CliEnvironment COLOUR_TERMINAL =
      new CliEnvironment(true, 100, Interrupts.NONE, System::nanoTime, true);

  @TempDir Path dir;

  // --- completion -------------------------------------------------------------------------

  @Test
  void completionBash_worksInARealBash_completeP_andStTabOffersStatus() throws Exception {
    Lc.Result script = Lc.run("completion", "bash");
    assertThat(script.exitCode()).as(script.err()).isZero();
    Path file = Files.writeString(dir.resolve("lc-completion.bash"), script.out());

    String session =
        "source "
            + file
            + "\n"
            + "complete -p lc\n"
            + "f=$(complete -p lc | sed -E 's/.*-F ([^ ]+).*/\\1/')\n"
            + "COMP_WORDS=(lc st); COMP_CWORD=1; COMP_LINE='lc st'; COMP_POINT=${#COMP_LINE}\n"
            + "\"$f\" lc st lc\n"
            + "printf 'offer:%s\\n' \"${COMPREPLY[@]}\"\n"
            + "COMP_WORDS=(lc run --ke); COMP_CWORD=2; COMP_LINE='lc run --ke';"
            + " COMP_POINT=${#COMP_LINE}\n"
            + "\"$f\" lc --ke run\n"
            + "printf 'offer:%s\\n' \"${COMPREPLY[@]}\"\n";
    String out = bash(session);

    assertThat(out).containsPattern("(?m)^complete .*-F \\S+ lc$");
    assertThat(out.lines().filter(l -> l.startsWith("offer:")).toList())
        .contains("offer:status", "offer:--keep-going", "offer:--keep-failed")
        .doesNotContain("offer:run", "offer:validate");
  }

  @Test
  void completionZsh_isTheBashScriptThroughBashcompinit() {
    Lc.Result zsh = Lc.run("completion", "zsh");

    assertThat(zsh.exitCode()).isZero();
    assertThat(zsh.out()).contains("bashcompinit").isEqualTo(Lc.run("completion", "bash").out());
  }

  @Test
  void completionFish_isAOneLineUsageError_exit2() {
    Lc.Result fish = Lc.run("completion", "fish");

    assertThat(fish.exitCode()).isEqualTo(2);
    assertThat(fish.out()).isEmpty();
    assertThat(fish.err().lines().filter(l -> l.startsWith("lc: ")).toList())
        .containsExactly("lc: shell 'fish' has no completion script; lc completes in bash and zsh");
  }

  // --- --json -------------------------------------------------------------------------------

  @Test
  void runJson_printsOneEventPerLine_startAndEndOfEveryTask_thenASummary() throws Exception {
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));

    Lc.Result run = Lc.run("run", "--json", "-C", project.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> events = new ArrayList<>();
    for (String line : run.outLines()) {
      events.add(JSON.readTree(line)); // every line is one JSON object
    }
    assertThat(events.get(0).toString())
        .isEqualTo("{\"event\":\"plan\",\"tasks\":11,\"to_run\":11}");
    List<JsonNode> starts =
        events.stream().filter(e -> e.get("event").asText().equals("start")).toList();
    List<JsonNode> ends =
        events.stream().filter(e -> e.get("event").asText().equals("end")).toList();
    assertThat(starts).hasSize(11);
    assertThat(ends).hasSize(11);
    JsonNode fit =
        ends.stream()
            .filter(e -> e.get("task").asText().equals("baseline/pl_fit"))
            .findFirst()
            .orElseThrow();
    assertThat(fit.get("universe").asText()).isEqualTo("baseline");
    assertThat(fit.get("output").asText()).isEqualTo("pl_fit");
    assertThat(fit.get("outcome").asText()).isEqualTo("succeeded");
    assertThat(fit.get("seconds").isNumber()).isTrue();
    assertThat(fit.get("reason").isTextual()).isTrue();
    assertThat(fit.get("exit_code").asInt()).isZero();
    assertThat(fit.get("log").asText()).isEqualTo(".lightcone/logs/baseline/pl_fit.log");
    JsonNode zeroPoint =
        starts.stream()
            .filter(e -> e.get("task").asText().equals("baseline/calibration.zero_point"))
            .findFirst()
            .orElseThrow();
    assertThat(zeroPoint.get("output").asText()).isEqualTo("calibration.zero_point");
    assertThat(zeroPoint.get("attempt").asInt()).isEqualTo(1);
    // Each task ends after it started.
    for (JsonNode end : ends) {
      int endAt = events.indexOf(end);
      assertThat(
              events.subList(0, endAt).stream()
                  .anyMatch(
                      e ->
                          e.get("event").asText().equals("start")
                              && e.get("task").equals(end.get("task"))))
          .as(end.toString())
          .isTrue();
    }
    JsonNode summary = events.get(events.size() - 1);
    assertThat(summary.get("event").asText()).isEqualTo("summary");
    assertThat(summary.get("tasks").asInt()).isEqualTo(11);
    assertThat(summary.get("counts").toString()).isEqualTo("{\"succeeded\":11}");
    assertThat(summary.get("failed").size()).isZero();
    assertThat(summary.get("interrupted").asBoolean()).isFalse();

    Lc.Result again = Lc.run("run", "--json", "-C", project.toString());
    JsonNode last = JSON.readTree(again.outLines().get(again.outLines().size() - 1));
    assertThat(last.get("counts").toString()).isEqualTo("{\"up-to-date\":11}");
  }

  @Test
  void runJson_aFailure_isAnEndEventWithItsReason_andInTheSummary_exit1() throws Exception {
    Path project = TestProjects.oneTaskProject(dir.resolve("fail"), "echo boom >&2; exit 3");

    Lc.Result run = Lc.runIn(COLOUR_TERMINAL, "run", "--json", "-C", project.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).doesNotContain("\u001b[").doesNotContain("\r");
    List<JsonNode> events = new ArrayList<>();
    for (String line : run.outLines()) {
      events.add(JSON.readTree(line));
    }
    JsonNode end = events.get(events.size() - 2);
    assertThat(end.get("event").asText()).isEqualTo("end");
    assertThat(end.get("outcome").asText()).isEqualTo("failed");
    assertThat(end.get("exit_code").asInt()).isEqualTo(3);
    assertThat(end.get("reason").asText()).contains("exit code 3");
    JsonNode summary = events.get(events.size() - 1);
    assertThat(summary.get("failed").get(0).get("task").asText()).isEqualTo("only/answer");
  }

  @Test
  void planJsonWithDot_isAOneLineUsageError_exit2() {
    Path project = TestProjects.oneTaskProject(dir.resolve("p"), "true");

    Lc.Result both = Lc.run("plan", "--json", "--dot", "-C", project.toString());

    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.out()).isEmpty();
    assertThat(both.err().lines().filter(l -> l.startsWith("lc: ")).toList())
        .singleElement()
        .asString()
        .contains("--json", "--dot");
  }

  @Test
  void explainJson_hasTheVerdictReasonsAndEveryRow() throws Exception {
    Path project = TestProjects.oneTaskProject(dir.resolve("x"), "echo 1 > {output}/one.txt");

    Lc.Result explain = Lc.run("explain", "answer", "--json", "-C", project.toString());

    assertThat(explain.exitCode()).as(explain.err()).isZero();
    JsonNode e = JSON.readTree(explain.out());
    assertThat(e.get("task").asText()).isEqualTo("only/answer");
    assertThat(e.get("universe").asText()).isEqualTo("only");
    assertThat(e.get("output").asText()).isEqualTo("answer");
    assertThat(e.get("output_dir").asText()).isEqualTo("results/only/answer");
    assertThat(e.get("verdict").asText()).isEqualTo("missing");
    assertThat(e.get("reasons").isArray()).isTrue();
    assertThat(e.get("code").get(0).get("name").asText()).isEqualTo("code_version");
    assertThat(e.get("code").get(0).has("then")).isTrue();
    assertThat(e.get("code").get(0).has("changed")).isTrue();
    assertThat(e.get("inputs").isArray()).isTrue();
  }

  @Test
  void buildJson_withoutContainers_isAnEmptyList() throws Exception {
    Path project = TestProjects.oneTaskProject(dir.resolve("b"), "true");

    Lc.Result build = Lc.run("build", "--json", "-C", project.toString());

    assertThat(build.exitCode()).as(build.err()).isZero();
    JsonNode b = JSON.readTree(build.out());
    assertThat(b.get("images").size()).isZero();
    assertThat(b.get("counts").size()).isZero();
  }

  @Test
  void exportJson_archiveListsItsEntries_andTheCrateItsCounts() throws Exception {
    Path project = TestProjects.oneTaskProject(dir.resolve("e"), "echo 1 > {output}/one.txt");
    assertThat(Lc.run("run", "-C", project.toString()).exitCode()).isZero();

    Path archive = dir.resolve("e.tar.zst");
    Lc.Result tar =
        Lc.run("export", "archive", "--json", "-C", project.toString(), "-o", archive.toString());
    assertThat(tar.exitCode()).as(tar.err()).isZero();
    JsonNode a = JSON.readTree(tar.out());
    assertThat(a.get("archive").asText()).isEqualTo(archive.toString());
    List<String> entries = new ArrayList<>();
    a.get("entries").forEach(n -> entries.add(n.asText()));
    assertThat(entries).contains("astra.yaml", "results/only/answer/one.txt");

    Path crate = dir.resolve("crate");
    Lc.Result ro =
        Lc.run("export", "wrroc", "--json", "-C", project.toString(), "-o", crate.toString());
    assertThat(ro.exitCode()).as(ro.err()).isZero();
    JsonNode c = JSON.readTree(ro.out());
    assertThat(c.get("crate").asText()).isEqualTo(crate.toString());
    assertThat(c.get("zip").asBoolean()).isFalse();
    assertThat(c.get("task_runs").asInt()).isEqualTo(1);
    assertThat(c.get("files").asInt()).isPositive();
    assertThat(c.get("bytes").asLong()).isPositive();
    assertThat(c.get("left_out").size()).isZero();
  }

  @Test
  void cacheVerifyJson_listsNoDamagedBlob_forASoundCache() throws Exception {
    Path project = TestProjects.oneTaskProject(dir.resolve("cv"), "echo 1 > {output}/one.txt");
    assertThat(Lc.run("run", "-C", project.toString()).exitCode()).isZero();

    Lc.Result verify = Lc.run("cache", "verify", "--json", "-C", project.toString());

    assertThat(verify.exitCode()).as(verify.err()).isZero();
    JsonNode v = JSON.readTree(verify.out());
    assertThat(v.get("directory").asText()).endsWith(".lightcone/cache");
    assertThat(v.get("damaged").isArray()).isTrue();
    assertThat(v.get("damaged").size()).isZero();
  }

  // --- --quiet ------------------------------------------------------------------------------

  @Test
  void quietRun_printsOnlyTheSummary_andOnAFailureTheFailedLine() {
    Path ok = TestProjects.oneTaskProject(dir.resolve("q"), "echo 1 > {output}/one.txt");

    Lc.Result run = Lc.run("run", "-q", "-C", ok.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines()).singleElement().asString().matches("1 task: 1 succeeded in \\S+");

    Path bad = TestProjects.oneTaskProject(dir.resolve("qf"), "echo boom >&2; exit 1");
    Lc.Result failed = Lc.run("--quiet", "run", "-C", bad.toString());

    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.outLines()).hasSize(2);
    assertThat(failed.outLines().get(0)).startsWith("1 task: 1 failed in ");
    assertThat(failed.outLines().get(1)).startsWith("failed: only/answer: exit code 1");
    assertThat(failed.out()).doesNotContain("boom");
  }

  @Test
  void quiet_onOtherCommands_keepsTheLastLine_andValidateErrors_butNeverCutsJson() {
    Path project = TestProjects.oneTaskProject(dir.resolve("qs"), "true");

    Lc.Result status = Lc.run("status", "--quiet", "-C", project.toString());
    assertThat(status.exitCode()).isZero();
    assertThat(status.outLines()).containsExactly("1 outputs: 1 missing");

    Lc.Result json = Lc.run("status", "--quiet", "--json", "-C", project.toString());
    assertThat(json.out()).isEqualTo(Lc.run("status", "--json", "-C", project.toString()).out());

    Path invalid = TestProjects.invalidProject(dir.resolve("bad"));
    Lc.Result validate = Lc.run("-q", "validate", invalid.toString());
    Lc.Result loud = Lc.run("validate", invalid.toString());
    assertThat(validate.exitCode()).isEqualTo(3);
    List<String> errors = loud.outLines().stream().filter(l -> l.contains(": error: ")).toList();
    assertThat(errors).isNotEmpty();
    assertThat(validate.outLines())
        .containsAll(errors)
        .endsWith(loud.outLines().get(loud.outLines().size() - 1))
        .noneMatch(l -> l.contains(": warning: "));
  }

  // --- colour -------------------------------------------------------------------------------

  @Test
  void colour_onATerminalOnly_offWithNoColorOrTheOption() {
    Path project = TestProjects.oneTaskProject(dir.resolve("c"), "echo 1 > {output}/one.txt");

    Lc.Result coloured = Lc.runIn(COLOUR_TERMINAL, "run", "-C", project.toString());
    assertThat(coloured.exitCode()).isZero();
    assertThat(coloured.out()).contains("[1/1] \u001b[32mok\u001b[0m only/answer ");

    Path again = TestProjects.oneTaskProject(dir.resolve("c2"), "echo 1 > {output}/one.txt");
    Lc.Result optedOut = Lc.runIn(COLOUR_TERMINAL, "--no-color", "run", "-C", again.toString());
    assertThat(optedOut.out()).contains("[1/1] ok only/answer ").doesNotContain("\u001b[");

    Path piped = TestProjects.oneTaskProject(dir.resolve("c3"), "exit 1");
    Lc.Result plain = Lc.run("run", "-C", piped.toString());
    assertThat(plain.out()).contains("failed only/answer").doesNotContain("\u001b[");

    // What the process's environment decides: a terminal, and NO_COLOR unset (any value counts).
    assertThat(CliEnvironment.colour(true, null)).isTrue();
    assertThat(CliEnvironment.colour(true, "")).isFalse();
    assertThat(CliEnvironment.colour(true, "1")).isFalse();
    assertThat(CliEnvironment.colour(false, null)).isFalse();
  }

  @Test
  void picocliHelp_hasNoColour_withNoColorSet_orWithTheOption() {
    CliEnvironment noColor =
        new CliEnvironment(true, 100, Interrupts.NONE, System::nanoTime, false);
    assertThat(Cli.create(noColor, CommandLine.defaultFactory()).getColorScheme().ansi())
        .isEqualTo(CommandLine.Help.Ansi.OFF);

    CommandLine coloured = Cli.create(COLOUR_TERMINAL, CommandLine.defaultFactory());
    assertThat(coloured.getColorScheme().ansi()).isEqualTo(CommandLine.Help.Ansi.AUTO);
    coloured.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
    assertThat(coloured.execute("--no-color", "completion", "--help")).isZero();
    assertThat(coloured.getSubcommands().get("completion").getColorScheme().ansi())
        .isEqualTo(CommandLine.Help.Ansi.OFF);
  }

  @Test
  void help_listsCompletionQuietAndNoColor_andTheSigtermExitCode() {
    Lc.Result help = Lc.run("--help");

    assertThat(help.out())
        .contains("completion", "--quiet", "--no-color")
        .containsPattern("(?m)^ +143 +Terminated by SIGTERM");
    assertThat(Lc.run("run", "--help").out()).contains("--json", "--quiet", "--no-color");
  }

  private String bash(String script) throws Exception {
    Path out = dir.resolve("bash.out");
    Process bash =
        new ProcessBuilder("bash", "--norc", "--noprofile", "-c", script)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String printed = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(bash.exitValue()).as(printed).isZero();
    return printed;
  }
}
