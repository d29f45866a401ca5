package io.lightcone.core.internal.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.core.internal.hash.CodeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeFileMemoTest {
  @TempDir Path project;

  // Hashing "an hour from now": every file written by the test is older than the racy window.
  private final Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);
  private final AtomicInteger reads = new AtomicInteger();

  private String version(CodeFileMemo memo, String rel) throws IOException {
    return memo.version(
        project,
        rel,
        () -> {
          reads.incrementAndGet();
          return CodeFiles.version(project, rel);
        });
  }

  @Test
  void aCodeFileNamedByManyTasksIsReadOnce() throws IOException {
    Files.writeString(project.resolve("fit.py"), "print(1)\n");
    CodeFileMemo memo = CodeFileMemo.of(later);
    for (int task = 0; task < 5; task++) {
      assertThat(version(memo, "fit.py")).isEqualTo(CodeFiles.version(project, "fit.py"));
    }
    assertThat(reads).hasValue(1);
  }

  @Test
  void anEditBetweenTwoTasksIsSeenEvenWithTheSameSizeAndMtime() throws IOException {
    Path fit = project.resolve("fit.py");
    Files.writeString(fit, "print(1)\n");
    FileTime mtime = Files.getLastModifiedTime(fit);
    CodeFileMemo memo = CodeFileMemo.of(later);
    String first = version(memo, "fit.py");
    Files.writeString(fit, "print(2)\n"); // same size
    Files.setLastModifiedTime(fit, mtime); // and the old mtime back: ctime still moves
    String second = version(memo, "fit.py");
    assertThat(second).isNotEqualTo(first).isEqualTo(CodeFiles.version(project, "fit.py"));
    assertThat(reads).hasValue(2);
  }

  @Test
  void aFileReplacedByAnotherIsReadAgain() throws IOException {
    Path fit = project.resolve("fit.py");
    Files.writeString(fit, "print(1)\n");
    CodeFileMemo memo = CodeFileMemo.of(later);
    String first = version(memo, "fit.py");
    Path other = project.resolve("other.py");
    Files.writeString(other, "print(3)\n");
    Files.setLastModifiedTime(other, Files.getLastModifiedTime(fit));
    Files.move(other, fit, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(version(memo, "fit.py")).isNotEqualTo(first);
    assertThat(reads).hasValue(2);
  }

  @Test
  void aFileChangedJustBeforeHashingIsNeverKept() throws IOException {
    Files.writeString(project.resolve("fit.py"), "print(1)\n");
    CodeFileMemo memo = CodeFileMemo.of(Clock.systemUTC()); // within the racy window
    version(memo, "fit.py");
    version(memo, "fit.py");
    assertThat(reads).hasValue(2);
  }

  @Test
  void aCodeDirectoryIsReadAgainWhenAFileIsAddedToIt() throws IOException {
    Files.createDirectories(project.resolve("lib"));
    Files.writeString(project.resolve("lib/a.py"), "a\n");
    CodeFileMemo memo = CodeFileMemo.of(later);
    String first = version(memo, "lib/");
    assertThat(version(memo, "lib/")).isEqualTo(first);
    Files.writeString(project.resolve("lib/b.py"), "b\n");
    assertThat(version(memo, "lib/"))
        .isNotEqualTo(first)
        .isEqualTo(CodeFiles.version(project, "lib/"));
    assertThat(reads).hasValue(2);
  }

  @Test
  void aCodeFileGoneAfterItWasKeptIsGone() throws IOException {
    Files.writeString(project.resolve("fit.py"), "print(1)\n");
    CodeFileMemo memo = CodeFileMemo.of(later);
    version(memo, "fit.py");
    Files.delete(project.resolve("fit.py"));
    assertThatThrownBy(() -> version(memo, "fit.py")).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void noMemoReadsEveryTime() throws IOException {
    Files.writeString(project.resolve("fit.py"), "print(1)\n");
    CodeFileMemo memo = CodeFileMemo.none();
    version(memo, "fit.py");
    version(memo, "fit.py");
    assertThat(reads).hasValue(2);
  }
}
