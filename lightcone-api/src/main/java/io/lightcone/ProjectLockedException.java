package io.lightcone;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Thrown when an execution cannot start because another one holds the project's run lock ({@code
 * .lightcone/lock}). Its own type, so that callers can tell "busy, try later" from a mistake in the
 * project: the CLI exits 1 for it, a notebook may wait and retry.
 *
 * <pre>{@code
 * try { plan.start(substrate, listener); }
 * catch (ProjectLockedException e) { System.err.println("busy: pid " + e.holderPid()); }
 * }</pre>
 */
public final class ProjectLockedException extends LightconeException {
  private static final long serialVersionUID = 1L;

  private final transient Path lockFile;
  private final long holderPid;

  /**
   * @param lockFile the lock file, {@code <project>/.lightcone/lock}
   * @param holderPid the pid of the process that holds it, when known
   */
  public ProjectLockedException(Path lockFile, OptionalLong holderPid) {
    super(Kind.USER_INPUT, message(lockFile, holderPid));
    this.lockFile = Objects.requireNonNull(lockFile, "lockFile");
    this.holderPid = holderPid.orElse(-1);
  }

  /** The lock file, {@code <project>/.lightcone/lock}. */
  public Path lockFile() {
    return lockFile;
  }

  /** The pid of the process holding the lock, when it wrote one. */
  public OptionalLong holderPid() {
    return holderPid < 0 ? OptionalLong.empty() : OptionalLong.of(holderPid);
  }

  private static String message(Path lockFile, OptionalLong holderPid) {
    return "another run holds the project's lock "
        + lockFile
        + (holderPid.isPresent() ? " (pid " + holderPid.getAsLong() + ")" : "")
        + "; wait for it to finish or stop it";
  }
}
