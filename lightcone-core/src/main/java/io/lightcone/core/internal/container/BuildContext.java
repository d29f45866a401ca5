package io.lightcone.core.internal.container;

import io.lightcone.core.internal.hash.ImageTag;
import io.lightcone.core.internal.hash.ImageTag.Entry;
import io.lightcone.core.internal.hash.ImageTag.Part;
import io.lightcone.core.internal.hash.ImageTag.Role;
import io.lightcone.core.internal.hash.PyJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The files an image is built from, which are exactly the files its tag hashes: the Containerfile,
 * the dependency files at the project root, and every {@code COPY}/{@code ADD} source (globs
 * expanded and sorted, directories file by file without VCS, virtualenv, results and cache
 * directories; sources outside the project dropped). The build context is the project root, so
 * sources are written relative to it. {@code lc build} stages these files alone, so what is built
 * is what is hashed.
 *
 * @param containerfile the Containerfile, project-relative POSIX path
 * @param entries what the tag hashes, in order (DESIGN §3.1)
 * @param parts the hashed files in hash order (a file copied twice is listed twice)
 * @param unmatched sources that name no file of the project, for {@code lc build}'s errors
 */
record BuildContext(
    String containerfile,
    List<Entry> entries,
    List<Part> parts,
    List<Containerfile.Source> unmatched) {
  /**
   * Dependency files that decide what a recipe's environment holds, at the project root
   * (lightcone-cli 0.4's list).
   */
  static final Set<String> DEPENDENCY_FILES =
      Set.of(
          "requirements.txt",
          "requirements-dev.txt",
          "requirements-test.txt",
          "pyproject.toml",
          "setup.py",
          "setup.cfg",
          "poetry.lock",
          "Pipfile.lock",
          "uv.lock",
          "conda-lock.yml",
          "environment.yml",
          "environment.yaml");

  /**
   * Names never part of a copied directory, at any depth under it: VCS, virtualenvs, results,
   * caches, build outputs (lightcone-cli 0.4's list).
   */
  static final Set<String> SKIPPED_DIRECTORIES =
      Set.of(
          ".git",
          ".venv",
          "venv",
          "__pycache__",
          "results",
          ".lightcone",
          ".snakemake",
          "node_modules",
          ".pytest_cache",
          ".mypy_cache",
          ".ruff_cache",
          ".tox",
          ".eggs",
          "dist");

  BuildContext {
    entries = List.copyOf(entries);
    parts = List.copyOf(parts);
    unmatched = List.copyOf(unmatched);
  }

  /** The build context of {@code containerfile} (project-relative) in {@code project}. */
  static BuildContext of(Path project, String containerfile) throws IOException {
    Path root = project.toAbsolutePath().normalize();
    List<Entry> entries = new ArrayList<>();
    List<Part> parts = new ArrayList<>();
    entries.add(Entry.file(Role.CONTAINERFILE, containerfile));
    parts.add(new Part(Role.CONTAINERFILE, containerfile));
    for (String dep : dependencyFiles(root)) {
      entries.add(Entry.file(Role.DEPENDENCY, dep));
      parts.add(new Part(Role.DEPENDENCY, dep));
    }
    // Bytes that are not UTF-8 read as U+FFFD, as lightcone-cli reads them (errors="replace").
    String text =
        new String(Files.readAllBytes(root.resolve(containerfile)), StandardCharsets.UTF_8);
    List<Containerfile.Source> unmatched = new ArrayList<>();
    Path real = root.toRealPath();
    for (Containerfile.Source s : Containerfile.sources(text)) {
      List<Entry> copied = expand(root, real, s.path());
      if (copied == null) {
        continue; // outside the project
      }
      if (copied.stream().allMatch(e -> e.directory() && e.files().isEmpty())) {
        unmatched.add(s);
      }
      for (Entry e : copied) {
        entries.add(e);
        (e.directory() ? e.files() : List.of(e.path()))
            .forEach(f -> parts.add(new Part(Role.SOURCE, f)));
      }
    }
    return new BuildContext(containerfile, entries, parts, unmatched);
  }

  /** The tag of the image built from this context. */
  String tag(String projectName, Path project) throws IOException {
    return ImageTag.of(projectName, project, entries);
  }

  /** Every distinct file, in hash order: what {@code lc build} stages. */
  List<String> files() {
    Set<String> files = new LinkedHashSet<>();
    parts.forEach(p -> files.add(p.path()));
    return List.copyOf(files);
  }

  static List<String> dependencyFiles(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (DEPENDENCY_FILES.contains(name) && Files.isRegularFile(p)) {
          out.add(name);
        }
      }
    }
    out.sort(PyJson.CODE_POINT_ORDER);
    return out;
  }

  /**
   * The entries a source stands for, sorted within the source: a file, or a directory with its
   * files (project-relative); {@code null} when it points outside the project (dropped: it is not
   * the project's to hash or stage).
   */
  static List<Entry> expand(Path root, Path realRoot, String source) throws IOException {
    // The build context is the root: a leading '/' is relative to it, as the builders read it.
    String rel = source.replaceFirst("^/+", "");
    Path normal = Path.of(rel.isEmpty() ? "." : rel).normalize();
    if (normal.startsWith("..") || normal.isAbsolute()) {
      return null;
    }
    List<Path> matches = new ArrayList<>();
    if (normal.toString().isEmpty()) {
      matches.add(root);
    } else {
      glob(root, root, List.of(normal.toString().split("/")), 0, matches);
    }
    List<Entry> out = new ArrayList<>();
    for (Path m : sorted(root, matches)) {
      if (!inside(realRoot, m)) {
        continue;
      }
      if (Files.isDirectory(m)) {
        out.add(Entry.directory(relative(root, m), walk(root, realRoot, m)));
      } else if (Files.isRegularFile(m)) {
        out.add(Entry.file(Role.SOURCE, relative(root, m)));
      }
    }
    return out;
  }

  private static void glob(Path root, Path at, List<String> segments, int i, List<Path> out)
      throws IOException {
    if (i == segments.size()) {
      if (Files.exists(at)) {
        out.add(at);
      }
      return;
    }
    String segment = segments.get(i);
    if (!isGlob(segment)) {
      glob(root, at.resolve(segment), segments, i + 1, out);
      return;
    }
    if (!Files.isDirectory(at)) {
      return;
    }
    Pattern p = Pattern.compile(regex(segment));
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(at)) {
      for (Path c : s) {
        if (p.matcher(c.getFileName().toString()).matches()) {
          children.add(c);
        }
      }
    }
    for (Path c : sorted(root, children)) {
      glob(root, c, segments, i + 1, out);
    }
  }

  static boolean isGlob(String segment) {
    return segment.indexOf('*') >= 0 || segment.indexOf('?') >= 0 || segment.indexOf('[') >= 0;
  }

  /** A path segment's glob (Go's filepath.Match: {@code * ? [...] [^...]}) as a regex. */
  static String regex(String glob) {
    StringBuilder r = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> r.append("[^/]*");
        case '?' -> r.append("[^/]");
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            r.append("\\[");
          } else {
            String body = glob.substring(i + 1, end);
            if (body.startsWith("^") || body.startsWith("!")) {
              body = "^" + body.substring(1);
            }
            r.append('[').append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
            i = end;
          }
        }
        case '\\' -> {
          if (i + 1 < glob.length()) {
            r.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
        }
        default -> r.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return r.toString();
  }

  private static List<Path> sorted(Path root, List<Path> paths) {
    List<Path> out = new ArrayList<>(paths);
    out.sort((a, b) -> PyJson.CODE_POINT_ORDER.compare(relative(root, a), relative(root, b)));
    return out;
  }

  private static boolean inside(Path realRoot, Path p) throws IOException {
    return p.toRealPath().startsWith(realRoot);
  }

  /**
   * Every regular file under {@code dir} whose path under it has no component among the skipped
   * names, sorted.
   */
  private static List<String> walk(Path root, Path realRoot, Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            return !d.equals(dir) && SKIPPED_DIRECTORIES.contains(d.getFileName().toString())
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            // Regular files, and links to regular files inside the project (hashed and staged
            // with the target's bytes); linked directories are not descended.
            if (SKIPPED_DIRECTORIES.contains(file.getFileName().toString())) {
              return FileVisitResult.CONTINUE;
            }
            if (attrs.isRegularFile()
                || attrs.isSymbolicLink()
                    && Files.isRegularFile(file)
                    && !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)
                    && inside(realRoot, file)) {
              out.add(relative(root, file));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    out.sort(PyJson.CODE_POINT_ORDER);
    return out;
  }

  static String relative(Path root, Path file) {
    StringBuilder s = new StringBuilder();
    for (Path part : root.relativize(file)) {
      if (!part.toString().isEmpty()) {
        if (s.length() > 0) {
          s.append('/');
        }
        s.append(part);
      }
    }
    return s.toString();
  }
}
