package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.ExecutionReport;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests we write are accepted by the Python formulas (the few lines of
 * src/test/resources/vectors/README.md): the Python data_version of every output equals its
 * manifest's, the manifest is exactly what {@code json.dumps(m, sort_keys=True, indent=2)} gives
 * for the parsed document, and code_version is the hash of the Python JSON of its ingredients. Runs
 * the real /usr/bin/python3, which CI installs.
 */
class PythonCompatibilityTest {
  private static final String CHECK =
      """
      import hashlib, json, os, sys
      SKIP = {".lightcone-manifest.json", ".snakemake_timestamp"}
      def data_version(root):
          entries = []
          for dirpath, dirnames, filenames in os.walk(root):
              for name in filenames:
                  full = os.path.join(dirpath, name)
                  if name in SKIP or not os.path.isfile(full):
                      continue
                  entries.append((os.path.relpath(full, root).replace(os.sep, "/"), full))
          entries.sort()
          h = hashlib.sha256()
          for rel, full in entries:
              h.update(b"path:" + rel.encode("utf-8") + b"\\0" + b"data:")
              with open(full, "rb") as f:
                  h.update(f.read())
              h.update(b"\\0")
          return "sha256:" + h.hexdigest()
      checked = 0
      for out in sys.argv[1:]:
          text = open(os.path.join(out, ".lightcone-manifest.json"), encoding="utf-8").read()
          m = json.loads(text)
          assert json.dumps(m, sort_keys=True, indent=2) == text, out + ": not json.dumps output"
          assert m["data_version"] == data_version(out), out + ": data_version differs"
          image = m.get("image_identity") or m["container_image"]
          blob = {"container_image": image, "decisions": m["decisions"], "recipe": m["recipe"]}
          code = "sha256:" + hashlib.sha256(json.dumps(blob, sort_keys=True,
              separators=(",", ":")).encode("utf-8")).hexdigest()
          assert m["code_version"] == code, out + ": code_version differs"
          assert m["schema_version"] == 1 and isinstance(m["finished_at"], float)
          checked += 1
      print("checked", checked)
      """;

  @Test
  void manifestsWeWrite_passThePythonFormulas(@TempDir Path dir) throws Exception {
    TestProjects.write(
        dir,
        "astra.yaml",
        """
        id: compat
        decisions:
          lang:
            label: Language
            options:
              de: {label: Deutsch}
              fr: {label: "Fran\\u00e7ais"}
        outputs:
          - id: words
            type: table
            decisions: [lang]
            recipe:
              command: >-
                printf 'word,n\\ncaf\\303\\251,1\\n' > {output}/w.csv;
                mkdir -p {output}/d/\\303\\251 && printf '\\000\\001' > {output}/d/\\303\\251/bin
          - id: count
            type: metric
            inputs: [words]
            recipe:
              command: "wc -l < {inputs.words}/w.csv | tr -d ' ' | sed 's/.*/{{\\"n\\": &}}/' > {output}/n.json"
        """,
        "universes/de.yaml",
        "decisions: {lang: de}\n",
        "universes/fr.yaml",
        "decisions: {lang: fr}\n");
    ExecutionReport r = Project.load(dir).plan().execute(LocalSubstrate.create());
    assertThat(r.succeeded()).as(r.toString()).isTrue();
    List<String> outputs =
        List.of("results/de/words", "results/de/count", "results/fr/words", "results/fr/count");
    Path script = dir.resolve("check.py");
    Files.writeString(script, CHECK);
    List<String> command =
        new java.util.ArrayList<>(List.of("/usr/bin/python3", script.toString()));
    outputs.forEach(o -> command.add(dir.resolve(o).toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as(out).contains("checked 4");
    assertThat(p.exitValue()).isZero();
  }
}
