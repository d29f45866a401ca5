package io.lightcone.core.internal.project;

import io.lightcone.core.SandboxMode;
import io.lightcone.core.internal.yaml.Mark;
import io.lightcone.core.internal.yaml.YMap;
import io.lightcone.core.internal.yaml.YNode;
import io.lightcone.core.internal.yaml.YScalar;
import io.lightcone.core.internal.yaml.YSeq;
import io.lightcone.core.internal.yaml.YamlReader;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The project's own Lightcone settings, {@code lightcone.yaml} at the project root: what ASTRA has
 * no field for (docs/code-tracking.md). A missing file means the defaults.
 *
 * <pre>
 * code: ["src/**&#47;*.py", "lib/*.R"]   # more code files of every task, beside those its command names
 * sandbox: on                           # on | strict | off (how recipes are confined)
 * network: true                         # false: recipes run without a network
 * sandbox_fallback: false               # true: run unsandboxed where the sandbox cannot work
 * </pre>
 *
 * <p>Errors and warnings go to the project's validation report as {@code lightcone.yaml:line:col}
 * with the key: an unknown key, a value of the wrong kind, a glob that leaves the project (error),
 * a glob that matches nothing (warning).
 */
public final class LightconeConfig {
  static final String FILE = "lightcone.yaml";

  /**
   * Directories that never hold code: version control, virtual environments, results, Lightcone's
   * state and caches. A glob does not descend into them and a command's token inside them is not a
   * code file.
   */
  public static final Set<String> NOT_CODE =
      Set.of(
          ".git",
          ".venv",
          "venv",
          "results",
          ".lightcone",
          ".snakemake",
          "__pycache__",
          ".pytest_cache",
          ".mypy_cache",
          ".ruff_cache",
          ".cache",
          "node_modules");

  private static final LightconeConfig DEFAULTS =
      new LightconeConfig(List.of(), List.of(), Optional.empty(), true, false);

  private final List<String> code;
  private final List<String> codeFiles;
  private final Optional<SandboxMode> sandbox;
  private final boolean network;
  private final boolean sandboxFallback;

  private LightconeConfig(
      List<String> code,
      List<String> codeFiles,
      Optional<SandboxMode> sandbox,
      boolean network,
      boolean sandboxFallback) {
    this.code = List.copyOf(code);
    this.codeFiles = List.copyOf(codeFiles);
    this.sandbox = sandbox;
    this.network = network;
    this.sandboxFallback = sandboxFallback;
  }

  /** No {@code lightcone.yaml}: no code globs, sandbox as the machine allows, network on. */
  static LightconeConfig defaults() {
    return DEFAULTS;
  }

  /** The code globs as written, relative to the project root. */
  List<String> code() {
    return code;
  }

  /** The project files the {@link #code()} globs matched when the project was loaded, sorted. */
  public List<String> codeFiles() {
    return codeFiles;
  }

  /** {@code sandbox:}; empty when not written (the default: {@code on} where it works). */
  public Optional<SandboxMode> sandbox() {
    return sandbox;
  }

  /** {@code network:}; {@code true} when not written. */
  public boolean network() {
    return network;
  }

  /** {@code sandbox_fallback:}; {@code false} when not written. */
  public boolean sandboxFallback() {
    return sandboxFallback;
  }

  /**
   * Reads {@code lightcone.yaml} in {@code project} (absolute, real), reporting its problems to
   * {@code problems}; the defaults when there is no such file or it has errors.
   */
  static LightconeConfig load(Path project, Problems problems) {
    Path file = project.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return DEFAULTS;
    }
    byte[] bytes;
    try {
      if (Files.size(file) > YamlReader.MAX_BYTES) {
        problems.addAll(List.of(YamlReader.tooLarge(FILE, Files.size(file))));
        return DEFAULTS;
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      problems.error(Mark.fileOnly(FILE), "", "cannot read " + FILE + ": " + e.getMessage());
      return DEFAULTS;
    }
    return parse(project, bytes, problems);
  }

  static LightconeConfig parse(Path project, byte[] bytes, Problems problems) {
    YamlReader.Result r = YamlReader.read(FILE, bytes);
    if (!r.problems().isEmpty()) {
      problems.addAll(r.problems());
      return DEFAULTS;
    }
    if (r.root().isEmpty() || r.root().get() instanceof YScalar s && s.isNull()) {
      return DEFAULTS;
    }
    if (!(r.root().get() instanceof YMap root)) {
      problems.error(
          r.root().get().mark(),
          "",
          FILE
              + " is "
              + r.root().get().describe()
              + "; write a mapping with the keys code, sandbox, network, sandbox_fallback");
      return DEFAULTS;
    }
    int errors = problems.errorCount();
    List<String> code = new ArrayList<>();
    List<Mark> codeAt = new ArrayList<>();
    Optional<SandboxMode> sandbox = Optional.empty();
    boolean network = true;
    boolean fallback = false;
    for (YMap.Entry e : root.entries()) {
      switch (e.name()) {
        case "code" -> globs(e.value(), code, codeAt, problems);
        case "sandbox" -> sandbox = sandbox(e.value(), problems);
        case "network" -> network = bool(e, true, problems);
        case "sandbox_fallback" -> fallback = bool(e, false, problems);
        default ->
            problems.error(
                e.key().mark(),
                e.name(),
                "unknown key '"
                    + e.name()
                    + "' in "
                    + FILE
                    + Suggest.hint(
                        e.name(), List.of("code", "sandbox", "network", "sandbox_fallback"))
                    + "; the keys are code, sandbox, network and sandbox_fallback");
      }
    }
    if (problems.errorCount() > errors) {
      return DEFAULTS;
    }
    TreeSet<String> files = new TreeSet<>(io.lightcone.core.internal.hash.PyJson.CODE_POINT_ORDER);
    for (int i = 0; i < code.size(); i++) {
      List<String> matched = expand(project, code.get(i));
      if (matched.isEmpty()) {
        problems.warning(
            codeAt.get(i),
            "code[" + i + "]",
            "code glob '"
                + code.get(i)
                + "' matches no file in the project; fix the pattern or remove it");
      }
      files.addAll(matched);
    }
    return new LightconeConfig(code, List.copyOf(files), sandbox, network, fallback);
  }

  private static void globs(YNode value, List<String> out, List<Mark> at, Problems problems) {
    if (value instanceof YScalar s && s.isNull()) {
      return;
    }
    if (!(value instanceof YSeq seq)) {
      problems.error(
          value.mark(),
          "code",
          "'code' is "
              + value.describe()
              + "; write a list of globs relative to the project root, e.g. [\"src/**/*.py\"]");
      return;
    }
    for (int i = 0; i < seq.items().size(); i++) {
      YNode n = seq.items().get(i);
      String key = "code[" + i + "]";
      if (!(n instanceof YScalar s) || s.isNull() || s.text().isBlank()) {
        problems.error(n.mark(), key, "'" + key + "' is " + n.describe() + "; write a glob");
        continue;
      }
      String glob = s.text().strip();
      if (escapes(glob)) {
        problems.error(
            n.mark(),
            key,
            "code glob '"
                + glob
                + "' leaves the project; write it relative to the project root, without '..'");
        continue;
      }
      out.add(glob);
      at.add(n.mark());
    }
  }

  /** Whether a glob names something outside the project: absolute, or through {@code ..}. */
  static boolean escapes(String glob) {
    if (glob.startsWith("/") || glob.startsWith("~") || glob.matches("[A-Za-z]:[\\\\/].*")) {
      return true;
    }
    for (String part : glob.split("[/\\\\]")) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static Optional<SandboxMode> sandbox(YNode value, Problems problems) {
    if (value instanceof YScalar s && !s.isNull()) {
      switch (s.text().strip().toLowerCase(Locale.ROOT)) {
        case "on":
          return Optional.of(SandboxMode.ON);
        case "strict":
          return Optional.of(SandboxMode.STRICT);
        case "off":
          return Optional.of(SandboxMode.OFF);
        default:
          break;
      }
    }
    problems.error(
        value.mark(), "sandbox", "'sandbox' is " + value.describe() + "; write on, strict or off");
    return Optional.empty();
  }

  private static boolean bool(YMap.Entry e, boolean otherwise, Problems problems) {
    if (e.value() instanceof YScalar s && s.type() == YScalar.Type.BOOLEAN) {
      return Boolean.parseBoolean(s.text().strip().toLowerCase(Locale.ROOT));
    }
    problems.error(
        e.value().mark(),
        e.name(),
        "'" + e.name() + "' is " + e.value().describe() + "; write true or false");
    return otherwise;
  }

  /**
   * The regular files under {@code project} that {@code glob} matches, project-relative and sorted.
   * {@code **} crosses directories, and as in {@code .gitignore} {@code a/**}{@code /b} also
   * matches {@code a/b}. Only the glob's literal leading directories are walked, never {@link
   * #NOT_CODE}.
   */
  static List<String> expand(Path project, String glob) {
    String g = glob.replace('\\', '/');
    while (g.startsWith("./")) {
      g = g.substring(2);
    }
    List<PathMatcher> matchers = new ArrayList<>();
    for (String variant : variants(g)) {
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + variant));
    }
    StringBuilder literal = new StringBuilder();
    for (String part : g.split("/")) {
      if (part.isEmpty() || part.matches(".*[*?\\[{].*")) {
        break;
      }
      literal.append(literal.length() == 0 ? "" : "/").append(part);
    }
    Path start = literal.length() == 0 ? project : project.resolve(literal.toString());
    List<String> out = new ArrayList<>();
    if (Files.isRegularFile(start)) {
      return List.of(literal.toString());
    }
    if (!Files.isDirectory(start)) {
      return out;
    }
    try {
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return !dir.equals(start) && NOT_CODE.contains(dir.getFileName().toString())
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                Path rel = project.relativize(file);
                if (matchers.stream().anyMatch(m -> m.matches(rel))) {
                  out.add(rel.toString().replace(java.io.File.separatorChar, '/'));
                }
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE; // unreadable: not code we can hash anyway
            }
          });
    } catch (IOException e) {
      return out;
    }
    out.sort(io.lightcone.core.internal.hash.PyJson.CODE_POINT_ORDER);
    return out;
  }

  /** {@code glob} and its forms with each {@code **}{@code /} matching no directory at all. */
  private static List<String> variants(String glob) {
    List<String> out = new ArrayList<>(List.of(glob));
    for (int i = 0; i < out.size() && out.size() < 16; i++) {
      String v = out.get(i);
      int at = v.indexOf("**/");
      while (at >= 0) {
        String shorter = v.substring(0, at) + v.substring(at + 3);
        if (!out.contains(shorter)) {
          out.add(shorter);
        }
        at = v.indexOf("**/", at + 1);
      }
    }
    return out;
  }
}
