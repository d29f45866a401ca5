package io.lightcone.spi;

import io.lightcone.LightconeException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Directories only this user can write, for the code and credentials a substrate hands to the
 * processes it starts (scripts, hooks, TLS keys): a file another user could write or replace there
 * would run as us. A directory is used only when it is a real directory (not a symbolic link),
 * owned by this process's user, and writable by nobody else; otherwise the caller gets a one-line
 * error naming it and what to do.
 *
 * <pre>{@code
 * Path root = PrivateDirectories.ensure(project.resolve(".lightcone/dask"));
 * Path run = PrivateDirectories.createTemp(root, "run-");
 * }</pre>
 */
public final class PrivateDirectories {
  /** {@code rwx------}. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  private static final Set<PosixFilePermission> OTHERS_WRITE =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private PrivateDirectories() {}

  /**
   * {@code dir}, created mode 0700 (with missing parents, which get the process's default mode)
   * when missing, else checked: a directory, ours, that no one else can write; one that others can
   * only read or enter (made by an older Lightcone, or with a default umask) is narrowed to 0700.
   *
   * @throws LightconeException of kind ENVIRONMENT when it cannot be created or is not private
   */
  public static Path ensure(Path dir) {
    try {
      Files.createDirectories(dir.getParent());
      Files.createDirectory(dir, attribute());
      Files.setPosixFilePermissions(dir, OWNER_ONLY); // whatever the umask did
    } catch (FileAlreadyExistsException e) {
      check(dir, false); // nothing anyone else could have put there: it may be narrowed
      try {
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
      } catch (IOException notOurs) {
        // check() below says what is wrong.
      }
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot create the private directory " + dir + ": " + e.getMessage(),
          e);
    }
    return check(dir, true);
  }

  /**
   * A new directory under {@code root} (which must be private, see {@link #ensure}) with an
   * unpredictable name starting with {@code prefix}, mode 0700.
   *
   * @throws LightconeException of kind ENVIRONMENT when it cannot be created
   */
  public static Path createTemp(Path root, String prefix) {
    check(root, true);
    try {
      Path dir = Files.createTempDirectory(root, prefix, attribute());
      Files.setPosixFilePermissions(dir, OWNER_ONLY);
      return dir;
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot create a private directory under " + root + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * {@code dir} when it is a directory (not a link) owned by this process's user that no one else
   * can write; with {@code exact}, that no one else can read or enter either (mode 0700).
   *
   * @throws LightconeException of kind ENVIRONMENT otherwise, naming the directory, its owner and
   *     mode, and what to do
   */
  public static Path check(Path dir, boolean exact) {
    PosixFileAttributes a;
    UserPrincipal me;
    try {
      a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      me = currentUser();
    } catch (IOException | UnsupportedOperationException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot check the private directory " + dir + ": " + e.getMessage(),
          e);
    }
    String mode = PosixFilePermissions.toString(a.permissions());
    if (!a.isDirectory()) {
      throw refuse(dir, "is not a directory (a link or a file)", "remove it");
    }
    if (!a.owner().equals(me)) {
      throw refuse(
          dir,
          "belongs to " + a.owner().getName() + ", not to " + me.getName(),
          "remove it or run as its owner");
    }
    boolean open =
        exact
            ? !a.permissions().equals(OWNER_ONLY)
            : a.permissions().stream().anyMatch(OTHERS_WRITE::contains);
    if (open) {
      throw refuse(
          dir,
          "has mode " + mode + ", " + (exact ? "not rwx------" : "writable by others"),
          "chmod " + (exact ? "700" : "go-w") + " " + dir);
    }
    return dir;
  }

  /**
   * Writes {@code bytes} to the new file {@code file} (it must not exist), mode 0600, or 0700 when
   * {@code executable}; the file is created with that mode, never wider for an instant.
   */
  public static Path write(Path file, byte[] bytes, boolean executable) throws IOException {
    Set<PosixFilePermission> mode =
        PosixFilePermissions.fromString(executable ? "rwx------" : "rw-------");
    Files.createFile(file, PosixFilePermissions.asFileAttribute(mode));
    Files.write(file, bytes, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    return file;
  }

  private static LightconeException refuse(Path dir, String what, String todo) {
    return new LightconeException(
        LightconeException.Kind.ENVIRONMENT,
        dir
            + " "
            + what
            + ": Lightcone keeps the code and keys it runs only where no one else"
            + " can write; "
            + todo);
  }

  /** The user this process runs as: the owner of its own /proc entry (Linux). */
  private static UserPrincipal currentUser() throws IOException {
    return Files.getOwner(Path.of("/proc/self"));
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute() {
    return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
  }
}
