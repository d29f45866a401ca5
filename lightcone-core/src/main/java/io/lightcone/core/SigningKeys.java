package io.lightcone.core;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.Environment;
import io.lightcone.core.internal.IoMessages;
import io.lightcone.core.internal.manifest.ManifestStore;
import io.lightcone.core.internal.manifest.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;

/**
 * The key that signs manifests ({@code lc keys init}, {@code lc keys show}). With a key, every
 * manifest Lightcone writes carries an Ed25519 signature; {@link Project#verify(VerifyOptions)}
 * with trusted keys then fails any output whose manifest is not signed by one of them.
 *
 * <pre>{@code
 * SigningKeys.Key key = SigningKeys.init(Optional.empty(), false);
 * Files.writeString(Path.of("team.keys"), key.publicLine() + "\n");
 * }</pre>
 */
public final class SigningKeys {
  private SigningKeys() {}

  /**
   * A signing key.
   *
   * @param file the private key file
   * @param publicLine {@code ed25519 <base64 public key> <comment>}, one line of a trusted-keys
   *     file
   */
  public record Key(Path file, String publicLine) {}

  /**
   * Makes a new key pair: the private key in {@code file}, else where manifests look for it ({@code
   * LIGHTCONE_SIGNING_KEY}, else {@code ~/.config/lightcone/signing-key}), mode 0600 in a directory
   * it creates with mode 0700; the public line beside it in {@code <file>.pub}.
   *
   * @param force replace a key that is there (manifests it signed then fail against the new key)
   * @throws LightconeException USER_INPUT when a key is there and {@code force} is false
   */
  public static Key init(Optional<Path> file, boolean force) {
    Environment environment = Environment.system();
    Path target = file.or(() -> SigningKey.location(environment)).orElseThrow(SigningKeys::noHome);
    Path dir = target.toAbsolutePath().getParent();
    SigningKey key = SigningKey.generate();
    String line = key.publicLine(comment(environment));
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      if (!force && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw exists(target);
      }
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, key.pem(), StandardCharsets.US_ASCII);
      if (force) {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        // A link, not a rename: it fails if another process made a key meanwhile.
        Files.createLink(target, tmp);
      }
      Files.writeString(target.resolveSibling(target.getFileName() + ".pub"), line + "\n");
      ManifestStore.syncDirectory(dir);
      return new Key(target, line);
    } catch (FileAlreadyExistsException e) {
      throw exists(target);
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot write the signing key " + IoMessages.plain(e),
          e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // Mode 0600 in the user's own directory: a leftover reveals nothing to others.
      }
    }
  }

  /**
   * The key manifests are signed with: {@code file}, else the configured one.
   *
   * @throws LightconeException USER_INPUT when there is none, naming where it was looked for
   */
  public static Key show(Optional<Path> file) {
    Environment environment = Environment.system();
    Path target = file.or(() -> SigningKey.location(environment)).orElseThrow(SigningKeys::noHome);
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          "no signing key at " + target + "; make one with lc keys init");
    }
    return new Key(target, SigningKey.load(target).publicLine(comment(environment)));
  }

  private static String comment(Environment environment) {
    return environment.variable("USER").orElse("lightcone") + "@" + environment.host();
  }

  private static LightconeException exists(Path target) {
    return new LightconeException(
        LightconeException.Kind.USER_INPUT,
        target
            + " already holds a signing key; keep it (lc keys show prints its public line), or"
            + " replace it with --force (manifests it signed then fail against the new key)");
  }

  private static LightconeException noHome() {
    return new LightconeException(
        LightconeException.Kind.ENVIRONMENT,
        "neither HOME nor XDG_CONFIG_HOME nor LIGHTCONE_SIGNING_KEY is set: name the key file");
  }
}
