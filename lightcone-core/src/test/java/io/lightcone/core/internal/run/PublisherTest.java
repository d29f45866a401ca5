package io.lightcone.core.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublisherTest {
  @TempDir Path dir;

  @Test
  void publish_replacesTheOutputWhole_andLeavesNothingBeside() throws IOException {
    Path out = dir.resolve("results/u/o");
    Path first = Publisher.stage(out, "here");
    Files.writeString(first.resolve("a"), "1");
    Publisher.publish(first, out);
    Path second = Publisher.stage(out, "here");
    Files.writeString(second.resolve("b"), "2");
    Publisher.publish(second, out);
    try (var s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("b");
    }
    try (var s = Files.list(out.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("o");
    }
  }

  @Test
  void recover_afterAKillBetweenTheTwoRenames_putsTheOldOutputBack() throws IOException {
    Path parent = Files.createDirectories(dir.resolve("results/u"));
    // Killed after the old output moved aside, before the new one moved in.
    Path old = Files.createDirectories(parent.resolve(".o.old-12345678"));
    Files.writeString(old.resolve("v"), "previous");
    Files.createDirectories(parent.resolve(".o.staging-abcdef12")).resolve("x");
    // Killed later for another output: the new one is in place, the old one left over.
    Files.createDirectories(parent.resolve("p"));
    Files.createDirectories(parent.resolve(".p.old-87654321"));
    Publisher.recover(List.of(parent.resolve("o"), parent.resolve("p")), "here");
    assertThat(Files.readString(parent.resolve("o/v"))).isEqualTo("previous");
    try (var s = Files.list(parent)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("o", "p");
    }
  }

  @Test
  void repairIfIdle_restoresALeftoverOld_butNeverWhileARunHoldsTheLock() throws IOException {
    Path parent = Files.createDirectories(dir.resolve("results/u"));
    Files.createDirectories(dir.resolve(".lightcone"));
    Files.createDirectories(parent.resolve(".o.old-12345678"));
    try (RunLock running = RunLock.acquire(dir)) {
      Publisher.repairIfIdle(dir, List.of(parent.resolve("o")), "here");
      assertThat(parent.resolve("o")).doesNotExist(); // a run may be between its renames
    }
    Publisher.repairIfIdle(dir, List.of(parent.resolve("o")), "here");
    assertThat(parent.resolve("o")).isDirectory();
  }

  @Test
  void recover_leavesTheStagingOfALiveTaskAlone_andRemovesTheDeadOnes() throws IOException {
    Path out = dir.resolve("results/u/o");
    Path live = Publisher.stage(out, "here"); // owned by this test's JVM, which is alive
    Path parent = out.getParent();
    // The same host, a process that is gone (pid 1 never started at that instant).
    Path dead = Files.createDirectories(parent.resolve(".o.staging-00000000@here@1@1"));
    // Another host: recent, so it may still be at work there; and one left for weeks.
    Path remote = Files.createDirectories(parent.resolve(".o.staging-11111111@node7@42@42"));
    Path abandoned = Files.createDirectories(parent.resolve(".o.staging-22222222@node7@43@43"));
    Files.setLastModifiedTime(
        abandoned,
        java.nio.file.attribute.FileTime.from(
            java.time.Instant.now().minus(java.time.Duration.ofDays(30))));
    Path legacy = Files.createDirectories(parent.resolve(".o.staging-abcdef12"));

    Publisher.recover(List.of(out), "here");

    assertThat(live).isDirectory();
    assertThat(remote).isDirectory();
    assertThat(dead).doesNotExist();
    assertThat(abandoned).doesNotExist();
    assertThat(legacy).doesNotExist();
  }
}
