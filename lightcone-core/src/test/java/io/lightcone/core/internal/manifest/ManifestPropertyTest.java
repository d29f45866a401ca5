package io.lightcone.core.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.LightconeException;
import io.lightcone.Manifest;
import io.lightcone.core.internal.hash.Generate;
import io.lightcone.core.internal.hash.PythonOracle;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests over generated values (DESIGN §3): the codec round-trips byte for byte and writes what
 * Python's {@code json.dumps(m, sort_keys=True, indent=2)} writes; the store round-trips; anything
 * that is not a schema-1 manifest reads as {@code Invalid} with a reason, never as an exception; a
 * manifest that cannot be read is an error, never {@code Missing}. Seeds are fixed ({@link
 * Generate#SEED}); every failure names its seed and example.
 */
class ManifestPropertyTest {
  /**
   * Reads and writes damaged documents: ASCII out, so that lone surrogates survive as escapes, and
   * NaN and Infinity as the bare tokens Python writes.
   */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @TempDir Path tmp;

  static Manifest generate(Random r) {
    Manifest.Builder b =
        Manifest.builder()
            .outputId(Generate.text(r, 12))
            .universeId(Generate.text(r, 12))
            .codeVersion(version(r))
            .dataVersion(r.nextInt(8) == 0 ? Generate.text(r, 10) : version(r))
            .recipe(Generate.text(r, 60))
            .lcVersion(r.nextBoolean() ? "0.4.0" : Generate.text(r, 8))
            .finishedAt(time(r))
            .host(Generate.text(r, 16));
    for (int n = r.nextInt(5); n > 0; n--) {
      b.putDecision(Generate.key(r, 10), Generate.text(r, 10));
    }
    for (int n = r.nextInt(5); n > 0; n--) {
      b.putInputVersion(
          Generate.key(r, 10),
          switch (r.nextInt(4)) {
            case 0 -> "missing";
            case 1 -> "mtime-size:" + Math.abs(r.nextLong()) + "-" + r.nextInt(Integer.MAX_VALUE);
            case 2 -> version(r);
            default -> Generate.text(r, 20);
          });
    }
    if (r.nextBoolean()) {
      b.containerImage(Generate.text(r, 20));
    }
    if (r.nextBoolean()) {
      b.gitSha(HexFormat.of().formatHex(Generate.bytes(r, 20)));
    }
    if (r.nextBoolean()) {
      b.gitRemote(Generate.text(r, 30));
    }
    if (r.nextBoolean()) {
      b.slurmJobId(Integer.toString(r.nextInt(10_000_000)));
    }
    if (r.nextBoolean()) {
      b.workerImage(Generate.text(r, 20));
    }
    if (r.nextBoolean()) {
      b.treeVersion(version(r));
    }
    if (r.nextBoolean()) {
      b.imageIdentity(Generate.text(r, 20));
    }
    if (r.nextBoolean()) {
      b.startedAt(time(r));
    }
    if (r.nextBoolean()) {
      b.substrate(Generate.text(r, 10));
    }
    if (r.nextBoolean()) {
      b.restoredFromCache(r.nextBoolean());
    }
    if (r.nextBoolean()) {
      b.containerRuntime(r.nextBoolean() ? "none" : Generate.text(r, 10));
    }
    return b.build();
  }

  private static double finite(double d) {
    return Double.isFinite(d) ? d : Double.MAX_VALUE;
  }

  private static String version(Random r) {
    return "sha256:" + HexFormat.of().formatHex(Generate.bytes(r, 32));
  }

  /** Mostly a {@code time.time()}; sometimes any finite double (others are invalid). */
  private static double time(Random r) {
    return switch (r.nextInt(12)) {
      case 0, 1, 2, 3, 4 -> finite(Generate.extremeDouble(r));
      default -> Generate.timestamp(r);
    };
  }

  /** The dict the Python tool dumps, from the field names of DESIGN §3, not from the codec. */
  static Map<String, Object> asPython(Manifest m) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("schema_version", m.schemaVersion());
    d.put("output_id", m.outputId());
    d.put("universe_id", m.universeId());
    d.put("code_version", m.codeVersion());
    d.put("data_version", m.dataVersion());
    d.put("container_image", m.containerImage().orElse(null));
    d.put("recipe", m.recipe());
    d.put("decisions", m.decisions());
    d.put("input_versions", m.inputVersions());
    d.put("git_sha", m.gitSha().orElse(null));
    d.put("git_remote", m.gitRemote().orElse(null));
    d.put("lc_version", m.lcVersion());
    d.put("finished_at", m.finishedAt());
    d.put("host", m.host());
    d.put("slurm_job_id", m.slurmJobId().orElse(null));
    d.put("worker_image", m.workerImage().orElse(null));
    m.treeVersion().ifPresent(v -> d.put("tree_version", v));
    m.imageIdentity().ifPresent(v -> d.put("image_identity", v));
    m.containerRuntime().ifPresent(v -> d.put("container_runtime", v));
    m.startedAt().ifPresent(v -> d.put("started_at", v));
    m.substrate().ifPresent(v -> d.put("substrate", v));
    m.restoredFromCache().ifPresent(v -> d.put("restored_from_cache", v));
    return d;
  }

  @Test
  void codec_writeParseWrite_isByteIdentical() {
    Random r = Generate.random("manifest-roundtrip");
    for (int i = 0; i < 400; i++) {
      Manifest m = generate(r);
      String text = ManifestCodec.write(m);
      ManifestCodec.Parsed parsed = ManifestCodec.parse(text);
      String example = "seed " + Generate.SEED + ", example " + i + ":\n" + text;
      assertThat(parsed).as(example).isEqualTo(new ManifestCodec.Valid(m));
      assertThat(ManifestCodec.write(((ManifestCodec.Valid) parsed).manifest()))
          .as(example)
          .isEqualTo(text);
    }
  }

  @Test
  void codec_writesWhatPythonJsonDumpsWrites() throws IOException {
    Random r = Generate.random("manifest-python");
    List<Manifest> cases = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      cases.add(generate(r));
    }
    List<PythonOracle.Answer> python =
        PythonOracle.ask(
            PythonOracle.Mode.INDENT, cases.stream().map(ManifestPropertyTest::asPython).toList());
    for (int i = 0; i < cases.size(); i++) {
      assertThat(ManifestCodec.write(cases.get(i)))
          .as("seed %d, example %d: %s", Generate.SEED, i, cases.get(i))
          .isEqualTo(python.get(i).text());
    }
  }

  @Test
  void store_writeThenRead_roundTrips() throws IOException {
    Random r = Generate.random("manifest-store");
    Path dir = Files.createDirectories(tmp.resolve("out"));
    // Fewer than elsewhere: each write fsyncs twice, and the codec has its own 400 examples.
    for (int i = 0; i < 60; i++) {
      Manifest m = generate(r);
      String example = "seed " + Generate.SEED + ", example " + i + ": " + m;
      ManifestStore.write(dir, m); // over the previous one: replacing is the common case
      assertThat(ManifestStore.read(dir)).as(example).isEqualTo(new ManifestStore.Present(m));
      assertThat(Files.readString(dir.resolve(ManifestStore.FILE)))
          .as(example)
          .isEqualTo(ManifestCodec.write(m));
      try (Stream<Path> left = Files.list(dir)) {
        assertThat(left).as("no temporary file left, " + example).hasSize(1);
      }
    }
  }

  /** Ways a manifest file can be broken, each of which must read as {@code Invalid}. */
  enum Damage {
    TRUNCATED,
    NOT_UTF8,
    WRONG_TYPE,
    MISSING_FIELD,
    SCHEMA_VERSION,
    TRAILING_DATA,
    NOT_AN_OBJECT
  }

  private static final List<String> STRINGS =
      List.of(
          "output_id",
          "universe_id",
          "code_version",
          "data_version",
          "recipe",
          "lc_version",
          "host");
  private static final List<String> NULLABLE_STRINGS =
      List.of(
          "container_image",
          "git_sha",
          "git_remote",
          "slurm_job_id",
          "worker_image",
          "tree_version",
          "image_identity",
          "container_runtime",
          "substrate");
  private static final List<String> STRING_MAPS = List.of("decisions", "input_versions");

  @Test
  void store_damagedFile_readsInvalidWithReason_neverThrows() throws IOException {
    Random r = Generate.random("manifest-damage");
    Path dir = Files.createDirectories(tmp.resolve("out"));
    for (int i = 0; i < 350; i++) {
      Manifest m = generate(r);
      Damage damage = Damage.values()[i % Damage.values().length];
      byte[] good = ManifestCodec.write(m).getBytes(StandardCharsets.UTF_8);
      Broken broken = damage(damage, good, r);
      Files.write(dir.resolve(ManifestStore.FILE), broken.bytes());
      String example =
          "seed "
              + Generate.SEED
              + ", example "
              + i
              + ", "
              + broken.what()
              + ":\n"
              + new String(broken.bytes(), StandardCharsets.UTF_8);
      ManifestStore.Read read = ManifestStore.read(dir);
      assertThat(read).as(example).isInstanceOf(ManifestStore.Invalid.class);
      assertThat(((ManifestStore.Invalid) read).reason())
          .as(example)
          .isNotBlank()
          .contains(broken.reasonMentions());
    }
  }

  /** Damaged bytes, what was done to them, and what the reason must name. */
  record Broken(byte[] bytes, String what, String reasonMentions) {}

  private static Broken damage(Damage damage, byte[] good, Random r) throws IOException {
    switch (damage) {
      case TRUNCATED -> {
        int at = r.nextInt(good.length);
        return new Broken(Arrays.copyOf(good, at), "cut at byte " + at, "");
      }
      case NOT_UTF8 -> {
        byte[][] bad = {
          {(byte) 0xff},
          {(byte) 0xc3},
          {(byte) 0x80},
          {(byte) 0xc0, (byte) 0xaf},
          {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
          {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}
        };
        byte[] b = bad[r.nextInt(bad.length)];
        int at = r.nextInt(good.length + 1);
        byte[] out = new byte[good.length + b.length];
        System.arraycopy(good, 0, out, 0, at);
        System.arraycopy(b, 0, out, at, b.length);
        System.arraycopy(good, at, out, at + b.length, good.length - at);
        return new Broken(out, HexFormat.of().formatHex(b) + " inserted at " + at, "UTF-8");
      }
      case WRONG_TYPE -> {
        ObjectNode root = tree(good);
        String key;
        JsonNode wrong;
        switch (r.nextInt(6)) {
          case 0 -> {
            key = pick(STRINGS, r);
            wrong =
                pick(List.of(num(r), NODES.booleanNode(true), NODES.nullNode(), arr(), obj()), r);
          }
          case 1 -> {
            key = pick(NULLABLE_STRINGS, r);
            wrong = pick(List.of(num(r), NODES.booleanNode(false), arr(), obj()), r);
          }
          case 2 -> {
            key = pick(STRING_MAPS, r);
            ObjectNode inner = NODES.objectNode();
            inner.put("ok", "fine");
            inner.set(Generate.key(r, 5) + "!", pick(List.of(num(r), NODES.nullNode(), arr()), r));
            wrong = pick(List.of(NODES.textNode("a"), num(r), arr(), NODES.nullNode(), inner), r);
          }
          case 3 -> {
            key = "finished_at";
            wrong =
                pick(
                    List.of(
                        NODES.textNode("1764190000.5"),
                        NODES.booleanNode(true),
                        NODES.nullNode(),
                        arr(),
                        obj()),
                    r);
          }
          case 4 -> {
            key = "schema_version";
            wrong =
                pick(
                    List.of(
                        NODES.textNode("1"),
                        NODES.numberNode(1.0),
                        NODES.booleanNode(true),
                        NODES.nullNode(),
                        arr()),
                    r);
          }
          default -> {
            key = r.nextBoolean() ? "started_at" : "restored_from_cache";
            wrong = pick(List.of(NODES.textNode("1"), arr(), obj()), r);
          }
        }
        root.set(key, wrong);
        return new Broken(ascii(root), key + " = " + wrong, key);
      }
      case MISSING_FIELD -> {
        ObjectNode root = tree(good);
        List<String> required = new ArrayList<>(STRINGS);
        required.addAll(STRING_MAPS);
        required.add("finished_at");
        required.add("schema_version");
        String key = pick(required, r);
        root.remove(key);
        return new Broken(ascii(root), key + " removed", key);
      }
      case SCHEMA_VERSION -> {
        BigInteger v =
            switch (r.nextInt(5)) {
              case 0 -> BigInteger.valueOf(r.nextInt(7) - 3);
              case 1 -> BigInteger.valueOf(r.nextInt());
              // Numbers that are 1 in their low 32 or 64 bits.
              case 2 -> BigInteger.valueOf(1 + ((long) (r.nextInt(1000) + 1) << 32));
              case 3 -> BigInteger.valueOf(1 - ((long) (r.nextInt(1000) + 1) << 32));
              default -> BigInteger.ONE.shiftLeft(64 + r.nextInt(8)).add(BigInteger.ONE);
            };
        if (v.equals(BigInteger.ONE)) {
          v = BigInteger.TWO;
        }
        ObjectNode root = tree(good);
        root.put("schema_version", v);
        return new Broken(ascii(root), "schema_version " + v, "schema_version");
      }
      case TRAILING_DATA -> {
        String[] tails = {
          "x", "}", "{", "]", "0", "null", "\"", new String(good, StandardCharsets.UTF_8)
        };
        String tail = (r.nextBoolean() ? "\n" : "") + tails[r.nextInt(tails.length)];
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(good, good.length + t.length);
        System.arraycopy(t, 0, out, good.length, t.length);
        return new Broken(out, "followed by " + tail.strip(), "");
      }
      case NOT_AN_OBJECT -> {
        String[] docs = {
          "[]",
          "null",
          "1",
          "\"manifest\"",
          "true",
          "[" + new String(good, StandardCharsets.UTF_8) + "]"
        };
        String doc = docs[r.nextInt(docs.length)];
        return new Broken(doc.getBytes(StandardCharsets.UTF_8), "the document " + doc, "");
      }
    }
    throw new AssertionError(damage);
  }

  /** Parsed from text, as the store parses it. */
  private static ObjectNode tree(byte[] json) throws IOException {
    return (ObjectNode) JSON.readTree(new String(json, StandardCharsets.UTF_8));
  }

  private static byte[] ascii(JsonNode root) throws IOException {
    return JSON.writeValueAsString(root).getBytes(StandardCharsets.US_ASCII);
  }

  private static <T> T pick(List<T> items, Random r) {
    return items.get(r.nextInt(items.size()));
  }

  private static JsonNode num(Random r) {
    return r.nextBoolean() ? NODES.numberNode(r.nextInt()) : NODES.numberNode(r.nextDouble());
  }

  private static JsonNode arr() {
    return NODES.arrayNode().add("a");
  }

  private static JsonNode obj() {
    return NODES.objectNode().put("a", "b");
  }

  @Test
  void store_randomlyDamagedFile_neverThrows() throws IOException {
    Random r = Generate.random("manifest-fuzz");
    Path dir = Files.createDirectories(tmp.resolve("out"));
    for (int i = 0; i < 300; i++) {
      byte[] bytes = ManifestCodec.write(generate(r)).getBytes(StandardCharsets.UTF_8);
      for (int k = 1 + r.nextInt(4); k > 0; k--) {
        bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
      }
      Files.write(dir.resolve(ManifestStore.FILE), bytes);
      ManifestStore.Read read = ManifestStore.read(dir);
      assertThat(read)
          .as("seed %d, example %d", Generate.SEED, i)
          .isInstanceOfAny(ManifestStore.Present.class, ManifestStore.Invalid.class);
    }
  }

  @Test
  void store_unreadableDirectoryOrFile_isAnErrorNeverMissing() throws IOException {
    Manifest m = generate(Generate.random("manifest-unreadable"));
    for (boolean lockDirectory : new boolean[] {true, false}) {
      Path dir = Files.createDirectories(tmp.resolve("locked-" + lockDirectory));
      ManifestStore.write(dir, m);
      Path locked = lockDirectory ? dir : dir.resolve(ManifestStore.FILE);
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
      try {
        if (permissionsEnforced(dir)) {
          assertThatThrownBy(() -> ManifestStore.read(dir))
              .as("mode 000 on %s", locked)
              .isInstanceOfSatisfying(
                  LightconeException.class,
                  e -> {
                    assertThat(e.kind()).isEqualTo(LightconeException.Kind.ENVIRONMENT);
                    assertThat(e).hasMessageContaining("permission denied");
                  });
        } else {
          // Root, or a process with CAP_DAC_OVERRIDE: the kernel does not enforce mode 000 for
          // it, so the manifest is readable and must read as itself, certainly not as Missing.
          assertThat(ManifestStore.read(dir))
              .as("mode 000 on %s, permissions not enforced for this user", locked)
              .isEqualTo(new ManifestStore.Present(m));
        }
      } finally {
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
      }
    }
  }

  /** Whether this process is held to mode 000, which root and CAP_DAC_OVERRIDE are not. */
  private static boolean permissionsEnforced(Path dir) throws IOException {
    Path probe = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-probe"));
    Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(probe)) {
      return false;
    } catch (AccessDeniedException e) {
      return true;
    } finally {
      Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rwx------"));
      Files.delete(probe);
    }
  }

  @Test
  void store_manifestThatIsADirectory_isInvalidForThatOutputOnly() throws IOException {
    // It aborted every command (status, verify, plan, run) where a torn manifest is one row.
    Path isDir = Files.createDirectories(tmp.resolve("dir").resolve(ManifestStore.FILE));
    assertThat(ManifestStore.read(isDir.getParent()))
        .isEqualTo(new ManifestStore.Invalid("it is a directory, not a file"));
  }

  @Test
  void store_manifestThatCannotBeOpened_isAnErrorNeverMissing() throws IOException {
    // Unreadable for every user, root included: a symbolic link to itself.
    Path loop = Files.createDirectories(tmp.resolve("loop"));
    Files.createSymbolicLink(loop.resolve(ManifestStore.FILE), Path.of(ManifestStore.FILE));
    assertThatThrownBy(() -> ManifestStore.read(loop))
        .isInstanceOfSatisfying(
            LightconeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(LightconeException.Kind.ENVIRONMENT);
              assertThat(e.getMessage()).doesNotContain("java.").contains(ManifestStore.FILE);
            });
  }
}
