package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lightcone.Execution;
import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.Plan;
import io.lightcone.ProjectLockedException;
import io.lightcone.event.ExecutionListener;
import io.lightcone.spi.ExecutionContext;
import io.lightcone.spi.Substrate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second execution of a project that is running is refused with a typed exception. */
class ProjectLockTest {
  @TempDir Path dir;

  @Test
  void start_whileAnotherExecutionRuns_throwsProjectLocked_namingLockAndPid() throws Exception {
    Files.writeString(
        dir.resolve("astra.yaml"),
        """
        id: tiny
        outputs:
          - id: answer
            type: data
            recipe:
              command: echo 42 > {output}/answer.txt
        """);
    Plan plan = Project.load(dir).plan();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Substrate blocking =
        new Substrate() {
          @Override
          public String name() {
            return "blocking";
          }

          @Override
          public ExecutionReport execute(ExecutionContext context) {
            started.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return new ExecutionReport(name(), List.of(), Duration.ZERO);
          }
        };
    Execution first = plan.start(blocking, ExecutionListener.NONE);
    try {
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

      ProjectLockedException e =
          catchThrowableOfType(
              () -> plan.start(blocking, ExecutionListener.NONE), ProjectLockedException.class);

      assertThat(e.lockFile()).isEqualTo(dir.toRealPath().resolve(".lightcone/lock"));
      assertThat(e.holderPid()).hasValue(ProcessHandle.current().pid());
      assertThat(e.kind()).isEqualTo(LightconeException.Kind.USER_INPUT);
      assertThat(e.getMessage())
          .contains(".lightcone/lock", "pid " + ProcessHandle.current().pid());
    } finally {
      release.countDown();
      first.await();
    }
  }
}
