package io.lightcone.core.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which words of a rendered command are code files (docs/code-tracking.md). */
class CodeFileResolverTest {
  @TempDir Path project;
  private CodeFileResolver resolver;

  @BeforeEach
  void files() throws IOException {
    for (String f :
        List.of(
            "src/estimate.py",
            "src/my script.py",
            "analysis.R",
            "lib/a.R",
            "lib/sub/b.R",
            "data/readings.csv",
            "results/baseline/cleaned/cleaned.csv",
            ".venv/bin/python",
            "run.sh")) {
      Files.createDirectories(project.resolve(f).getParent());
      Files.writeString(project.resolve(f), f);
    }
    resolver = new CodeFileResolver(project, List.of());
  }

  private List<String> code(String command, String... excluded) {
    return resolver.resolve(command, List.of(excluded));
  }

  @Test
  void interpreterAndScript_theScriptIsCode() {
    assertThat(code("python3 src/estimate.py --out results/u/estimate"))
        .containsExactly("src/estimate.py");
    assertThat(code("Rscript analysis.R")).containsExactly("analysis.R");
    assertThat(code("./run.sh && sh ./run.sh")).containsExactly("run.sh");
  }

  @Test
  void quotedPaths_areOneWord() {
    assertThat(code("python3 'src/my script.py'")).containsExactly("src/my script.py");
    assertThat(code("python3 \"src/my script.py\"")).containsExactly("src/my script.py");
    assertThat(code("python3 src/my\\ script.py")).containsExactly("src/my script.py");
  }

  @Test
  void flagWithValue_theValueIsLookedUp() {
    assertThat(code("python3 -m tool --script=src/estimate.py --n=3"))
        .containsExactly("src/estimate.py");
  }

  @Test
  void directory_isOneEntryWithATrailingSlash() {
    assertThat(code("Rscript -e 'source(1)' lib")).containsExactly("lib/");
    assertThat(code("Rscript lib/")).containsExactly("lib/");
  }

  @Test
  void declaredInputsAndOutput_areNotCode() {
    assertThat(
            code(
                "python3 src/estimate.py --readings data/readings.csv --out out",
                "data/readings.csv",
                "out"))
        .containsExactly("src/estimate.py");
    assertThat(code("cat data/readings.csv lib/a.R", "data")).containsExactly("lib/a.R");
  }

  @Test
  void results_virtualenvs_missingFiles_theRootAndOutsideTheProject_areNotCode() {
    assertThat(
            code(
                "cat results/baseline/cleaned/cleaned.csv; .venv/bin/python src/gone.py . .. "
                    + "../x /etc/passwd https://example.org/src/estimate.py $HOME/x src/*.py"))
        .isEmpty();
  }

  @Test
  void shellOperators_andComments_separateWords() {
    assertThat(code("python3 src/estimate.py>log;cat<analysis.R|wc # lib/a.R"))
        .containsExactly("analysis.R", "src/estimate.py");
  }

  @Test
  void redirectionTargets_areWrittenNotRun_soNotCode() {
    assertThat(code("echo ran >> run.sh; python3 src/estimate.py > analysis.R 2>lib/a.R"))
        .containsExactly("src/estimate.py");
    assertThat(code("python3 src/estimate.py &>analysis.R < lib/a.R"))
        .containsExactly("lib/a.R", "src/estimate.py");
    assertThat(code("echo x >run.sh analysis.R")).containsExactly("analysis.R");
  }

  @Test
  void globbedFiles_belongToEveryTask_butNotWhenDeclaredAsInputs() {
    CodeFileResolver globs = new CodeFileResolver(project, List.of("lib/a.R", "lib/sub/b.R"));

    assertThat(globs.resolve("echo hi", List.of())).containsExactly("lib/a.R", "lib/sub/b.R");
    assertThat(globs.resolve("echo hi", List.of("lib/sub"))).containsExactly("lib/a.R");
  }

  @Test
  void words_likeTheShell() {
    assertThat(CodeFileResolver.words("a 'b c' \"d \\\" e\" f\\ g h=i;j"))
        .containsExactly("a", "b c", "d \" e", "f g", "h=i", "j");
  }
}
