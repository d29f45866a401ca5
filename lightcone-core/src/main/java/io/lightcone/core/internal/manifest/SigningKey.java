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
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * An Ed25519 key pair that signs manifests, with the JDK's own Ed25519 (no dependency). On disk the
 * private key is a PEM {@code PRIVATE KEY} (PKCS #8, as {@code openssl genpkey -algorithm ed25519}
 * writes it), mode 0600; the public key is shown as one line {@code ed25519 <base64 of the 32 raw
 * bytes> <comment>}, the line a trusted-keys file holds.
 */
public final class SigningKey {
  /** The algorithm word of public key lines and of a manifest's signature. */
  public static final String ALG = "ed25519";

  /** Where {@code lc keys init} puts the key when nothing else is named. */
  public static final String DEFAULT_NAME = "signing-key";

  // The DER prefix of an Ed25519 SubjectPublicKeyInfo: the 32 raw key bytes follow it.
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private final PrivateKey privateKey;
  private final byte[] publicKey;

  private SigningKey(PrivateKey privateKey, byte[] publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey.clone();
  }

  /** A new random key pair. */
  public static SigningKey generate() {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    return fromSeed(seed);
  }

  /**
   * The key pair of a 32-byte seed (RFC 8032's private key): the JDK derives the public key only
   * when it generates a pair, so the seed is handed to its generator as its randomness.
   */
  public static SigningKey fromSeed(byte[] seed) {
    if (seed.length != 32) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, not " + seed.length);
    }
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      g.initialize(255, new FixedSeed(seed));
      KeyPair pair = g.generateKeyPair();
      byte[] x509 = pair.getPublic().getEncoded();
      return new SigningKey(pair.getPrivate(), Arrays.copyOfRange(x509, X509_PREFIX.length, 44));
    } catch (GeneralSecurityException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT, "this Java has no Ed25519: " + e.getMessage(), e);
    }
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
  public byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new LightconeException(
          LightconeException.Kind.INTERNAL, "cannot sign: " + e.getMessage(), e);
    }
  }

  /**
   * The JDK key of 32 raw public key bytes.
   *
   * @throws IllegalArgumentException when they are not an Ed25519 public key
   */
  public static PublicKey publicKey(byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + raw.length);
    }
    byte[] x509 = Arrays.copyOf(X509_PREFIX, 44);
    System.arraycopy(raw, 0, x509, X509_PREFIX.length, 32);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }

  /** Whether {@code signature} is {@code key}'s signature of {@code message}. */
  public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    if (signature.length != 64) {
      return false;
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The private key as PEM text. */
  public String pem() {
    String body =
        Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(privateKey.getEncoded());
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
      PrivateKey key =
          KeyFactory.getInstance("Ed25519")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
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
  public static Optional<Path> configDirectory(Environment environment) {
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

  /** Randomness that is the seed: makes the JDK's generator derive the pair of a given key. */
  private static final class FixedSeed extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    FixedSeed(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("the generator asked for " + bytes.length + " bytes");
      }
      System.arraycopy(seed, 0, bytes, 0, bytes.length);
    }
  }
}
