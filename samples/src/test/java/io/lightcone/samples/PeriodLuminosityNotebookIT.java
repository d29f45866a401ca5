package io.lightcone.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * with the rapaio Java kernel, Lightcone loaded by its Maven coordinates (the kernel's {@code
 * %dependency}) from the repository this build installed it into. A missing Jupyter fails the test:
 * CI installs it ({@code .ci/run}).
 */
class PeriodLuminosityNotebookIT {
  private static final Path NOTEBOOK = Path.of("period-luminosity.ipynb").toAbsolutePath();

  /** Where maven-dependency-plugin copied the kernel jar (pre-integration-test). */
  private static final Path KERNEL_JARS = Path.of("target/jupyter-kernel").toAbsolutePath();

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

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

  /**
   * Where maven-invoker-plugin installed lightcone-core, its dependencies and parent POMs
   * (pre-integration-test): what {@code mvn install} puts into {@code ~/.m2/repository}.
   */
  private static final Path REPOSITORY = Path.of("target/maven-repository").toAbsolutePath();

  /**
   * A copy of the notebook as it is, whose classpath cell loads Lightcone by its Maven coordinates
   * (the kernel's {@code %dependency}), never a jar path.
   */
  private Path notebookCopy() throws Exception {
    JsonNode nb = JSON.readTree(NOTEBOOK.toFile());
    String classpath = "";
    for (JsonNode cell : nb.get("cells")) {
      if (cell.path("metadata").path("tags").toString().contains("\"classpath\"")) {
        classpath = cell.get("source").asText();
      }
    }
    assertThat(classpath)
        .as("the notebook's cell tagged 'classpath'")
        .contains("%dependency /resolve")
        .doesNotContain("%jar");
    java.util.regex.Matcher coordinates =
        java.util.regex.Pattern.compile("%dependency /add io\\.lightcone:lightcone-core:(\\S+)")
            .matcher(classpath);
    assertThat(coordinates.find()).as(classpath).isTrue();
    // The version the notebook names is the one this build made.
    assertThat(REPOSITORY.resolve("io/lightcone/lightcone-core/" + coordinates.group(1)))
        .isDirectory();
    Path copy = dir.resolve("nb/period-luminosity.ipynb");
    Files.createDirectories(copy.getParent());
    Files.copy(NOTEBOOK, copy);
    return copy;
  }

  /** How many times the kernel may be started before a start that never answers fails the test. */
  private static final int KERNEL_STARTS = 3;

  @Test
  void notebook_runsEveryCellInJupyter_andShowsPlanRunStaleReasons_andResultsAsHtml()
      throws Exception {
    Path project = SampleCopy.into(dir);
    Path jupyterPath = kernelspec();
    Path notebook = notebookCopy();
    Path executed = notebook.resolveSibling("executed.ipynb");
    Path log = dir.resolve("nbconvert.log");

    execute(notebook, executed, log, jupyterPath, project, false);

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
        .contains("11 tasks, 11 to run")
        .containsPattern("\\[\\d+/11] ok baseline/distance \\d+\\.\\ds")
        .doesNotContain("\u001b[");
    // Every report reaches the notebook as HTML through the kernel's display, none as text: the
    // plan, the universes, the run, the status (fresh, then flipped), an explanation, two results
    // tables and the specification curve.
    assertThat(html).as("text/html outputs").hasSize(9);
    for (String table : html.subList(0, 8)) {
      assertThat(table).startsWith("<div class=\"lightcone\">").contains("</table>");
    }
    assertThat(html.get(0))
        .contains("<th>TASK</th><th>ACTION</th><th>REASONS</th>")
        .contains("<tr><td>baseline/pl_fit</td><td>run</td><td>missing</td></tr>")
        .contains("11 tasks in 2 universe(s): 11 to run");
    assertThat(html.get(1)).contains("<td>robust_v_band</td><td>theil_sen</td>");
    assertThat(html.get(2)).contains("baseline/distance").contains("class=\"lc-time\"");
    assertThat(html.get(3)).contains("11 outputs: 11 ok");
    assertThat(html.get(4))
        .contains(
            "<tr><td>baseline</td><td>pl_fit</td><td>stale</td>"
                + "<td>code changed: decisions (fit_method: ols → theil_sen)</td></tr>");
    assertThat(html.get(5)).contains("verdict: stale");
    assertThat(all).as("no report as text").doesNotContain("UNIVERSE ", "TASK ", "verdict:");
    assertThat(html.get(6))
        .startsWith("<div class=\"lightcone\">")
        .contains("<td>robust_v_band</td><td>theil_sen</td><td>v_band</td><td>uncorrected</td>")
        .doesNotContain("<td>baseline</td>")
        .contains("baseline  stale: distance: upstream stale: pl_fit");
    assertThat(html.get(7))
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
    assertThat(html.get(8)).startsWith("<svg");
    org.w3c.dom.Document curve =
        javax.xml.parsers.DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new org.xml.sax.InputSource(new java.io.StringReader(html.get(8))));
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

  /**
   * Runs {@code notebook} in nbconvert into {@code executed}, starting the kernel again when it
   * never answered; with {@code allowErrors}, a failing cell does not stop the run.
   */
  private void execute(
      Path notebook, Path executed, Path log, Path jupyterPath, Path project, boolean allowErrors)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "jupyter-nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--ExecutePreprocessor.timeout=120",
                "--ExecutePreprocessor.startup_timeout=60"));
    if (allowErrors) {
      command.add("--allow-errors");
    }
    command.addAll(List.of(notebook.toString(), "--output", executed.getFileName().toString()));
    ProcessBuilder nbconvert =
        new ProcessBuilder(command)
            .directory(notebook.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = nbconvert.environment();
    env.put("JUPYTER_PATH", jupyterPath.toString());
    env.put("JUPYTER_RUNTIME_DIR", dir.resolve("runtime").toString());
    env.put("JUPYTER_DATA_DIR", dir.resolve("data").toString());
    env.put("LIGHTCONE_PROJECT", project.toString());
    env.put("LIGHTCONE_MAVEN_REPOSITORY", REPOSITORY.toString());
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
  }

  @Test
  void aVersionThatIsNotInstalled_isOneLineOnStderr_namingIt() throws Exception {
    Path project = SampleCopy.into(dir);
    Path jupyterPath = kernelspec();
    ObjectNode nb = (ObjectNode) JSON.readTree(NOTEBOOK.toFile());
    ArrayNode cells = nb.putArray("cells");
    ObjectNode cell = cells.addObject();
    cell.put("cell_type", "code").put("id", "missing-version").putNull("execution_count");
    cell.putObject("metadata");
    cell.putArray("outputs");
    cell.put(
        "source",
        "%dependency /add-repo lightcone file://"
            + REPOSITORY
            + " release|never snapshot|always\n"
            + "%dependency /add io.lightcone:lightcone-core:0.0.1-not-installed\n"
            + "%dependency /resolve");
    Path notebook = dir.resolve("nb/missing.ipynb");
    Files.createDirectories(notebook.getParent());
    JSON.writeValue(notebook.toFile(), nb);
    Path executed = notebook.resolveSibling("missing-executed.ipynb");

    execute(notebook, executed, dir.resolve("missing.log"), jupyterPath, project, true);

    JsonNode outputs = JSON.readTree(executed.toFile()).get("cells").get(0).get("outputs");
    // The kernel says so in one line on stderr (its own message; it makes no error output).
    List<String> errors = new ArrayList<>();
    for (JsonNode output : outputs) {
      if (output.path("name").asText().equals("stderr")) {
        JsonNode text = output.get("text");
        errors.addAll((text.isArray() ? join((ArrayNode) text) : text.asText()).lines().toList());
      }
    }
    assertThat(errors)
        .as(outputs.toString())
        .singleElement()
        .asString()
        .startsWith("Could not resolve dependencies.")
        .contains("io.lightcone:lightcone-core:jar:0.0.1-not-installed");
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
