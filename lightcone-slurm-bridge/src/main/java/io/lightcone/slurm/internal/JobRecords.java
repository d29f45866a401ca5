package io.lightcone.slurm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.LightconeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a SLURM run keeps its files, all under the project (which the compute nodes share): the
 * run's private directory {@code .lightcone/slurm/<run>/} (mode 0700: job scripts, their output,
 * the results the jobs write back), and {@code .lightcone/state/slurm-jobs.json}, the jobs a
 * detached run left in the queue, so that the next {@code lc run} adopts them.
 */
public final class JobRecords {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rwx------");

  private JobRecords() {}

  /** One recorded job: its SLURM id and what it runs. */
  public record Record(String job, int attempt, String codeVersion, String result, String out) {}

  /** Makes the run's private directory; a name that exists already is refused, never reused. */
  public static Path runDirectory(Path project, String run) {
    Path root = project.resolve(".lightcone/slurm");
    try {
      Files.createDirectories(root);
      Path dir = root.resolve(run);
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
      Files.setPosixFilePermissions(dir, PRIVATE); // the umask may have narrowed it further
      return dir;
    } catch (FileAlreadyExistsException e) {
      throw new LightconeException(
          LightconeException.Kind.INTERNAL, "SLURM run directory " + e.getFile() + " exists");
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "could not make the SLURM run directory under " + root + ": " + e.getMessage(),
          e);
    }
  }

  /** A job script that runs {@code command} with POSIX-quoted arguments. */
  public static void writeScript(Path script, List<String> command) {
    StringBuilder s = new StringBuilder("#!/bin/sh\n# Written by lc run --substrate slurm.\nexec");
    for (String arg : command) {
      s.append(' ').append(quote(arg));
    }
    s.append('\n');
    try {
      Files.writeString(script, s.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "could not write the job script " + script + ": " + e.getMessage(),
          e);
    }
  }

  static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  private static Path stateFile(Path project) {
    return project.resolve(".lightcone/state/slurm-jobs.json");
  }

  /**
   * The jobs recorded by detached runs, by task id; none when the file is missing or unreadable.
   */
  public static Map<String, Record> read(Path project) {
    Path file = stateFile(project);
    Map<String, Record> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      JsonNode root = JSON.readTree(file.toFile());
      root.path("jobs")
          .fields()
          .forEachRemaining(
              e -> {
                JsonNode j = e.getValue();
                out.put(
                    e.getKey(),
                    new Record(
                        j.path("job").asText(),
                        j.path("attempt").asInt(1),
                        j.path("code_version").asText(),
                        j.path("result").asText(),
                        j.path("out").asText()));
              });
    } catch (IOException e) {
      // A damaged record only means queued jobs are not adopted; they still publish their outputs.
    }
    return out;
  }

  /** Replaces the record of detached jobs (temp file, rename). */
  public static void write(Path project, Map<String, Record> records) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    ObjectNode jobs = root.putObject("jobs");
    records.forEach(
        (task, r) -> {
          ObjectNode j = jobs.putObject(task);
          j.put("job", r.job());
          j.put("attempt", r.attempt());
          j.put("code_version", r.codeVersion());
          j.put("result", r.result());
          j.put("out", r.out());
        });
    Path file = stateFile(project);
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), ".slurm-jobs.", ".tmp");
      try {
        Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        try {
          Files.move(
              temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "could not record the submitted jobs in " + file + ": " + e.getMessage(),
          e);
    }
  }
}
