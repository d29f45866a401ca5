package io.lightcone.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code samples/period-luminosity.ipynb} executed headlessly by Jupyter's own {@code nbconvert}
 * with the rapaio Java kernel, the Lightcone jars added by the kernel's {@code %%jars} magic. A
 * missing Jupyter fails the test: CI installs it ({@code .ci/run}).
 */
class PeriodLuminosityNotebookIT {
  private static final Path NOTEBOOK = Path.of("period-luminosity.ipynb").toAbsolutePath();

  /** Where maven-dependency-plugin copied the kernel jar (pre-integration-test). */
  private static final Path KERNEL_JARS = Path.of("target/jupyter-kernel").toAbsolutePath();

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** This module's test class path as jars: the built Lightcone modules and their dependencies. */
  private static List<String> jars() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry)))
        .filter(entry -> !entry.contains("surefire") && !entry.contains("failsafe"))
        .toList();
  }

  private Path kernelspec() throws Exception {
    Path kernelJar;
    try (Stream<Path> files = Files.list(KERNEL_JARS)) {
      kernelJar =
          files
              .filter(f -> f.getFileName().toString().startsWith("rapaio-jupyter-kernel-"))
              .findFirst()
              .orElseThrow();
    }
    Path jupyterPath = dir.resolve("jupyter");
    Path spec = Files.createDirectories(jupyterPath.resolve("kernels/lightcone-java"));
    Files.copy(kernelJar, spec.resolve(kernelJar.getFileName()));
    ObjectNode kernel = JSON.createObjectNode();
    kernel
        .putArray("argv")
        .add("java")
        .add("-jar")
        .add("{resource_dir}/" + kernelJar.getFileName())
        .add("{connection_file}");
    kernel.put("display_name", "Java (Lightcone, rapaio)");
    kernel.put("language", "java");
    kernel.put("interrupt_mode", "message");
    // Without RJK_TIMEOUT_MILLIS the kernel never answers kernel_info (notes/build.md).
    kernel.putObject("env").put("RJK_TIMEOUT_MILLIS", "-1").put("RJK_COMPILER_OPTIONS", "");
    JSON.writerWithDefaultPrettyPrinter().writeValue(spec.resolve("kernel.json").toFile(), kernel);
    return jupyterPath;
  }

  /** The notebook with its classpath cell pointing at the jars under test. */
  private Path notebookWithTheseJars() throws Exception {
    ObjectNode nb = (ObjectNode) JSON.readTree(NOTEBOOK.toFile());
    boolean replaced = false;
    for (JsonNode cell : nb.get("cells")) {
      if (cell.path("metadata").path("tags").toString().contains("\"classpath\"")) {
        ((ObjectNode) cell).put("source", "%%jars\n" + String.join("\n", jars()));
        replaced = true;
      }
    }
    assertThat(replaced).as("the notebook has a cell tagged 'classpath'").isTrue();
    Path copy = dir.resolve("nb/period-luminosity.ipynb");
    Files.createDirectories(copy.getParent());
    JSON.writeValue(copy.toFile(), nb);
    return copy;
  }

  /** How many times the kernel may be started before a start that never answers fails the test. */
  private static final int KERNEL_STARTS = 3;

  @Test
  void notebook_runsEveryCellInJupyter_andShowsPlanRunStaleReasons_andResultsAsHtml()
      throws Exception {
    Path project = SampleCopy.into(dir);
    Path jupyterPath = kernelspec();
    Path notebook = notebookWithTheseJars();
    Path executed = notebook.resolveSibling("executed.ipynb");
    Path log = dir.resolve("nbconvert.log");

    ProcessBuilder nbconvert =
        new ProcessBuilder(
                "jupyter-nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--ExecutePreprocessor.timeout=120",
                "--ExecutePreprocessor.startup_timeout=60",
                notebook.toString(),
                "--output",
                executed.getFileName().toString())
            .directory(notebook.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = nbconvert.environment();
    env.put("JUPYTER_PATH", jupyterPath.toString());
    env.put("JUPYTER_RUNTIME_DIR", dir.resolve("runtime").toString());
    env.put("JUPYTER_DATA_DIR", dir.resolve("data").toString());
    env.put("LIGHTCONE_PROJECT", project.toString());
    String nbLog = run(nbconvert, log);
    // Seen in about 1 of 4 starts here: the rapaio kernel binds its ports but Jupyter never gets
    // the reply to its one kernel_info request (cause not found yet; jupyter_client 7.4 does not
    // ask twice). Nothing ran, so another start is safe; the third failure in a row fails the test.
    for (int start = 2;
        start <= KERNEL_STARTS && nbLog.contains("Kernel didn't respond in");
        start++) {
      nbLog = run(nbconvert, log);
    }
    assertThat(nbLog).doesNotContain("Kernel didn't respond in");

    List<String> printed = new ArrayList<>();
    List<String> html = new ArrayList<>();
    for (JsonNode cell : JSON.readTree(executed.toFile()).get("cells")) {
      boolean magic = cell.path("metadata").path("tags").toString().contains("\"classpath\"");
      for (JsonNode output : cell.path("outputs")) {
        assertThat(output.path("output_type").asText()).as(output.toString()).isNotEqualTo("error");
        JsonNode rich = output.path("data").path("text/html");
        if (!rich.isMissingNode()) {
          html.add(rich.isArray() ? join((ArrayNode) rich) : rich.asText());
        }

        JsonNode text =
            output.has("text") ? output.get("text") : output.path("data").path("text/plain");
        if (!magic) { // the kernel colours its own magic's messages; Lightcone's lines are plain
          printed.add(text.isArray() ? join((ArrayNode) text) : text.asText());
        }
      }
    }
    String all = String.join("\n", printed);
    assertThat(all)
        .contains("Project period_luminosity (Cepheid period-luminosity relation")
        .contains("11 tasks in 2 universe(s): 11 to run")
        .contains("11 tasks, 11 to run")
        .contains("11 outputs: 11 ok")
        .contains(
            "baseline       pl_fit                  stale   code changed: decisions (fit_method:"
                + " ols → theil_sen)")
        .contains("verdict: stale")
        .containsPattern("\\[\\d+/11] ok baseline/distance \\d+\\.\\ds")
        .doesNotContain("\u001b[");
    // The results tables reach the notebook as HTML through the kernel's display, not as text.
    assertThat(html).as("text/html outputs: two tables and the curve").hasSize(3);
    assertThat(html.get(0))
        .startsWith("<div class=\"lightcone\">")
        .contains("<td>robust_v_band</td><td>theil_sen</td><td>v_band</td><td>uncorrected</td>")
        .doesNotContain("<td>baseline</td>")
        .contains("baseline  stale: distance: upstream stale: pl_fit");
    assertThat(html.get(1))
        .contains(
            "<th>UNIVERSE</th><th>fit_method</th><th>magnitude</th>"
                + "<th>calibration.parallax_offset</th><th>distance.distance_modulus</th>"
                + "<th>distance.distance_kpc</th>")
        .contains(
            "<tr><td>baseline</td><td>ols</td><td>wesenheit</td><td>lindegren2021</td>"
                + "<td>18.4294</td>")
        .contains("2 universe(s): 2 ok")
        .contains("fit_method moves the median by 0.304");
    // The specification curve reaches it as inline SVG: one point per universe, read as XML.
    assertThat(html.get(2)).startsWith("<svg");
    org.w3c.dom.Document curve =
        javax.xml.parsers.DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new org.xml.sax.InputSource(new java.io.StringReader(html.get(2))));
    org.w3c.dom.NodeList groups = curve.getElementsByTagName("g");
    int points = -1;
    for (int i = 0; i < groups.getLength(); i++) {
      org.w3c.dom.Element g = (org.w3c.dom.Element) groups.item(i);
      if (g.getAttribute("id").equals("notebook-curve-points")) {
        points = 0;
        for (String shape : new String[] {"ellipse", "path", "circle"}) {
          points += g.getElementsByTagName(shape).getLength();
        }
      }
    }
    assertThat(points).as("points of the curve").isEqualTo(2);
    assertThat(all).as("no results table as text").doesNotContain("distance.distance_modulus");
  }

  /** Runs nbconvert to completion; its exit code must be 0. Returns its log. */
  private static String run(ProcessBuilder nbconvert, Path log) throws Exception {
    Process process;
    try {
      process = nbconvert.start();
    } catch (java.io.IOException e) {
      throw new AssertionError(
          "jupyter-nbconvert is not installed; apt-get install --no-install-recommends"
              + " jupyter-core jupyter-client python3-nbclient jupyter-nbconvert"
              + " python3-nbconvert python3-ipykernel",
          e);
    }
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("nbconvert finished in 3 min").isTrue();
    String nbLog = Files.readString(log);
    if (!nbLog.contains("Kernel didn't respond in")) {
      assertThat(process.exitValue()).as(tail(nbLog)).isZero();
    }
    return nbLog;
  }

  private static String join(ArrayNode lines) {
    StringBuilder b = new StringBuilder();
    lines.forEach(l -> b.append(l.asText()));
    return b.toString();
  }

  private static String tail(String log) {
    return log.substring(Math.max(0, log.length() - 4000));
  }
}
