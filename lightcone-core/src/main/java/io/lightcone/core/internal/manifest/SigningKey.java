package io.lightcone.core.internal.manifest;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.Environment;
import io.lightcone.core.internal.IoMessages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair that signs manifests. The arithmetic is Bouncy Castle's RFC 8032 code: the
 * JDK 17's own Ed25519 took 1–5 ms per signature or check (a run signs every manifest, {@code lc
 * verify --trusted-keys} checks every one), Bouncy Castle's takes a tenth of that, and Ed25519 is
 * deterministic, so the signatures are the same bytes either way. On disk the private key is a PEM
 * {@code PRIVATE KEY} (PKCS #8, as {@code openssl genpkey -algorithm ed25519} writes it), mode
 * 0600; the public key is shown as one line {@code ed25519 <base64 of the 32 raw bytes> <comment>},
 * the line a trusted-keys file holds.
 */
public final class SigningKey {
  /** The algorithm word of public key lines and of a manifest's signature. */
  static final String ALG = "ed25519";

  /** Where {@code lc keys init} puts the key when nothing else is named. */
  static final String DEFAULT_NAME = "signing-key";

  // The DER prefix of an Ed25519 PKCS #8 PrivateKeyInfo (RFC 8410): the 32-byte seed follows it.
  private static final byte[] PKCS8_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
  };

  private final byte[] seed;
  private final byte[] publicKey;

  private SigningKey(byte[] seed, byte[] publicKey) {
    this.seed = seed.clone();
    this.publicKey = publicKey.clone();
  }

  /** A new random key pair. */
  public static SigningKey generate() {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    return fromSeed(seed);
  }

  /** The key pair of a 32-byte seed (RFC 8032's private key). */
  public static SigningKey fromSeed(byte[] seed) {
    if (seed.length != Ed25519.SECRET_KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, not " + seed.length);
    }
    byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    return new SigningKey(seed, publicKey);
  }

  /** Public key bytes, base64: the {@code key} of a signature and the middle of a key line. */
  public String publicKey() {
    return Base64.getEncoder().encodeToString(publicKey);
  }

  /** The line to paste into a trusted-keys file. */
  public String publicLine(String comment) {
    return ALG + " " + publicKey() + (comment.isBlank() ? "" : " " + comment.strip());
  }

  /** The Ed25519 signature of {@code message} (deterministic: the same bytes every time). */
  byte[] sign(byte[] message) {
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  /**
   * An Ed25519 public key of 32 raw bytes, checked to be a point of the curve.
   *
   * @throws IllegalArgumentException when they are not an Ed25519 public key
   */
  static PublicKey publicKey(byte[] raw) {
    if (raw.length != Ed25519.PUBLIC_KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + raw.length);
    }
    // The full check (on the curve, in the prime-order subgroup) also yields the decoded point,
    // so that a verify does not decode the key again (a square root) for every manifest.
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(raw, 0);
    if (point == null) {
      throw new IllegalArgumentException("not an Ed25519 public key");
    }
    return new PublicKey(point);
  }

  /** Whether {@code signature} is {@code key}'s signature of {@code message}. */
  static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    return signature.length == Ed25519.SIGNATURE_SIZE
        && Ed25519.verify(signature, 0, key.point, message, 0, message.length);
  }

  /** A checked Ed25519 public key, decoded once. */
  static final class PublicKey {
    private final Ed25519.PublicPoint point;

    private PublicKey(Ed25519.PublicPoint point) {
      this.point = point;
    }
  }

  private byte[] pkcs8() {
    byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + seed.length);
    System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, seed.length);
    return der;
  }

  /** The private key as PEM text. */
  public String pem() {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8());
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
  }

  /**
   * Reads a private key file. It must be readable by its owner only, as ssh demands of its keys: a
   * key others can read signs for them too.
   *
   * @throws LightconeException naming the file and what to do
   */
  public static SigningKey load(Path file) {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (mode.stream().anyMatch(p -> !p.name().startsWith("OWNER"))) {
        throw new LightconeException(
            LightconeException.Kind.USER_INPUT,
            file
                + ": the signing key is open to other users (mode "
                + java.nio.file.attribute.PosixFilePermissions.toString(mode)
                + "); run chmod 600 "
                + file);
      }
      String text =
          new String(ManifestStore.readAtMost(file, 64 * 1024), StandardCharsets.US_ASCII);
      String body =
          text.replace("-----BEGIN PRIVATE KEY-----", "")
              .replace("-----END PRIVATE KEY-----", "")
              .replaceAll("\\s", "");
      byte[] der = Base64.getDecoder().decode(body);
      // The form lc keys init and openssl write is a fixed prefix and the seed: read here, since
      // the JDK's key factory costs 0.1-0.3 s to start (once per lc run, 0.1 ms or more per task
      // of a short run). Any other PKCS #8 form goes through the JDK as before.
      if (der.length == PKCS8_PREFIX.length + Ed25519.SECRET_KEY_SIZE
          && Arrays.equals(der, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0, PKCS8_PREFIX.length)) {
        return fromSeed(Arrays.copyOfRange(der, PKCS8_PREFIX.length, der.length));
      }
      java.security.PrivateKey key =
          KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
      byte[] seed = ((EdECPrivateKey) key).getBytes().orElseThrow();
      return fromSeed(seed);
    } catch (NoSuchFileException e) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          file + ": no signing key there; make one with lc keys init",
          e);
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot read the signing key " + IoMessages.plain(e),
          e);
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          file
              + ": not an Ed25519 private key in PEM (PKCS #8); make one with lc keys init"
              + " (or openssl genpkey -algorithm ed25519)",
          e);
    }
  }

  /**
   * Where this environment's key is: {@code LIGHTCONE_SIGNING_KEY}, else {@code signing-key} in
   * {@code $XDG_CONFIG_HOME/lightcone} (by default {@code ~/.config/lightcone}).
   */
  public static Optional<Path> location(Environment environment) {
    return environment
        .variable("LIGHTCONE_SIGNING_KEY")
        .map(Path::of)
        .or(() -> configDirectory(environment).map(d -> d.resolve(DEFAULT_NAME)));
  }

  /** {@code $XDG_CONFIG_HOME/lightcone}, else {@code $HOME/.config/lightcone}. */
  static Optional<Path> configDirectory(Environment environment) {
    return environment
        .variable("XDG_CONFIG_HOME")
        .map(Path::of)
        .or(() -> environment.variable("HOME").map(h -> Path.of(h, ".config")))
        .map(d -> d.resolve("lightcone"));
  }

  /**
   * The key manifests are signed with: the one {@code LIGHTCONE_SIGNING_KEY} names (it must exist),
   * else the default one when it exists, else none (manifests are not signed).
   */
  public static Optional<SigningKey> configured(Environment environment) {
    Optional<String> named = environment.variable("LIGHTCONE_SIGNING_KEY");
    if (named.isPresent()) {
      return Optional.of(load(Path.of(named.get())));
    }
    Optional<Path> file = location(environment);
    if (file.isEmpty() || !Files.exists(file.get(), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(load(file.get()));
  }
}
