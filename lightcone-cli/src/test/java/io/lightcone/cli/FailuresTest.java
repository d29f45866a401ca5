package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.LightconeException;
import io.lightcone.LightconeException.Kind;
import io.lightcone.ProjectLockedException;
import io.lightcone.ValidationReport;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailuresTest {
  @TempDir Path dir;

  private static Function<Path, ValidationReport> throwing(RuntimeException failure) {
    return path -> {
      throw failure;
    };
  }

  @ParameterizedTest
  @CsvSource({
    "USER_INPUT, 3",
    "ENVIRONMENT, 4",
    "INTEGRITY, 1",
    "INTERRUPTED, 130",
    "INTERNAL, 70"
  })
  void lightconeException_exitsWithTheCodeOfItsKind(Kind kind, int exitCode) {
    Lc.Result result =
        Lc.runWith(throwing(new LightconeException(kind, "what went wrong")), "validate", dir + "");

    assertThat(result.exitCode()).isEqualTo(exitCode);
    assertThat(result.err()).startsWith("lc: ").doesNotContain("\tat ");
  }

  @Test
  void environmentFailure_printsMessageOnly_exits4() {
    Lc.Result result =
        Lc.runWith(
            throwing(
                new LightconeException(
                    Kind.ENVIRONMENT, "cannot read /p/astra.yaml: permission denied")),
            "validate",
            dir.toString());

    assertThat(result.exitCode()).isEqualTo(4);
    assertThat(result.err()).isEqualTo("lc: cannot read /p/astra.yaml: permission denied\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void unexpectedException_saysInternalError_withoutStackTrace_exits70() {
    Lc.Result result =
        Lc.runWith(throwing(new IllegalStateException("boom")), "validate", dir.toString());

    assertThat(result.exitCode()).isEqualTo(70);
    assertThat(result.err())
        .isEqualTo("lc: internal error: boom (run with -v for the stack trace)\n");
  }

  @Test
  void unexpectedExceptionWithoutMessage_namesTheException() {
    Lc.Result result = Lc.runWith(throwing(new NullPointerException()), "validate", dir.toString());

    assertThat(result.exitCode()).isEqualTo(70);
    assertThat(result.err()).startsWith("lc: internal error: NullPointerException");
  }

  @Test
  void verboseAfterSubcommand_printsStackTrace() {
    Lc.Result result =
        Lc.runWith(throwing(new IllegalStateException("boom")), "validate", "-v", dir.toString());

    assertThat(result.exitCode()).isEqualTo(70);
    assertThat(result.err())
        .startsWith("lc: internal error: boom\n")
        .contains("java.lang.IllegalStateException: boom", "\tat ");
  }

  @Test
  void verboseBeforeSubcommand_printsStackTrace() {
    Lc.Result result =
        Lc.runWith(
            throwing(new LightconeException(Kind.ENVIRONMENT, "no snakemake on PATH")),
            "--verbose",
            "validate",
            dir.toString());

    assertThat(result.exitCode()).isEqualTo(4);
    assertThat(result.err()).startsWith("lc: no snakemake on PATH\n").contains("\tat ");
  }

  @Test
  void projectLocked_isAFailedRun_exits1() {
    Path lock = dir.resolve(".lightcone/lock");
    Lc.Result result =
        Lc.runWith(
            throwing(new ProjectLockedException(lock, OptionalLong.of(4242))),
            "validate",
            dir.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "lc: another run holds the project's lock "
                + lock
                + " (pid 4242); wait for it to finish or stop it\n");
  }

  @Test
  void interrupted_saysSo_exits130() {
    Lc.Result result =
        Lc.runWith(
            throwing(new LightconeException(Kind.INTERRUPTED, "cancelled")),
            "validate",
            dir.toString());

    assertThat(result.exitCode()).isEqualTo(130);
    assertThat(result.err()).isEqualTo("lc: interrupted\n");
  }

  @Test
  void error_isAnInternalError_withoutStackTrace_exits70() {
    Lc.Result result =
        Lc.runWith(
            path -> {
              throw new NoClassDefFoundError("io/lightcone/Missing");
            },
            "validate",
            dir.toString());

    assertThat(result.exitCode()).isEqualTo(70);
    assertThat(result.err())
        .isEqualTo("lc: internal error: io/lightcone/Missing (run with -v for the stack trace)\n");
  }
}
