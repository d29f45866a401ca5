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
    Path first = Publisher.stage(out);
    Files.writeString(first.resolve("a"), "1");
    Publisher.publish(first, out);
    Path second = Publisher.stage(out);
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
    Publisher.recover(List.of(parent.resolve("o"), parent.resolve("p")));
    assertThat(Files.readString(parent.resolve("o/v"))).isEqualTo("previous");
    try (var s = Files.list(parent)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("o", "p");
    }
  }
}
