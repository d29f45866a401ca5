package io.lightcone.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hash formulas of DESIGN §3 over generated inputs (STYLE rule 9): what must not matter does
 * not, everything that must matter does, the framing is prefix-free, and the JSON and floats are
 * Python's own. Seeds are fixed ({@link Generate#SEED}); every failure names its seed and example.
 */
class HashPropertyTest {
  @TempDir Path tmp;

  @Test
  void dataVersion_ignoresCreationOrderMtimesPermissionsAndThreadCount() throws IOException {
    Random r = Generate.random("invariance");
    for (int i = 0; i < 150; i++) {
      Trees t = Trees.generate(r);
      String example = "seed " + Generate.SEED + ", example " + i + ": " + t;
      Path a = t.write(tmp.resolve("a"), r);
      Path b = t.write(tmp.resolve("b"), r);
      DataVersion.Versions expected = t.versions();
      assertThat(DataVersion.versions(a, 1)).as("%s, 1 thread", example).isEqualTo(expected);
      assertThat(DataVersion.versions(a, 2)).as("%s, 2 threads", example).isEqualTo(expected);
      assertThat(DataVersion.versions(b, 4)).as("%s, 4 threads", example).isEqualTo(expected);
      Trees.delete(a);
      Trees.delete(b);
    }
  }

  /** One edit of a tree on disk, mirrored in memory. */
  enum Edit {
    FLIP_BYTE,
    RENAME,
    ADD,
    REMOVE,
    MOVE
  }

  @Test
  void dataVersion_everyEditChangesIt_skippedFilesDoNot() throws IOException {
    Random r = Generate.random("edits");
    Map<Edit, Integer> done = new EnumMap<>(Edit.class);
    // 25 trees, 10 edits in a row on each: edits meet the trees earlier edits left behind.
    for (int walk = 0; walk < 25; walk++) {
      Trees t = Trees.generate(r);
      t.add("nonempty" + walk, Generate.bytes(r, 1 + r.nextInt(100)));
      Path root = t.writePlain(tmp.resolve("t"));
      // One thread: thread counts are the property above, and a pool per call costs ~2 ms.
      DataVersion.Versions before = DataVersion.versions(root, 1);
      for (int step = 0; step < 10; step++) {
        Edit edit = Edit.values()[(walk + step) % Edit.values().length];
        if (t.files.values().stream().allMatch(c -> c.length == 0)) {
          t.add("refill" + step, Generate.bytes(r, 1 + r.nextInt(100)));
          Files.write(root.resolve("refill" + step), t.files.get("refill" + step));
          before = DataVersion.versions(root, 1);
        }
        String change = apply(edit, t, root, r);
        String example =
            "seed "
                + Generate.SEED
                + ", tree "
                + walk
                + ", edit "
                + step
                + ": "
                + change
                + " in "
                + t;
        DataVersion.Versions after = DataVersion.versions(root, 1);

        assertThat(after).as(example).isEqualTo(t.versions());
        assertThat(after.dataVersion()).as(example).isNotEqualTo(before.dataVersion());
        if (edit == Edit.FLIP_BYTE) {
          // tree_version holds paths and sizes only (it costs no extra read): same size, same tree.
          assertThat(after.treeVersion()).as(example).isEqualTo(before.treeVersion());
        } else {
          assertThat(after.treeVersion()).as(example).isNotEqualTo(before.treeVersion());
        }
        done.merge(edit, 1, Integer::sum);

        String placed = addSkipped(t, root, r);
        assertThat(DataVersion.versions(root, 1))
            .as("%s, then skipped file %s", example, placed)
            .isEqualTo(after);
        before = after;
      }
      Trees.delete(root);
    }
    assertThat(done.values()).as("every edit ran").allMatch(n -> n == 50);
  }

  /** Applies {@code edit} to the tree on disk and in memory; says what it did. */
  private static String apply(Edit edit, Trees t, Path root, Random r) throws IOException {
    List<String> files = new ArrayList<>(t.files.keySet());
    Collections.sort(files);
    String f = files.get(r.nextInt(files.size()));
    switch (edit) {
      case FLIP_BYTE -> {
        List<String> nonEmpty = files.stream().filter(p -> t.files.get(p).length > 0).toList();
        List<String> streamed =
            files.stream().filter(p -> t.files.get(p).length > DataVersion.READ_AHEAD_MAX).toList();
        f =
            !streamed.isEmpty() && r.nextBoolean()
                ? streamed.get(0)
                : nonEmpty.get(r.nextInt(nonEmpty.size()));
        byte[] content = t.files.get(f);
        // Now and then the last byte, where a streamed file's final buffer ends.
        int at = r.nextInt(4) == 0 ? content.length - 1 : r.nextInt(content.length);
        content[at] ^= (byte) (1 + r.nextInt(255));
        try (RandomAccessFile raf = new RandomAccessFile(root.resolve(f).toFile(), "rw")) {
          raf.seek(at);
          raf.write(content[at]);
        }
        return "byte " + at + " of " + f + " (" + content.length + " B) flipped";
      }
      case RENAME -> {
        String to = freeName(t, Trees.parent(f), r);
        t.files.put(to, t.files.remove(f));
        Files.move(root.resolve(f), root.resolve(to));
        return f + " renamed to " + to;
      }
      case ADD -> {
        String dir = someDir(t, r);
        String to = freeName(t, dir, r);
        byte[] content = r.nextBoolean() ? new byte[0] : Trees.content(r);
        t.files.put(to, content);
        Files.createDirectories(root.resolve(dir));
        Files.write(root.resolve(to), content);
        return to + " (" + content.length + " B) added";
      }
      case REMOVE -> {
        t.files.remove(f);
        Files.delete(root.resolve(f));
        return f + " removed";
      }
      case MOVE -> {
        String dir = someDir(t, r);
        while (dir.equals(Trees.parent(f))) {
          dir = Trees.join(dir, Generate.name(r));
          if (!t.free(dir) && !t.dirs.contains(dir)) {
            dir = "";
          } else {
            t.dirs.add(dir);
          }
        }
        String to = Trees.join(dir, Trees.base(f));
        if (!t.free(to)) {
          to = freeName(t, dir, r);
        }
        t.files.put(to, t.files.remove(f));
        Files.createDirectories(root.resolve(dir));
        Files.move(root.resolve(f), root.resolve(to));
        return f + " moved to " + to;
      }
    }
    throw new AssertionError(edit);
  }

  /** An existing directory, or now and then a new one under it. */
  private static String someDir(Trees t, Random r) {
    List<String> dirs = new ArrayList<>(t.dirs);
    Collections.sort(dirs);
    String dir = dirs.get(r.nextInt(dirs.size()));
    if (r.nextInt(3) == 0) {
      String sub = Trees.join(dir, Generate.name(r));
      if (t.free(sub) || t.dirs.contains(sub)) {
        t.dirs.add(sub);
        return sub;
      }
    }
    return dir;
  }

  private static String freeName(Trees t, String dir, Random r) {
    while (true) {
      String rel = Trees.join(dir, Generate.name(r));
      if (t.free(rel)) {
        return rel;
      }
    }
  }

  /** Puts a file the hash must skip somewhere in the tree (not in memory: it must not count). */
  private static String addSkipped(Trees t, Path root, Random r) throws IOException {
    String dir = someDir(t, r);
    List<String> names = new ArrayList<>(DataVersion.SKIPPED);
    Collections.sort(names);
    String rel = Trees.join(dir, names.get(r.nextInt(names.size())));
    Files.createDirectories(root.resolve(dir));
    Files.write(root.resolve(rel), Trees.content(r));
    return rel;
  }

  @Test
  void dataVersion_pathThenContentFramingIsPrefixFree() throws IOException {
    Random r = Generate.random("framing");
    for (int i = 0; i < 300; i++) {
      String name = Generate.name(r) + Generate.name(r);
      int[] cps = name.codePoints().toArray();
      int k = 1 + r.nextInt(cps.length - 1);
      String head = new String(cps, 0, k);
      String tail = new String(cps, k, cps.length - k);
      if (head.equals(".") || head.equals("..") || DataVersion.SKIPPED.contains(head)) {
        continue;
      }
      String dir = r.nextBoolean() ? "" : Generate.name(r);
      byte[] content = Generate.bytes(r, r.nextInt(20));
      // path "ab" + data "c" against path "a" + data "bc"
      Trees whole = new Trees();
      whole.add(Trees.join(dir, name), content);
      Trees split = new Trees();
      split.add(Trees.join(dir, head), concat(tail.getBytes(StandardCharsets.UTF_8), content));
      String example =
          "seed " + Generate.SEED + ", example " + i + ": " + whole + " against " + split;
      DataVersion.Versions w = DataVersion.versions(whole.writePlain(tmp.resolve("w")), 1);
      DataVersion.Versions s = DataVersion.versions(split.writePlain(tmp.resolve("s")), 1);
      assertThat(w).as(example).isEqualTo(whole.versions());
      assertThat(s).as(example).isEqualTo(split.versions());
      assertThat(w.dataVersion()).as(example).isNotEqualTo(s.dataVersion());
      assertThat(w.treeVersion()).as(example).isNotEqualTo(s.treeVersion());
      Trees.delete(tmp.resolve("w"));
      Trees.delete(tmp.resolve("s"));
    }
  }

  @Test
  void treeVersion_separatesTreesWhoseDataVersionCollidesThroughNulFraming() throws IOException {
    Random r = Generate.random("nul-framing");
    for (int i = 0; i < 200; i++) {
      // Files p1 < p2 < ... and one file p1 whose content spells out the others' framing.
      List<String> paths = new ArrayList<>();
      for (int n = 2 + r.nextInt(3); paths.size() < n; ) {
        String p = r.nextBoolean() ? Generate.name(r) : Generate.name(r) + "/" + Generate.name(r);
        if (paths.stream().noneMatch(q -> q.equals(p) || nests(p, q) || nests(q, p))) {
          paths.add(p);
        }
      }
      paths.sort(Trees.UTF8_ORDER);
      Trees many = new Trees();
      StringBuilder joined = new StringBuilder();
      List<byte[]> parts = new ArrayList<>();
      for (int j = 0; j < paths.size(); j++) {
        byte[] content = Generate.bytes(r, r.nextInt(30));
        many.dirs.add(Trees.parent(paths.get(j)));
        many.add(paths.get(j), content);
        parts.add(
            j == 0
                ? content
                : concat(
                    ("\0path:" + paths.get(j) + "\0data:").getBytes(StandardCharsets.UTF_8),
                    content));
        joined.append(j == 0 ? "" : " + ").append(paths.get(j));
      }
      Trees one = new Trees();
      one.dirs.add(Trees.parent(paths.get(0)));
      one.add(paths.get(0), parts.stream().reduce(new byte[0], HashPropertyTest::concat));
      String example = "seed " + Generate.SEED + ", example " + i + ": " + joined;
      DataVersion.Versions m = DataVersion.versions(many.writePlain(tmp.resolve("m")), 2);
      DataVersion.Versions o = DataVersion.versions(one.writePlain(tmp.resolve("o")), 2);
      assertThat(m.dataVersion()).as("the collision, %s", example).isEqualTo(o.dataVersion());
      assertThat(m.treeVersion()).as(example).isNotEqualTo(o.treeVersion());
      Trees.delete(tmp.resolve("m"));
      Trees.delete(tmp.resolve("o"));
    }
  }

  private static boolean nests(String dir, String file) {
    return file.startsWith(dir + "/");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** What {@code code_version} is computed from. */
  record Ingredients(String recipe, Optional<String> image, Map<String, String> decisions) {
    static Ingredients generate(Random r) {
      Optional<String> image =
          switch (r.nextInt(5)) {
            case 0, 1 -> Optional.empty();
            case 2 -> Optional.of("");
            case 3 ->
                Optional.of(
                    "lc-"
                        + Generate.name(r)
                        + "-"
                        + HexFormat.of().formatHex(Generate.bytes(r, 6)));
            default -> Optional.of(Generate.text(r, 20));
          };
      Map<String, String> decisions = new LinkedHashMap<>();
      for (int n = r.nextInt(7); n > 0; n--) {
        decisions.put(Generate.text(r, 10), Generate.text(r, 10));
      }
      return new Ingredients(Generate.text(r, 60), image, decisions);
    }

    String version() {
      return CodeVersion.of(recipe, image, decisions);
    }

    Ingredients withDecisions(Map<String, String> d) {
      return new Ingredients(recipe, image, d);
    }

    /** The dict Python hashes, built from DESIGN §3, not from {@link CodeVersion}. */
    Map<String, Object> asPython() {
      Map<String, Object> m = new HashMap<>();
      m.put("container_image", image.orElse(null));
      m.put("decisions", new HashMap<>(decisions));
      m.put("recipe", recipe);
      return m;
    }
  }

  @Test
  void codeVersion_orderOfDecisionsNeverMatters() {
    Random r = Generate.random("code-order");
    for (int i = 0; i < 300; i++) {
      Ingredients in = Ingredients.generate(r);
      String expected = in.version();
      List<String> keys = new ArrayList<>(in.decisions().keySet());
      for (int shuffle = 0; shuffle < 3; shuffle++) {
        Collections.shuffle(keys, r);
        Map<String, String> reordered = new LinkedHashMap<>();
        keys.forEach(k -> reordered.put(k, in.decisions().get(k)));
        assertThat(in.withDecisions(reordered).version())
            .as("seed %d, example %d: %s in order %s", Generate.SEED, i, in, keys)
            .isEqualTo(expected);
      }
      // Java's own map orders: by UTF-16 unit (TreeMap) and by hash (HashMap).
      assertThat(in.withDecisions(new TreeMap<>(in.decisions())).version()).isEqualTo(expected);
      assertThat(in.withDecisions(new HashMap<>(in.decisions())).version()).isEqualTo(expected);
    }
  }

  @Test
  void codeVersion_everyIngredientChangesIt() {
    Random r = Generate.random("code-ingredients");
    int changes = 0;
    for (int i = 0; i < 300; i++) {
      Ingredients in = Ingredients.generate(r);
      String version = in.version();
      List<Ingredients> changed = new ArrayList<>();
      changed.add(new Ingredients(edit(in.recipe(), r), in.image(), in.decisions()));
      changed.add(
          new Ingredients(
              in.recipe(),
              in.image().isPresent() ? Optional.empty() : Optional.of(Generate.text(r, 5)),
              in.decisions()));
      in.image()
          .ifPresent(
              img ->
                  changed.add(
                      new Ingredients(in.recipe(), Optional.of(edit(img, r)), in.decisions())));
      Map<String, String> added = new LinkedHashMap<>(in.decisions());
      String newId = Generate.text(r, 10);
      while (added.containsKey(newId)) {
        newId = edit(newId, r);
      }
      added.put(newId, Generate.text(r, 5));
      changed.add(in.withDecisions(added));
      for (String id : in.decisions().keySet()) {
        Map<String, String> option = new LinkedHashMap<>(in.decisions());
        option.put(id, edit(option.get(id), r));
        changed.add(in.withDecisions(option));
        Map<String, String> renamed = new LinkedHashMap<>(in.decisions());
        String value = renamed.remove(id);
        String other = edit(id, r);
        while (in.decisions().containsKey(other)) {
          other = edit(other, r);
        }
        renamed.put(other, value);
        changed.add(in.withDecisions(renamed));
        Map<String, String> removed = new LinkedHashMap<>(in.decisions());
        removed.remove(id);
        changed.add(in.withDecisions(removed));
      }
      for (Ingredients c : changed) {
        assertThat(c.version())
            .as("seed %d, example %d: %s changed to %s", Generate.SEED, i, in, c)
            .isNotEqualTo(version);
        changes++;
      }
    }
    assertThat(changes).isGreaterThan(1500);
  }

  /** {@code s} with one code point replaced, inserted or removed; never {@code s} itself. */
  private static String edit(String s, Random r) {
    int[] cps = s.codePoints().toArray();
    int at = cps.length == 0 ? 0 : r.nextInt(cps.length);
    String out =
        switch (cps.length == 0 ? 1 : r.nextInt(3)) {
          case 0 -> replace(cps, at, Generate.scalar(r));
          case 1 -> new StringBuilder(s).insert(s.offsetByCodePoints(0, at), 'x').toString();
          default -> new String(cps, 0, at) + new String(cps, at + 1, cps.length - at - 1);
        };
    return out.equals(s) ? s + "~" : out;
  }

  private static String replace(int[] cps, int at, int cp) {
    int[] copy = cps.clone();
    copy[at] = cp;
    return new String(copy, 0, copy.length);
  }

  @Test
  void codeVersion_jsonAndVersionArePythons() throws IOException {
    Random r = Generate.random("code-python");
    List<Ingredients> cases = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      cases.add(Ingredients.generate(r));
    }
    List<PythonOracle.Answer> python =
        PythonOracle.ask(
            PythonOracle.Mode.COMPACT, cases.stream().map(Ingredients::asPython).toList());
    for (int i = 0; i < cases.size(); i++) {
      Ingredients in = cases.get(i);
      String example = "seed " + Generate.SEED + ", example " + i + ": " + in;
      assertThat(CodeVersion.json(in.recipe(), in.image(), in.decisions()))
          .as(example)
          .isEqualTo(python.get(i).text());
      assertThat(in.version()).as(example).isEqualTo(python.get(i).sha256());
    }
  }

  @Test
  void pyFloat_reprIsPythons() throws IOException {
    Random r = Generate.random("pyfloat");
    List<Double> cases =
        new ArrayList<>(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    for (int i = 0; i < 400; i++) {
      cases.add(Double.longBitsToDouble(r.nextLong()));
      cases.add(Generate.decimal(r));
      cases.add(Generate.timestamp(r));
      cases.add(Generate.extremeDouble(r));
    }
    List<PythonOracle.Answer> python = PythonOracle.ask(PythonOracle.Mode.REPR, cases);
    for (int i = 0; i < cases.size(); i++) {
      double d = cases.get(i);
      assertThat(PyFloat.repr(d))
          .as(
              "seed %d, example %d: bits %016x (%s)",
              Generate.SEED, i, Double.doubleToRawLongBits(d), d)
          .isEqualTo(python.get(i).text());
    }
  }
}
