package io.lightcone.core.internal.manifest;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.IoMessages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A trusted-keys file: one public key a line as {@code lc keys show} prints it ({@code ed25519
 * <base64> [comment]}), {@code #} comments and blank lines ignored.
 */
public final class TrustedKeys {
  private final String file;
  private final Map<String, SigningKey.PublicKey> keys;

  private TrustedKeys(String file, Map<String, SigningKey.PublicKey> keys) {
    this.file = file;
    this.keys = Map.copyOf(keys);
  }

  /**
   * @throws LightconeException naming the file and line of a line that is not a key
   */
  public static TrustedKeys read(Path file) {
    String text;
    try {
      text = new String(ManifestStore.readAtMost(file, 1 << 20), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          "cannot read the trusted keys " + IoMessages.plain(e),
          e);
    }
    return parse(file.toString(), text);
  }

  static TrustedKeys parse(String file, String text) {
    Map<String, SigningKey.PublicKey> keys = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] words = line.split("\\s+", 3);
      try {
        if (words.length < 2 || !words[0].equals(SigningKey.ALG)) {
          throw new IllegalArgumentException("it does not start with 'ed25519 '");
        }
        keys.put(words[1], SigningKey.publicKey(Base64.getDecoder().decode(words[1])));
      } catch (IllegalArgumentException e) {
        throw new LightconeException(
            LightconeException.Kind.USER_INPUT,
            file
                + ":"
                + (i + 1)
                + ": not a public key line ("
                + e.getMessage()
                + "); write it as lc keys show prints it: ed25519 <base64> [comment]");
      }
    }
    if (keys.isEmpty()) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          file + ": no key in it; add lines as lc keys show prints them");
    }
    return new TrustedKeys(file, keys);
  }

  int size() {
    return keys.size();
  }

  /** Why the manifest {@code text} is not signed by one of these keys, or empty when it is. */
  public Optional<String> check(String text) {
    ManifestSignature.Check c = ManifestSignature.check(text);
    if (c instanceof ManifestSignature.Unsigned) {
      return Optional.of("the manifest is not signed");
    }
    if (c instanceof ManifestSignature.Malformed m) {
      return Optional.of("the manifest's signature cannot be read: " + m.reason());
    }
    ManifestSignature.Signed s = (ManifestSignature.Signed) c;
    SigningKey.PublicKey key = keys.get(s.key());
    if (key == null) {
      return Optional.of("signed by a key not in " + file + " (ed25519 " + s.key() + ")");
    }
    if (!SigningKey.verify(key, s.message(), s.value())) {
      return Optional.of(
          "the signature does not match the manifest (it was changed after signing)");
    }
    return Optional.empty();
  }
}
