package io.lightcone.core.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.model.OutputType;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks an output by its declared type (DESIGN §6). Only warnings: a recipe knows best what it
 * makes, but an empty metric or a figure without an image is usually a bug worth a line.
 */
final class OutputChecks {
  /** Made on first use: most calls never parse JSON. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private static final Set<String> IMAGES =
      Set.of("png", "jpg", "jpeg", "svg", "pdf", "gif", "webp", "tif", "tiff", "eps", "bmp");
  private static final long MAX_PARSED = 16L << 20;

  private OutputChecks() {}

  /**
   * The first symbolic link under {@code dir} that does not stay inside it, as a failure message:
   * an absolute target (it would not move with the output), a relative one that climbs out, one
   * that resolves outside through other links, or one that points to nothing. A link that stays
   * inside is kept as a link; its file's bytes are hashed under the link's name, as lightcone-cli's
   * {@code os.walk} does (DESIGN §3).
   */
  static Optional<String> escapingLink(Path dir) throws IOException {
    Path base = dir.toAbsolutePath().normalize();
    Path real = base.toRealPath();
    List<Path> links;
    try (Stream<Path> s = Files.walk(base)) {
      links = s.filter(Files::isSymbolicLink).sorted().toList();
    }
    for (Path link : links) {
      Path target = Files.readSymbolicLink(link);
      String why;
      if (target.isAbsolute()) {
        why = "is absolute";
      } else if (!link.getParent().resolve(target).normalize().startsWith(base)) {
        why = "leaves the output";
      } else if (!Files.exists(link)) {
        why = "points to nothing";
      } else if (!link.toRealPath().startsWith(real)) {
        why = "resolves outside the output";
      } else {
        continue;
      }
      return Optional.of(
          "the output holds a symbolic link that "
              + why
              + ": "
              + base.relativize(link)
              + " -> "
              + target
              + "; a link in an output must point inside it by a relative path (copy the file in"
              + " instead)");
    }
    return Optional.empty();
  }

  static List<String> check(OutputType type, Path dir) {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      return List.of("could not list the output: " + e.getMessage());
    }
    if (files.isEmpty()) {
      return List.of("the output directory is empty: the recipe wrote nothing to {output}");
    }
    List<String> warnings = new ArrayList<>();
    switch (type) {
      case METRIC -> metric(files, dir, warnings);
      case TABLE -> table(files, dir, warnings);
      case FIGURE -> figure(files, dir, warnings);
      default -> {}
    }
    return warnings;
  }

  private static void metric(List<Path> files, Path dir, List<String> warnings) {
    List<Path> json = withExtension(files, "json");
    if (json.isEmpty()) {
      warnings.add("metric output has no .json file");
      return;
    }
    for (Path f : json) {
      try {
        if (Files.size(f) > MAX_PARSED) {
          continue;
        }
        JsonNode n = Json.MAPPER.readTree(f.toFile());
        if (n == null || !hasNumberOrText(n)) {
          warnings.add(dir.relativize(f) + " holds only null or NaN values");
        }
      } catch (IOException e) {
        warnings.add(
            dir.relativize(f)
                + " is not valid JSON: "
                + e.getMessage().lines().findFirst().orElse(""));
      }
    }
  }

  private static boolean hasNumberOrText(JsonNode n) {
    if (n.isNumber()) {
      return !Double.isNaN(n.asDouble());
    }
    if (n.isTextual()) {
      String t = n.asText().toLowerCase(Locale.ROOT);
      return !t.equals("nan") && !t.isEmpty();
    }
    if (n.isBoolean()) {
      return true;
    }
    for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
      if (hasNumberOrText(it.next())) {
        return true;
      }
    }
    return false;
  }

  private static void table(List<Path> files, Path dir, List<String> warnings) {
    List<Path> csv = withExtension(files, "csv");
    csv.addAll(withExtension(files, "tsv"));
    if (csv.isEmpty()) {
      warnings.add("table output has no .csv file");
      return;
    }
    for (Path f : csv) {
      String sep = f.toString().endsWith(".tsv") ? "\t" : ",";
      try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String header = in.readLine();
        if (header == null) {
          warnings.add(dir.relativize(f) + " is empty");
          continue;
        }
        String[] names = header.split(sep, -1);
        boolean[] hasValue = new boolean[names.length];
        int rows = 0;
        String line;
        while ((line = in.readLine()) != null && rows < 1_000_000) {
          if (line.isBlank()) {
            continue;
          }
          rows++;
          String[] cells = line.split(sep, -1);
          for (int i = 0; i < Math.min(cells.length, names.length); i++) {
            String c = cells[i].strip().toLowerCase(Locale.ROOT);
            if (!c.isEmpty() && !c.equals("nan") && !c.equals("null") && !c.equals("na")) {
              hasValue[i] = true;
            }
          }
        }
        if (rows == 0) {
          warnings.add(dir.relativize(f) + " has a header but no data rows");
          continue;
        }
        for (int i = 0; i < names.length; i++) {
          if (!hasValue[i]) {
            warnings.add(
                dir.relativize(f) + ": column '" + names[i].strip() + "' is all NaN or empty");
          }
        }
      } catch (IOException e) {
        warnings.add(dir.relativize(f) + " could not be read as text: " + e.getMessage());
      }
    }
  }

  private static void figure(List<Path> files, Path dir, List<String> warnings) {
    List<Path> images = files.stream().filter(f -> IMAGES.contains(extension(f))).toList();
    if (images.isEmpty()) {
      warnings.add(
          "figure output has no image file ("
              + String.join(", ", IMAGES.stream().sorted().toList())
              + ")");
      return;
    }
    for (Path f : images) {
      try {
        if (Files.size(f) == 0) {
          warnings.add(dir.relativize(f) + " is an empty (0-byte) image");
        }
      } catch (IOException e) {
        warnings.add(dir.relativize(f) + " could not be read: " + e.getMessage());
      }
    }
  }

  private static List<Path> withExtension(List<Path> files, String ext) {
    return new ArrayList<>(files.stream().filter(f -> extension(f).equals(ext)).toList());
  }

  private static String extension(Path f) {
    String n = f.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
