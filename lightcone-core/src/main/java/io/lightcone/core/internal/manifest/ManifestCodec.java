package io.lightcone.core.internal.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lightcone.Manifest;
import io.lightcone.core.internal.hash.PyJson;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Manifest JSON, byte for byte as the Python tool writes it ({@code json.dumps(m, sort_keys=True,
 * indent=2)}, no trailing newline). Reading ignores unknown fields and reports a document that is
 * not a schema-1 manifest with the reason, never an exception.
 */
final class ManifestCodec {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          // readTree stops after the first value; a torn or doubled write must not pass.
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // json.dumps writes NaN and Infinity; they are read so that the error says which field
          // holds one (a time that is not finite dates a run to 1970), not that the JSON is bad.
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          // Correctly rounded like Double.parseDouble, without its BigInteger slow path for the
          // 16-17 digit timestamps every manifest holds.
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .build();

  private ManifestCodec() {}

  public static String write(Manifest m) {
    return PyJson.indented(tree(m));
  }

  /** The JSON object {@link #write} writes, as a map (a signature is made over it). */
  static Map<String, Object> tree(Manifest m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("schema_version", m.schemaVersion());
    out.put("output_id", m.outputId());
    out.put("universe_id", m.universeId());
    out.put("code_version", m.codeVersion());
    out.put("data_version", m.dataVersion());
    out.put("container_image", m.containerImage().orElse(null));
    out.put("recipe", m.recipe());
    out.put("decisions", new LinkedHashMap<>(m.decisions()));
    out.put("input_versions", new LinkedHashMap<>(m.inputVersions()));
    out.put("git_sha", m.gitSha().orElse(null));
    out.put("git_remote", m.gitRemote().orElse(null));
    out.put("lc_version", m.lcVersion());
    out.put("finished_at", m.finishedAt());
    out.put("host", m.host());
    out.put("slurm_job_id", m.slurmJobId().orElse(null));
    out.put("worker_image", m.workerImage().orElse(null));
    m.treeVersion().ifPresent(v -> out.put("tree_version", v));
    m.imageIdentity().ifPresent(v -> out.put("image_identity", v));
    m.containerRuntime().ifPresent(v -> out.put("container_runtime", v));
    m.startedAt().ifPresent(v -> out.put("started_at", v));
    m.substrate().ifPresent(v -> out.put("substrate", v));
    m.restoredFromCache().ifPresent(v -> out.put("restored_from_cache", v));
    if (!m.codeFiles().isEmpty()) {
      out.put("code_files", new LinkedHashMap<>(m.codeFiles()));
    }
    m.sandbox().ifPresent(v -> out.put("sandbox", sandbox(v)));
    return out;
  }

  /** A parsed manifest, or why the text is not one. */
  public sealed interface Parsed permits Valid, Invalid {}

  public record Valid(Manifest manifest) implements Parsed {}

  record Invalid(String reason) implements Parsed {}

  public static Parsed parse(String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return new Invalid("not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      return new Invalid("not a JSON object");
    }
    try {
      JsonNode version = root.get("schema_version");
      if (version == null || !version.isIntegralNumber()) {
        throw new Bad("'schema_version' is missing or not an integer");
      }
      // asInt() keeps only the low 32 bits: 4294967297 would pass for 1.
      if (!version.canConvertToInt() || version.asInt() != Manifest.SCHEMA_VERSION) {
        throw new Bad(
            "schema_version " + version.asText() + " is not supported (this Lightcone reads 1)");
      }
      Manifest.Builder b =
          Manifest.builder()
              .schemaVersion(version.asInt())
              .outputId(string(root, "output_id"))
              .universeId(string(root, "universe_id"))
              .codeVersion(string(root, "code_version"))
              .dataVersion(string(root, "data_version"))
              .recipe(string(root, "recipe"))
              .putAllDecisions(strings(root, "decisions"))
              .putAllInputVersions(strings(root, "input_versions"))
              .lcVersion(string(root, "lc_version"))
              .finishedAt(number(root, "finished_at"))
              .host(string(root, "host"));
      nullable(root, "container_image").ifPresent(b::containerImage);
      nullable(root, "git_sha").ifPresent(b::gitSha);
      nullable(root, "git_remote").ifPresent(b::gitRemote);
      nullable(root, "slurm_job_id").ifPresent(b::slurmJobId);
      nullable(root, "worker_image").ifPresent(b::workerImage);
      nullable(root, "tree_version").ifPresent(b::treeVersion);
      nullable(root, "image_identity").ifPresent(b::imageIdentity);
      nullable(root, "container_runtime").ifPresent(b::containerRuntime);
      nullable(root, "substrate").ifPresent(b::substrate);
      optional(root, "started_at", ManifestCodec::finite, "a finite number")
          .ifPresent(n -> b.startedAt(n.asDouble()));
      optional(root, "restored_from_cache", JsonNode::isBoolean, "a boolean")
          .ifPresent(n -> b.restoredFromCache(n.asBoolean()));
      if (root.hasNonNull("code_files")) {
        b.putAllCodeFiles(strings(root, "code_files"));
      }
      optional(root, "sandbox", JsonNode::isObject, "an object")
          .ifPresent(n -> b.sandbox(sandbox(n)));
      return new Valid(b.build());
    } catch (Bad e) {
      return new Invalid(e.getMessage());
    }
  }

  /** The additive {@code sandbox} field: {@code {"mode", "network", "tool"}}. */
  private static Map<String, Object> sandbox(Manifest.Sandbox s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", s.mode());
    out.put("network", s.network());
    out.put("tool", s.tool());
    return out;
  }

  private static Manifest.Sandbox sandbox(JsonNode n) {
    JsonNode network = n.get("network");
    if (network == null || !network.isBoolean()) {
      throw new Bad("'sandbox.network' is " + (network == null ? "missing" : "not a boolean"));
    }
    try {
      return new Manifest.Sandbox(string(n, "tool"), string(n, "mode"), network.asBoolean());
    } catch (Bad e) {
      throw new Bad("'sandbox." + e.getMessage().substring(1));
    }
  }

  private static String string(JsonNode root, String key) {
    JsonNode n = root.get(key);
    if (n == null || !n.isTextual()) {
      throw new Bad("'" + key + "' is " + (n == null ? "missing" : "not a string"));
    }
    return n.asText();
  }

  private static Optional<String> nullable(JsonNode root, String key) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isTextual()) {
      throw new Bad("'" + key + "' is not a string or null");
    }
    return Optional.of(n.asText());
  }

  /** An additive field: absent or null is empty; any other type than {@code type} is Bad. */
  private static Optional<JsonNode> optional(
      JsonNode root, String key, Predicate<JsonNode> type, String typeName) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!type.test(n)) {
      throw new Bad("'" + key + "' is not " + typeName + " or null");
    }
    return Optional.of(n);
  }

  private static double number(JsonNode root, String key) {
    JsonNode n = root.get(key);
    if (n == null || !n.isNumber()) {
      throw new Bad("'" + key + "' is " + (n == null ? "missing" : "not a number"));
    }
    if (!finite(n)) {
      throw new Bad("'" + key + "' is " + n.asText() + ", not a finite number");
    }
    return n.asDouble();
  }

  private static boolean finite(JsonNode n) {
    return n.isNumber() && Double.isFinite(n.asDouble());
  }

  private static Map<String, String> strings(JsonNode root, String key) {
    JsonNode n = root.get(key);
    if (n == null || !n.isObject()) {
      throw new Bad("'" + key + "' is " + (n == null ? "missing" : "not an object"));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new Bad("'" + key + "." + e.getKey() + "' is not a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static final class Bad extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Bad(String message) {
      super(message, null, false, false);
    }
  }
}
