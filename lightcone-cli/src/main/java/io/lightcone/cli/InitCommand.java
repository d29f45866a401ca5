package io.lightcone.cli;

import io.lightcone.LightconeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lc init [DIR]}: a small project that runs as it is — one input, two decisions, three
 * outputs (a table, a metric, a report), two universes, recipes in plain {@code python3}.
 */
@Command(
    name = "init",
    header = "Make a small runnable project to start from.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Writes astra.yaml (one input data file, two decisions, three outputs), two universes, the"
          + " recipes (python3, standard library only), a README and a .gitignore into DIR, which"
          + " must be new or empty. lc validate accepts it and lc run runs it as it is."
    },
    parameterListHeading = "%nArguments:%n",
    optionListHeading = "%nOptions:%n")
final class InitCommand implements Callable<Integer> {
  /** The scaffold: resource name under {@code init/} → path in the new project. */
  private static final List<String[]> FILES =
      List.of(
          new String[] {"astra.yaml", "astra.yaml"},
          new String[] {"universes/baseline.yaml", "universes/baseline.yaml"},
          new String[] {"universes/robust.yaml", "universes/robust.yaml"},
          new String[] {"data/readings.csv", "data/readings.csv"},
          new String[] {"src/clean.py", "src/clean.py"},
          new String[] {"src/estimate.py", "src/estimate.py"},
          new String[] {"src/report.py", "src/report.py"},
          new String[] {"README.md", "README.md"},
          // Stored without its dot, so that it does not act as this repository's ignore file.
          new String[] {"gitignore", ".gitignore"});

  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "Where to make the project: a new or empty directory (default: .).")
  String directory;

  @Override
  public Integer call() {
    Path dir;
    try {
      dir = Path.of(directory);
    } catch (InvalidPathException e) {
      throw new ParameterException(
          spec.commandLine(), "DIR '" + directory + "' is not a valid path: " + e.getReason());
    }
    requireNewOrEmpty(dir);
    String id = projectId(dir);
    try {
      for (String[] file : FILES) {
        Path target = dir.resolve(file[1]);
        Files.createDirectories(target.getParent());
        Files.writeString(target, resource(file[0]).replace("@ID@", id));
      }
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot write the project into " + dir + ": " + e.getMessage(),
          e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("made project '" + id + "' in " + dir + " (" + FILES.size() + " files)");
    boolean here = directory.equals(".");
    out.println("next: lc validate" + (here ? "" : " " + directory));
    out.println("      lc run" + (here ? "" : " -C " + directory));
    out.flush();
    return ExitCode.OK.code;
  }

  private static void requireNewOrEmpty(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          dir + " is a file; lc init makes a project in a new or empty directory");
    }
    try (Stream<Path> entries = Files.list(dir)) {
      List<String> names = entries.map(p -> p.getFileName().toString()).sorted().limit(4).toList();
      if (!names.isEmpty()) {
        throw new LightconeException(
            LightconeException.Kind.USER_INPUT,
            dir
                + " is not empty (it has "
                + String.join(", ", names)
                + (names.size() == 4 ? ", ..." : "")
                + "); lc init makes a project in a new or empty directory, so nothing is"
                + " overwritten — give another DIR");
      }
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT, "cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** An ASTRA id ({@code [a-z][a-z0-9_]*}) from the directory's name, else {@code analysis}. */
  static String projectId(Path dir) {
    Path name = dir.toAbsolutePath().normalize().getFileName();
    String raw = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    String id = raw.replaceAll("[^a-z0-9_]+", "_").replaceAll("^[^a-z]+", "").replaceAll("_+$", "");
    return id.isEmpty() ? "analysis" : id;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = InitCommand.class.getResourceAsStream("init/" + name)) {
      if (in == null) {
        // The scaffold ships in this jar; a missing file is a broken build.
        throw new IllegalStateException("the lc jar lacks its init/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
