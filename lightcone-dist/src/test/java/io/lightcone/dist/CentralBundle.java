package io.lightcone.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What Maven Central's publisher requires of a bundle (a Maven repository layout, zipped): every
 * artifact has its POM with the required metadata; every jar artifact its {@code -sources.jar} and
 * {@code -javadoc.jar}; every file its {@code .md5} and {@code .sha1} (matching), and its {@code
 * .asc} signature when the bundle is signed.
 */
final class CentralBundle {
  private CentralBundle() {}

  /** Every problem of the bundle unpacked at {@code root}; empty when Central would take it. */
  static List<String> problems(Path root, Set<String> expectedArtifacts, boolean signed) {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    List<Path> poms;
    try (Stream<Path> files = Files.walk(root)) {
      poms = files.filter(p -> p.toString().endsWith(".pom")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> texts = new HashMap<>();
    for (Path pom : poms) {
      texts.put(pom.getParent().getParent().getFileName().toString(), read(pom));
    }
    for (Path pom : poms) {
      String file = pom.getFileName().toString();
      String base = file.substring(0, file.length() - ".pom".length());
      String artifactId = pom.getParent().getParent().getFileName().toString();
      seen.add(artifactId);
      String text = read(pom);
      // name is not inherited in Maven; the others may come from a parent in the bundle.
      if (!has(text, "name")) {
        problems.add(root.relativize(pom) + ": no <name> (Central requires it)");
      }
      for (String element : List.of("description", "url", "licenses", "developers", "scm")) {
        if (!inherited(text, element, texts)) {
          problems.add(root.relativize(pom) + ": no <" + element + "> (Central requires it)");
        }
      }
      List<String> files = new ArrayList<>(List.of(file));
      if (!text.contains("<packaging>pom</packaging>")) {
        files.addAll(List.of(base + ".jar", base + "-sources.jar", base + "-javadoc.jar"));
      }
      for (String f : files) {
        Path p = pom.resolveSibling(f);
        if (!Files.isRegularFile(p)) {
          problems.add(root.relativize(p) + " is missing");
          continue;
        }
        checksum(root, p, "md5", "MD5", problems);
        checksum(root, p, "sha1", "SHA-1", problems);
        if (signed && !Files.isRegularFile(p.resolveSibling(f + ".asc"))) {
          problems.add(root.relativize(p) + ".asc is missing (the bundle should be signed)");
        }
      }
    }
    for (String expected : expectedArtifacts) {
      if (!seen.contains(expected)) {
        problems.add(expected + ": no POM in the bundle");
      }
    }
    return problems;
  }

  /** The POM has {@code element} itself (not in its parent reference, nor as a nested child). */
  private static boolean has(String pom, String element) {
    String own = pom.replaceAll("(?s)<parent>.*?</parent>", "");
    if (!List.of("developers", "licenses", "scm").contains(element)) {
      own =
          own.replaceAll(
              "(?s)<(dependencies|dependencyManagement|build|profiles|developers|licenses|scm"
                  + "|issueManagement)[\\s>].*?</\\1>",
              "");
    }
    return own.matches("(?s).*<" + element + "[\\s>].*");
  }

  private static boolean inherited(String pom, String element, Map<String, String> texts) {
    String current = pom;
    for (int depth = 0; current != null && depth < 10; depth++) {
      if (has(current, element)) {
        return true;
      }
      Matcher parent =
          Pattern.compile("(?s)<parent>.*?<artifactId>(.*?)</artifactId>").matcher(current);
      current = parent.find() ? texts.get(parent.group(1).strip()) : null;
    }
    return false;
  }

  private static void checksum(
      Path root, Path file, String extension, String algorithm, List<String> problems) {
    Path sum = file.resolveSibling(file.getFileName() + "." + extension);
    if (!Files.isRegularFile(sum)) {
      problems.add(root.relativize(sum) + " is missing");
      return;
    }
    String expected = read(sum).strip().split("\\s+")[0];
    try {
      byte[] digest = MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file));
      String actual = HexFormat.of().formatHex(digest);
      if (!actual.equalsIgnoreCase(expected)) {
        problems.add(root.relativize(sum) + " does not match the file (" + actual + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
