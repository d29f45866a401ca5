package io.lightcone.core.internal.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hidden files a failed strict recipe's log names, in the words tools use for ENOENT. */
class UndeclaredReadsTest {
  @TempDir Path dir;

  private List<String> find(String log, List<String> visible) throws IOException {
    Path file = dir.resolve("log");
    Files.writeString(file, log);
    return UndeclaredReads.find(file, dir.resolve("p"), visible);
  }

  @Test
  void namesHiddenProjectFiles_fromCShellPythonAndR_notVisibleOnesNorOutsiders()
      throws IOException {
    Path p = Files.createDirectories(dir.resolve("p"));
    for (String f :
        List.of("data/a.csv", "data/b.csv", "data/c.csv", "src/util.py", "src/run.py")) {
      Files.createDirectories(p.resolve(f).getParent());
      Files.writeString(p.resolve(f), "");
    }
    String log =
        """
        cat: data/a.csv: No such file or directory
        FileNotFoundError: [Errno 2] No such file or directory: 'data/b.csv'
        Error in file(file, "rt") : cannot open file '%s/data/c.csv': No such file or directory
        ModuleNotFoundError: No module named 'util'
        cat: data/absent.csv: No such file or directory
        cat: /etc/nothing: No such file or directory
        cat: results/u/up/x: No such file or directory
        """
            .formatted(p);
    assertThat(find(log, List.of("src/run.py", "results/u/up")))
        .containsExactly("data/a.csv", "data/b.csv", "data/c.csv", "src/util.py");
    assertThat(find("data/a.csv is fine\n", List.of())).as("no ENOENT words").isEmpty();
  }
}
