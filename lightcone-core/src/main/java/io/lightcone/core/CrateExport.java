package io.lightcone.core;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Project#exportCrate(Path, CrateOptions)} wrote.
 *
 * <pre>{@code
 * CrateExport crate = project.exportCrate(Path.of("crate"), CrateOptions.defaults());
 * System.out.println(crate.actions() + " task runs, " + crate.files() + " files");
 * }</pre>
 *
 * @param target the crate directory or {@code .zip} file
 * @param actions task runs described, one {@code CreateAction} each
 * @param files files in the crate, {@code ro-crate-metadata.json} included
 * @param bytes their total size
 * @param leftOut with {@link CrateOptions#partial()}, the tasks left out and why ({@code
 *     baseline/fit: stale (code changed: recipe)}), sorted
 */
public record CrateExport(Path target, int actions, int files, long bytes, List<String> leftOut) {
  public CrateExport {
    leftOut = List.copyOf(leftOut);
  }
}
