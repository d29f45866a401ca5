package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LcCommandTest {

  @Test
  void version_printsLcVersion_exits0() {
    Lc.Result result = Lc.run("--version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("lc ").doesNotContain("unknown");
  }

  @Test
  void help_listsEveryExitCode() {
    Lc.Result result = Lc.run("--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Exit codes:");
    for (String command :
        new String[] {"init", "validate", "plan", "run", "build", "status", "verify", "explain"}) {
      assertThat(result.out()).containsPattern("(?m)^  " + command + " +\\S");
    }
    for (ExitCode code : ExitCode.values()) {
      assertThat(result.out()).containsPattern("(?m)^ +" + code.code + " +\\S");
    }
  }

  @Test
  void subcommandHelp_listsExitCodes() {
    Lc.Result result = Lc.run("validate", "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Usage: lc validate", "Exit codes:", "130");
  }

  @Test
  void noSubcommand_exits2() {
    Lc.Result result = Lc.run();

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("lc: ", "Try 'lc --help'");
  }

  @Test
  void unknownSubcommand_exits2_andSuggests() {
    Lc.Result result = Lc.run("valdate");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("'valdate'", "lc validate");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void unknownOption_exits2_andNamesIt() {
    Lc.Result result = Lc.run("validate", "--jsn");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--jsn", "Try 'lc validate --help'");
  }

  @Test
  void exitCodes_followDesign() {
    assertThat(ExitCode.OK.code).isZero();
    assertThat(ExitCode.FAILED.code).isEqualTo(1);
    assertThat(ExitCode.USAGE.code).isEqualTo(2);
    assertThat(ExitCode.INVALID.code).isEqualTo(3);
    assertThat(ExitCode.ENVIRONMENT.code).isEqualTo(4);
    assertThat(ExitCode.INTERNAL.code).isEqualTo(70);
    assertThat(ExitCode.INTERRUPTED.code).isEqualTo(130);
  }
}
