package io.lightcone;

/**
 * Base of every exception Lightcone throws. Each carries a {@link Kind}, so a caller (the CLI, a
 * notebook, another tool) can tell a mistake in the user's input from a missing tool or a bug.
 *
 * <pre>{@code
 * try { Project.load(dir); } catch (LightconeException e) { System.err.println(e.kind() + ": " + e.getMessage()); }
 * }</pre>
 */
public class LightconeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure this is; decides the CLI's exit code. */
  public enum Kind {
    /** The project, a universe or an argument is wrong; the user can fix it. */
    USER_INPUT,
    /** A tool, file permission or service of the machine is missing or broken. */
    ENVIRONMENT,
    /** An output or manifest does not match what produced it. */
    INTEGRITY,
    /** The work was interrupted (Ctrl-C, cancellation). */
    INTERRUPTED,
    /** A bug in Lightcone. */
    INTERNAL
  }

  private final Kind kind;

  public LightconeException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public LightconeException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
