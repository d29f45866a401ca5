package io.lightcone.core.internal.status;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.hash.CodeFiles;
import io.lightcone.core.internal.hash.InputVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Versions of inputs from outside the project's outputs, each computed once per run of a command
 * (many tasks often read the same catalog), and across commands through an {@link InputMemo} when
 * the caller trusts one: {@code status}, {@code plan}, {@code explain} and {@code run} do; {@code
 * verify} never does.
 */
public final class ExternalVersions {
  private final Path project;
  private final int threads;
  private final InputMemo inputs;
  private final CodeFileMemo codeFiles;
  private final Map<String, String> memo = new HashMap<>();
  private final Map<String, String> code = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param inputs versions remembered from earlier commands ({@link InputMemo#none()} to hash every
   *     input)
   */
  public ExternalVersions(Path project, int threads, InputMemo inputs) {
    this(project, threads, inputs, CodeFileMemo.none());
  }

  /**
   * @param codeFiles versions of code files kept by the run across its tasks ({@link
   *     CodeFileMemo#none()} to hash each code file once per instance)
   */
  public ExternalVersions(Path project, int threads, InputMemo inputs, CodeFileMemo codeFiles) {
    this.project = project;
    this.threads = threads;
    this.inputs = inputs;
    this.codeFiles = codeFiles;
  }

  /**
   * The version of {@code path} (project-relative or absolute); hashed by content when {@code
   * strict}, which is also how a version recorded as {@code sha256:} is compared.
   */
  public synchronized String version(String path, boolean strict) {
    return memo.computeIfAbsent(
        (strict ? "strict:" : "") + path,
        k -> {
          if (path.isEmpty()) {
            return InputVersion.MISSING;
          }
          try {
            return inputs.version(resolve(path), strict, threads);
          } catch (IOException e) {
            throw new LightconeException(
                LightconeException.Kind.ENVIRONMENT,
                "cannot read input " + path + ": " + e.getMessage(),
                e);
          }
        });
  }

  /**
   * The version of the code file {@code rel} (a directory ends in {@code /}) as {@link
   * CodeFiles#version} gives it, hashed once per command however many tasks run it; {@value
   * InputVersion#MISSING} when it is gone.
   */
  String code(String rel) {
    return code.computeIfAbsent(
        rel,
        k -> {
          try {
            return codeFiles.version(project, rel, () -> CodeFiles.version(project, rel));
          } catch (java.nio.file.NoSuchFileException e) {
            return InputVersion.MISSING;
          } catch (IOException e) {
            throw new LightconeException(
                LightconeException.Kind.ENVIRONMENT,
                "cannot read code file " + rel + ": " + e.getMessage(),
                e);
          }
        });
  }

  /** {@link #code} of each of {@code files}, in their order. */
  public Map<String, String> code(java.util.List<String> files) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    files.forEach(f -> out.put(f, code(f)));
    return out;
  }

  private Path resolve(String path) {
    try {
      return project.resolve(path);
    } catch (java.nio.file.InvalidPathException e) {
      return project.resolve("\u0000invalid"); // does not exist, so "missing"
    }
  }
}
