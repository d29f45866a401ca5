package io.lightcone;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code lc build} did for one image that recipes declare: built from a Containerfile under
 * its content tag, pulled by name, already present, or failed.
 *
 * <pre>{@code
 * for (ImageBuild b : project.buildImages(Optional.empty(), false, System.out::println)) {
 *   System.out.println(b.outcome() + " " + b.identity());
 * }
 * }</pre>
 *
 * @param spec the {@code container:} as written
 * @param identity the image's identity: the content tag of a Containerfile, or the image name
 * @param containerfile the Containerfile, project-relative, when the image is built from one
 * @param outcome what happened
 * @param detail why it failed ("" otherwise)
 * @param log the project-relative log of the build or pull, when one ran
 * @param duration how long it took
 */
public record ImageBuild(
    String spec,
    String identity,
    Optional<String> containerfile,
    Outcome outcome,
    String detail,
    Optional<String> log,
    Duration duration) {
  /** What happened to one image. */
  public enum Outcome {
    BUILT("built"),
    PULLED("pulled"),
    PRESENT("present"),
    FAILED("failed");

    private final String word;

    Outcome(String word) {
      this.word = word;
    }

    /** The lower-case word the CLI prints. */
    public String word() {
      return word;
    }
  }

  public ImageBuild {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(containerfile, "containerfile");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(duration, "duration");
  }
}
