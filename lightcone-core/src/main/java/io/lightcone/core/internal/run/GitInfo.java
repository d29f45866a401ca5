package io.lightcone.core.internal.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The git commit and remote of the project, as manifests record them ({@code git_sha}, {@code
 * git_remote}); empty when the project is not in a git work tree or git is not installed.
 *
 * @param sha HEAD's commit
 * @param remote the {@code origin} remote's URL
 */
record GitInfo(Optional<String> sha, Optional<String> remote) {

  static GitInfo of(Path project) {
    return new GitInfo(
        git(project, "rev-parse", "HEAD"), git(project, "config", "--get", "remote.origin.url"));
  }

  private static Optional<String> git(Path dir, String... args) {
    String[] command = new String[args.length + 3];
    command[0] = "git";
    command[1] = "-C";
    command[2] = dir.toString();
    System.arraycopy(args, 0, command, 3, args.length);
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return p.exitValue() == 0 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
