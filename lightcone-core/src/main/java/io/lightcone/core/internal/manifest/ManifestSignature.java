package io.lightcone.core.internal.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lightcone.core.internal.hash.PyJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signature of a manifest: an additive field {@code "signature": {"alg": "ed25519", "key":
 * <base64 public key>, "value": <base64 signature>}} over the manifest's canonical bytes. Readers
 * that do not know it (lightcone-cli) ignore it, as they ignore every additive field.
 *
 * <p>The canonical bytes are the one formula here ({@link #canonical}): every field of the
 * manifest's JSON object but {@code signature}, whatever fields it has (fields added later are
 * covered without a change here), as compact JSON with sorted keys ({@link PyJson#compact}), UTF-8.
 */
public final class ManifestSignature {
  static final String FIELD = "signature";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  private ManifestSignature() {}

  /**
   * What is signed: every field of {@code manifest} but {@code signature}, as {@code json.dumps(m,
   * sort_keys=True, separators=(",", ":"))} writes it, in UTF-8 (all non-ASCII is escaped, so the
   * bytes are ASCII).
   */
  static byte[] canonical(Map<String, Object> manifest) {
    Map<String, Object> signed = new LinkedHashMap<>(manifest);
    signed.remove(FIELD);
    return PyJson.compact(signed).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code manifestJson} (as {@link ManifestCodec#write} writes it) with its signature by key. */
  static String sign(String manifestJson, SigningKey key) {
    return sign(tree(manifestJson), key);
  }

  /**
   * The file text of the manifest {@code tree} (as {@link ManifestCodec#tree} builds it, or as read
   * back from its text: the same bytes either way) with its signature by {@code key}.
   */
  static String sign(Map<String, Object> tree, SigningKey key) {
    tree = new LinkedHashMap<>(tree);
    byte[] value = key.sign(canonical(tree));
    Map<String, Object> signature = new LinkedHashMap<>();
    signature.put("alg", SigningKey.ALG);
    signature.put("key", key.publicKey());
    signature.put("value", Base64.getEncoder().encodeToString(value));
    tree.put(FIELD, signature);
    return PyJson.indented(tree);
  }

  /** What a manifest's text says of its signature. */
  public sealed interface Check permits Unsigned, Signed, Malformed {}

  record Unsigned() implements Check {}

  /**
   * @param key the public key the manifest names, base64 (not yet trusted: see {@link
   *     TrustedKeys#check})
   * @param message the canonical bytes
   * @param value the signature's bytes
   */
  public record Signed(String key, byte[] message, byte[] value) implements Check {}

  record Malformed(String reason) implements Check {}

  /** Reads the signature of a manifest's text; never throws. */
  public static Check check(String manifestJson) {
    Map<String, Object> tree;
    try {
      tree = tree(manifestJson);
    } catch (IllegalArgumentException e) {
      return new Malformed(e.getMessage());
    }
    Object s = tree.get(FIELD);
    if (s == null) {
      return new Unsigned();
    }
    if (!(s instanceof Map<?, ?> m)
        || !SigningKey.ALG.equals(m.get("alg"))
        || !(m.get("key") instanceof String key)
        || !(m.get("value") instanceof String value)) {
      return new Malformed(
          "its signature is not {\"alg\": \"ed25519\", \"key\": <base64>, \"value\": <base64>}");
    }
    try {
      return new Signed(key, canonical(tree), Base64.getDecoder().decode(value));
    } catch (IllegalArgumentException e) {
      return new Malformed("its signature value is not base64");
    }
  }

  /**
   * The value of {@code node} as maps, lists, strings, booleans, numbers and null: what Jackson's
   * {@code convertValue} to an untyped map gives (integers as Integer, Long or BigInteger by size,
   * floats as Double), without its round trip through a token buffer for every manifest checked.
   */
  private static Object plain(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), plain(e.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>(node.size());
      node.forEach(n -> out.add(plain(n)));
      return out;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      return node.numberValue();
    }
    if (node.isNull()) {
      return null;
    }
    throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
  }

  private static Map<String, Object> tree(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> tree = (Map<String, Object>) plain(root);
      return tree;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
