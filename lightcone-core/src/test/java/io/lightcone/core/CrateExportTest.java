package io.lightcone.core;

import static io.lightcone.core.CrateGraphView.BIOSCHEMAS;
import static io.lightcone.core.CrateGraphView.DCT;
import static io.lightcone.core.CrateGraphView.SCHEMA;
import static io.lightcone.core.CrateGraphView.WFRUN;
import static io.lightcone.core.CrateGraphView.iri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import io.lightcone.Manifest;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskInput;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrateExportTest {
  @TempDir Path dir;

  private static final String CREATE = SCHEMA + "CreateAction";

  @Test
  void exportCrate_jsonLd_linksEveryActionOutputInputAndDecision() throws Exception {
    Path project = ExportTest.ranProject(dir.resolve("p"));
    Path crate = dir.resolve("crate");

    CrateExport export = Project.load(project).exportCrate(crate, CrateOptions.defaults());
    CrateGraphView g = CrateGraphView.parse(Files.readAllBytes(crate.resolve(METADATA)));

    // The descriptor and the root (RO-Crate 1.1) and the profiles the root conforms to.
    String descriptor = iri(METADATA);
    String root = iri("./");
    assertThat(g.refs(descriptor, DCT + "conformsTo")).contains("https://w3id.org/ro/crate/1.1");
    assertThat(g.ref(descriptor, SCHEMA + "about")).isEqualTo(root);
    assertThat(g.types(root)).contains(SCHEMA + "Dataset");
    assertThat(g.refs(root, DCT + "conformsTo"))
        .contains(
            "https://w3id.org/ro/wfrun/process/0.5",
            "https://w3id.org/ro/wfrun/workflow/0.5",
            "https://w3id.org/ro/wfrun/provenance/0.5",
            "https://w3id.org/workflowhub/workflow-ro-crate/1.0");
    assertThat(g.values(root, SCHEMA + "name")).containsExactly("exported");
    assertThat(g.values(root, SCHEMA + "datePublished")).hasSize(1);
    String workflow = g.ref(root, SCHEMA + "mainEntity");
    assertThat(workflow).isEqualTo(iri("astra.yaml"));
    assertThat(g.types(workflow))
        .contains(
            SCHEMA + "MediaObject",
            SCHEMA + "SoftwareSourceCode",
            BIOSCHEMAS + "ComputationalWorkflow",
            SCHEMA + "HowTo");

    // Every file in the crate is a part of the root, with its size and SHA-256.
    List<String> onDisk = files(crate);
    assertThat(onDisk).contains("data/étoiles.csv", "results/one/table/résumé.csv");
    assertThat(export.files()).isEqualTo(onDisk.size());
    List<String> parts = g.refs(root, SCHEMA + "hasPart");
    for (String rel : onDisk) {
      if (rel.equals(METADATA)) {
        continue;
      }
      String id = iri(new URI(null, null, rel, null).toASCIIString());
      assertThat(parts).as(rel).contains(id);
      assertThat(g.value(id, WFRUN + "sha256")).as(rel).isEqualTo(sha256(crate.resolve(rel)));
      assertThat(g.value(id, SCHEMA + "contentSize"))
          .isEqualTo(Long.toString(Files.size(crate.resolve(rel))));
    }

    // One CreateAction per task, linked to its tool, step, inputs, decisions and output.
    Project p = Project.load(project);
    List<PlannedTask> tasks = p.plan().tasks();
    assertThat(tasks).hasSize(6);
    assertThat(export.actions()).isEqualTo(6);
    List<String> taskActions = new ArrayList<>();
    for (PlannedTask planned : tasks) {
      Task t = planned.task();
      Manifest m = p.manifest(t.id().toString()).orElseThrow();
      String dataset = iri(t.outputDir() + "/");
      assertThat(parts).contains(dataset);
      assertThat(g.types(dataset)).contains(SCHEMA + "Dataset");
      String version = g.ref(dataset, SCHEMA + "identifier");
      assertThat(g.types(version)).contains(SCHEMA + "PropertyValue");
      assertThat(g.value(version, SCHEMA + "value")).isEqualTo(m.dataVersion());
      assertThat(g.value(version, SCHEMA + "propertyID")).isEqualTo("data_version");
      for (String file : g.refs(dataset, SCHEMA + "hasPart")) {
        assertThat(parts).contains(file);
      }

      List<String> actions =
          g.ofType(CREATE).stream()
              .filter(a -> g.refs(a, SCHEMA + "result").equals(List.of(dataset)))
              .toList();
      assertThat(actions).as(t.id().toString()).hasSize(1);
      String action = actions.get(0);
      taskActions.add(action);
      assertThat(g.refs(root, SCHEMA + "mentions")).contains(action);
      assertThat(g.value(action, SCHEMA + "endTime")).startsWith("20");
      assertThat(g.value(action, SCHEMA + "description")).startsWith(t.command());

      String tool = g.ref(action, SCHEMA + "instrument");
      assertThat(g.types(tool)).contains(SCHEMA + "SoftwareApplication");
      assertThat(g.refs(workflow, SCHEMA + "hasPart")).contains(tool);
      assertThat(g.refs(dataset, SCHEMA + "exampleOfWork"))
          .containsAll(g.refs(tool, BIOSCHEMAS + "ComputationalWorkflow#output"))
          .anyMatch(
              param ->
                  g.refs(workflow, BIOSCHEMAS + "ComputationalWorkflow#output").contains(param));
      String step =
          g.refs(workflow, SCHEMA + "step").stream()
              .filter(s -> g.ref(s, SCHEMA + "workExample").equals(tool))
              .findFirst()
              .orElseThrow();
      String control =
          g.ofType(SCHEMA + "ControlAction").stream()
              .filter(c -> g.ref(c, SCHEMA + "object").equals(action))
              .findFirst()
              .orElseThrow();
      assertThat(g.ref(control, SCHEMA + "instrument")).isEqualTo(step);
      String engine =
          g.ofType(SCHEMA + "OrganizeAction").stream()
              .filter(o -> g.refs(o, SCHEMA + "object").contains(control))
              .findFirst()
              .orElseThrow();
      assertThat(
              g.refs(engine, SCHEMA + "instrument").stream()
                  .flatMap(i -> g.values(i, SCHEMA + "softwareVersion").stream()))
          .containsExactly(m.lcVersion());
      assertThat(g.values(engine, SCHEMA + "location")).containsExactly(m.host());
      assertThat(g.values(engine, SCHEMA + "name").get(0)).contains(m.substrate().orElseThrow());

      List<String> objects = g.refs(action, SCHEMA + "object");
      List<String> toolInputs = g.refs(tool, BIOSCHEMAS + "ComputationalWorkflow#input");
      for (TaskInput input : t.inputs()) {
        String expected =
            input.upstream().isPresent()
                ? iri(p.plan().task(input.upstream().get().toString()).task().outputDir() + "/")
                : iri(new URI(null, null, input.path(), null).toASCIIString());
        assertThat(objects).as(t.id() + " input " + input.id()).contains(expected);
        assertThat(g.refs(expected, SCHEMA + "exampleOfWork")).anyMatch(toolInputs::contains);
      }
      Map<String, String> decisions = new TreeMap<>();
      for (String o : objects) {
        if (g.types(o).contains(SCHEMA + "PropertyValue")) {
          decisions.put(g.value(o, SCHEMA + "name"), g.value(o, SCHEMA + "value"));
          List<String> params = g.refs(o, SCHEMA + "exampleOfWork");
          assertThat(params).anyMatch(toolInputs::contains);
          assertThat(params)
              .anyMatch(
                  q -> g.refs(workflow, BIOSCHEMAS + "ComputationalWorkflow#input").contains(q));
          for (String param : params) {
            assertThat(g.types(param)).contains(BIOSCHEMAS + "FormalParameter");
          }
        }
      }
      assertThat(decisions).isEqualTo(m.decisions());
    }
    assertThat(taskActions).doesNotHaveDuplicates();

    // One run of the workflow per universe: its choices in, its outputs out.
    List<String> runs =
        g.ofType(CREATE).stream()
            .filter(a -> g.ref(a, SCHEMA + "instrument").equals(workflow))
            .toList();
    assertThat(runs).hasSize(2);
    for (String run : runs) {
      assertThat(g.refs(run, SCHEMA + "result")).hasSize(3);
      assertThat(g.refs(run, SCHEMA + "object"))
          .anyMatch(o -> g.types(o).contains(SCHEMA + "PropertyValue"))
          .contains(iri("data/%C3%A9toiles.csv"));
    }
    // The manifests are in the crate, about their task's action.
    String manifest = iri("results/one/table/.lightcone-manifest.json");
    assertThat(taskActions).contains(g.ref(manifest, SCHEMA + "about"));
  }

  @Test
  void exportCrate_directory_isALightconeProjectThatVerifies() throws Exception {
    Path project = ExportTest.ranProject(dir.resolve("p"));
    Path crate = dir.resolve("crate");

    Project.load(project).exportCrate(crate, CrateOptions.defaults());

    assertThat(Project.load(crate).verify().passed()).isTrue();
    assertThat(crate.resolve("results/one/table/.lightcone-manifest.json")).exists();
    assertThat(Files.getLastModifiedTime(crate.resolve("data/étoiles.csv")))
        .isEqualTo(Files.getLastModifiedTime(project.resolve("data/étoiles.csv")));
  }

  @Test
  void exportCrate_zip_twice_isByteIdentical_andHoldsTheSameCrate() throws Exception {
    Path project = ExportTest.ranProject(dir.resolve("p"));
    CrateOptions zip = CrateOptions.builder().zip(true).build();

    Project.load(project).exportCrate(dir.resolve("a.zip"), zip);
    Project.load(project).exportCrate(dir.resolve("b.zip"), zip);
    Project.load(project).exportCrate(dir.resolve("d"), CrateOptions.defaults());

    assertThat(Files.readAllBytes(dir.resolve("a.zip")))
        .isEqualTo(Files.readAllBytes(dir.resolve("b.zip")));
    Map<String, byte[]> entries = unzip(dir.resolve("a.zip"));
    assertThat(entries.keySet()).containsExactlyElementsOf(files(dir.resolve("d")));
    assertThat(entries.get(METADATA)).isEqualTo(Files.readAllBytes(dir.resolve("d/" + METADATA)));
    CrateGraphView g = CrateGraphView.parse(entries.get(METADATA));
    assertThat(g.ofType(CREATE)).hasSize(8);
    assertThat(dir.toFile().list()).noneMatch(n -> n.startsWith(".tmp-"));
  }

  @Test
  void exportCrate_staleOutputs_refusedWithTheirList_partialLeavesThemOut() throws Exception {
    Path project = ExportTest.ranProject(dir.resolve("p"));
    Files.writeString(project.resolve("data/étoiles.csv"), "x,y\n5,6\n7,8\n9,10\n");
    Path crate = dir.resolve("crate");

    assertThatThrownBy(() -> Project.load(project).exportCrate(crate, CrateOptions.defaults()))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("4 outputs are not up to date")
        .hasMessageContaining("one/table: stale")
        .hasMessageContaining("two/total: stale")
        .hasMessageContaining("--partial")
        .satisfies(e -> assertKind(e, LightconeException.Kind.INTEGRITY));
    assertThat(crate).doesNotExist();

    CrateExport partial =
        Project.load(project).exportCrate(crate, CrateOptions.builder().partial(true).build());

    assertThat(partial.actions()).isEqualTo(2);
    assertThat(partial.leftOut())
        .hasSize(4)
        .anyMatch(l -> l.startsWith("one/table: stale"))
        .isSorted();
    CrateGraphView g = CrateGraphView.parse(Files.readAllBytes(crate.resolve(METADATA)));
    assertThat(g.ofType(CREATE).stream().filter(a -> a.contains("/task/")))
        .containsExactlyInAnyOrder(iri("#run/one/task/sub.count"), iri("#run/two/task/sub.count"));
    assertThat(crate.resolve("results")).doesNotExist();
    assertThat(crate.resolve("sub/results/one/count/n")).exists();
  }

  @Test
  void exportCrate_tamperedOutput_refused_andNothingWritten() throws Exception {
    Path project = ExportTest.ranProject(dir.resolve("p"));
    Files.writeString(project.resolve("results/two/total/total"), "forged\n");
    Path crate = dir.resolve("out/crate");

    assertThatThrownBy(() -> Project.load(project).exportCrate(crate, CrateOptions.defaults()))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("results/two/total: the data does not match its manifest");
    assertThat(crate).doesNotExist();
    assertThat(dir.resolve("out").toFile().list()).isEmpty();
  }

  @Test
  void exportCrate_nonEmptyDirectory_refused_emptyOneUsed() throws Exception {
    Path project = ExportTest.ranProject(dir.resolve("p"));
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("keep.txt"), "mine");
    Path empty = Files.createDirectories(dir.resolve("empty"));

    assertThatThrownBy(() -> Project.load(project).exportCrate(full, CrateOptions.defaults()))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining(full + " is not empty")
        .satisfies(e -> assertKind(e, LightconeException.Kind.USER_INPUT));
    assertThat(full.toFile().list()).containsExactly("keep.txt");

    Project.load(project).exportCrate(empty, CrateOptions.defaults());
    assertThat(empty.resolve(METADATA)).exists();
  }

  @Test
  void exportCrate_twice_writesTheSameMetadata() throws Exception {
    Path project = ExportTest.ranProject(dir.resolve("p"));

    Project.load(project).exportCrate(dir.resolve("a"), CrateOptions.defaults());
    Project.load(project).exportCrate(dir.resolve("b"), CrateOptions.defaults());

    assertThat(Files.readString(dir.resolve("a/" + METADATA)))
        .isEqualTo(Files.readString(dir.resolve("b/" + METADATA)));
  }

  @Test
  void exportCrate_oneUniverse_describesOnlyIt() throws Exception {
    Path project = ExportTest.ranProject(dir.resolve("p"));
    Path crate = dir.resolve("crate");

    CrateExport export =
        Project.load(project)
            .exportCrate(crate, CrateOptions.builder().addUniverses("two").build());

    assertThat(export.actions()).isEqualTo(3);
    assertThat(files(crate))
        .contains("universes/two.yaml")
        .noneMatch(f -> f.contains("/one/") || f.endsWith("/one.yaml"));
    CrateGraphView g = CrateGraphView.parse(Files.readAllBytes(crate.resolve(METADATA)));
    assertThat(g.ids()).noneMatch(id -> id.contains("/one/") || id.endsWith("/one"));
  }

  private static final String METADATA = "ro-crate-metadata.json";

  private static void assertKind(Throwable e, LightconeException.Kind kind) {
    assertThat(((LightconeException) e).kind()).isEqualTo(kind);
  }

  private static List<String> files(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(f -> root.relativize(f).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  private static Map<String, byte[]> unzip(Path zip) throws Exception {
    Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    try (ZipInputStream in =
        new ZipInputStream(Files.newInputStream(zip), StandardCharsets.UTF_8)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        entries.put(e.getName(), bytes.toByteArray());
      }
    }
    return entries;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
