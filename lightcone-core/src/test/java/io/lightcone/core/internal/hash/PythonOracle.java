package io.lightcone.core.internal.hash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code /usr/bin/python3} as the oracle for the formats that must match it byte for byte.
 * One process answers a whole batch: every value goes to its stdin as one JSON line, every answer
 * comes back as one line, so a property run costs one interpreter start, not one per example.
 *
 * <p>The values travel in an encoding that cannot hide a bug in the code under test: strings as
 * arrays of code points, doubles as their 64 bits in hex, never through {@link PyJson} or a JSON
 * string escape.
 */
public final class PythonOracle {
  /** What Python does with each value. */
  public enum Mode {
    /** {@code json.dumps(v, sort_keys=True, separators=(",", ":"))} */
    COMPACT,
    /** {@code json.dumps(v, sort_keys=True, indent=2)} */
    INDENT,
    /** {@code repr(v)} of a float; {@code json.dumps(v)} when it is not finite. */
    REPR
  }

  /**
   * Python's text for one value, and {@code "sha256:" + sha256(text.encode("utf-8")).hexdigest()}.
   */
  public record Answer(String text, String sha256) {}

  static final String PYTHON = "/usr/bin/python3";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final String SCRIPT =
      String.join(
          "\n",
          "import hashlib, json, math, struct, sys",
          "def dec(v):",
          "    if v is None: return None",
          "    (k, x), = v.items()",
          "    if k == 's': return ''.join(map(chr, x))",
          "    if k == 'f': return struct.unpack('>d', bytes.fromhex(x))[0]",
          "    if k in ('i', 'b'): return x",
          "    if k == 'm': return {dec(a): dec(b) for a, b in x}",
          "    if k == 'l': return [dec(e) for e in x]",
          "    raise ValueError(k)",
          "def answer(mode, v):",
          "    if mode == 'COMPACT': return json.dumps(v, sort_keys=True, separators=(',', ':'))",
          "    if mode == 'INDENT': return json.dumps(v, sort_keys=True, indent=2)",
          "    if mode == 'REPR': return repr(v) if math.isfinite(v) else json.dumps(v)",
          "    raise ValueError(mode)",
          "out = []",
          "for line in sys.stdin.read().splitlines():",
          "    req = json.loads(line)",
          "    text = answer(req['mode'], dec(req['value']))",
          "    digest = hashlib.sha256(text.encode('utf-8')).hexdigest()",
          "    out.append(json.dumps([text, 'sha256:' + digest]))",
          "sys.stdout.write(''.join(o + '\\n' for o in out))",
          "");

  private PythonOracle() {}

  /** Python's answers for {@code values}, in order, from one interpreter. */
  public static List<Answer> ask(Mode mode, List<?> values) throws IOException {
    StringBuilder in = new StringBuilder();
    for (Object v : values) {
      ObjectNode request = NODES.objectNode();
      request.put("mode", mode.name());
      request.set("value", encode(v));
      in.append(JSON.writeValueAsString(request)).append('\n');
    }
    Process p = new ProcessBuilder(PYTHON, "-c", SCRIPT).start();
    // Python reads all of stdin before it writes, so writing everything first cannot deadlock.
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write(in.toString().getBytes(StandardCharsets.US_ASCII));
    }
    String out;
    String err;
    try (InputStream stdout = p.getInputStream();
        InputStream stderr = p.getErrorStream()) {
      out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
      err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(PYTHON + " failed on the batch: " + err);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted waiting for " + PYTHON, e);
    }
    List<Answer> answers = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isEmpty()) {
        JsonNode a = JSON.readTree(line);
        answers.add(new Answer(a.get(0).textValue(), a.get(1).textValue()));
      }
    }
    if (answers.size() != values.size()) {
      throw new IOException(
          PYTHON + " answered " + answers.size() + " of " + values.size() + " values: " + err);
    }
    return answers;
  }

  private static JsonNode encode(Object v) {
    if (v == null) {
      return NODES.nullNode();
    }
    ObjectNode tagged = NODES.objectNode();
    if (v instanceof String s) {
      ArrayNode cps = tagged.putArray("s");
      s.codePoints().forEach(cps::add);
    } else if (v instanceof Double d) {
      tagged.put("f", String.format("%016x", Double.doubleToRawLongBits(d)));
    } else if (v instanceof Integer || v instanceof Long) {
      tagged.put("i", ((Number) v).longValue());
    } else if (v instanceof Boolean b) {
      tagged.put("b", b);
    } else if (v instanceof Map<?, ?> m) {
      ArrayNode pairs = tagged.putArray("m");
      for (Map.Entry<?, ?> e : m.entrySet()) {
        pairs.addArray().add(encode(e.getKey())).add(encode(e.getValue()));
      }
    } else if (v instanceof List<?> l) {
      ArrayNode items = tagged.putArray("l");
      l.forEach(e -> items.add(encode(e)));
    } else {
      throw new IllegalArgumentException("cannot send a " + v.getClass().getName() + " to Python");
    }
    return tagged;
  }
}
