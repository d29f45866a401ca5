package io.lightcone.core.internal.status;

import io.lightcone.LightconeException;
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
  private final Map<String, String> memo = new HashMap<>();

  /**
   * @param inputs versions remembered from earlier commands ({@link InputMemo#none()} to hash every
   *     input)
   */
  public ExternalVersions(Path project, int threads, InputMemo inputs) {
    this.project = project;
    this.threads = threads;
    this.inputs = inputs;
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

  private Path resolve(String path) {
    try {
      return project.resolve(path);
    } catch (java.nio.file.InvalidPathException e) {
      return project.resolve("\u0000invalid"); // does not exist, so "missing"
    }
  }
}
