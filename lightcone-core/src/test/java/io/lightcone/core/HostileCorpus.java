package io.lightcone.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Projects built to break a loader: bad syntax and types, tabs, duplicate keys, an alias bomb, deep
 * nesting, non-UTF-8 bytes, a 10 MB file, {@code path:} escaping the project, shell metacharacters
 * in ids. Each must be rejected with a clear, positioned error — never a crash or a hang. Shared
 * with the CLI's tests through this module's test jar.
 */
public final class HostileCorpus {
  private HostileCorpus() {}

  /** The case names, in the order {@link #materialize} writes them. */
  public static final java.util.List<String> NAMES =
      java.util.List.of(
          "syntax_error",
          "wrong_types",
          "tabs",
          "duplicate_keys",
          "empty_file",
          "not_a_mapping",
          "control_characters",
          "alias_bomb",
          "deep_nesting",
          "path_escape",
          "shell_metacharacters",
          "bad_universe",
          "non_utf8",
          "ten_megabytes",
          "symlink_escape");

  /** Writes every case under {@code root}; returns case name → project directory. */
  public static Map<String, Path> materialize(Path root) {
    Map<String, Path> cases = new LinkedHashMap<>();
    text(cases, root, "syntax_error", "id: demo\noutputs: [a, b\nname: x\n");
    text(
        cases,
        root,
        "wrong_types",
        """
        id: demo
        tags: 3
        outputs:
          fit:
            type: metric
        decisions:
          m:
            label: [not, a, string]
            options:
              a:
                label: A
                excluded: maybe
        analyses:
          sub:
            outputs:
              - id: o
                type: metric
                recipe:
                  command: run
                  resources: {cpus: lots, gpus: 0.5, memory: 16 gigs, time_limit: soon}
        """);
    text(cases, root, "tabs", "id: demo\ndecisions:\n\tm:\n\t\tlabel: M\n");
    text(cases, root, "duplicate_keys", "id: demo\nname: one\nname: two\n");
    text(cases, root, "empty_file", "");
    text(cases, root, "not_a_mapping", "- id: demo\n- id: other\n");
    text(cases, root, "control_characters", "id: demo\nname: \"a\u0000b\"\u0007\n");
    text(cases, root, "alias_bomb", aliasBomb());
    text(cases, root, "deep_nesting", "id: demo\nname: " + "[".repeat(100_000) + "\n");
    text(
        cases,
        root,
        "path_escape",
        "id: demo\nanalyses:\n  sneaky:\n    path: ../../../../../../../../etc\n");
    text(
        cases,
        root,
        "shell_metacharacters",
        """
        id: demo
        decisions:
          m:
            label: M
            default: "$(touch pwned)"
            options:
              "a; rm -rf /": {label: A}
              "$(touch pwned)": {label: B}
              "`id`": {label: C}
        outputs:
          - id: "out put"
            type: metric
            recipe: {command: "echo hi"}
        """);
    text(
        cases,
        root,
        "bad_universe",
        "id: demo\ndecisions:\n  m:\n    label: M\n    options:\n      a: {label: A}\n",
        "universes/u.yaml",
        "decisions:\n  m: \"a && curl evil\"\n  ghost: x\n");
    Path nonUtf8 = dir(root, "non_utf8");
    write(
        nonUtf8.resolve("astra.yaml"),
        "id: demo\nname: Caf\u00e9 \u00fcber\n".getBytes(StandardCharsets.ISO_8859_1));
    cases.put("non_utf8", nonUtf8);
    Path big = dir(root, "ten_megabytes");
    try (OutputStream out = Files.newOutputStream(big.resolve("astra.yaml"))) {
      out.write("id: demo\ndescription: |\n".getBytes(StandardCharsets.UTF_8));
      byte[] line = ("  " + "x".repeat(97) + "\n").getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 100_000; i++) {
        out.write(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    cases.put("ten_megabytes", big);
    Path link = dir(root, "symlink_escape");
    write(
        link.resolve("astra.yaml"),
        "id: demo\nanalyses:\n  s:\n    path: out\n".getBytes(StandardCharsets.UTF_8));
    try {
      Files.createSymbolicLink(link.resolve("out"), root.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    cases.put("symlink_escape", link);
    if (!cases.keySet().equals(new java.util.LinkedHashSet<>(NAMES))) {
      throw new IllegalStateException("NAMES is out of date: " + cases.keySet());
    }
    return cases;
  }

  /** Twelve levels of ten aliases each: 10^12 nodes if expanded. */
  private static String aliasBomb() {
    StringBuilder y = new StringBuilder("id: demo\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      y.append("]\n");
    }
    return y.toString();
  }

  private static void text(
      Map<String, Path> cases, Path root, String name, String astra, String... more) {
    Path d = dir(root, name);
    write(d.resolve("astra.yaml"), astra.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < more.length; i += 2) {
      write(d.resolve(more[i]), more[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    cases.put(name, d);
  }

  private static Path dir(Path root, String name) {
    try {
      return Files.createDirectories(root.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
