package io.lightcone.core.internal.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.Lightcone;
import io.lightcone.Manifest;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskInput;
import io.lightcone.core.internal.plan.ProjectState;
import io.lightcone.core.internal.project.Tree;
import io.lightcone.model.Analysis;
import io.lightcone.model.AnalysisPath;
import io.lightcone.model.Decision;
import io.lightcone.model.Output;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.QualifiedOutputId;
import io.lightcone.model.ResolvedUniverse;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JSON-LD of {@code ro-crate-metadata.json}: how an ASTRA project and its runs map onto
 * RO-Crate 1.1 and the Workflow Run RO-Crate 0.5 profiles.
 *
 * <ul>
 *   <li>{@code astra.yaml} is the main entity: a {@code ComputationalWorkflow} whose inputs are the
 *       decisions and external inputs and whose outputs are the outputs ({@code FormalParameter}s).
 *   <li>Each output with a recipe is a tool ({@code SoftwareApplication} {@code #tool/<id>}) and a
 *       step ({@code HowToStep} {@code #step/<id>}) of the workflow.
 *   <li>Each universe is one run of the workflow ({@code CreateAction} {@code #run/<universe>}),
 *       its choices {@code PropertyValue}s.
 *   <li>Each task is one run of its tool ({@code CreateAction} {@code #run/<universe>/task/<id>}):
 *       its inputs and the decisions it declares as {@code object}, its output directory (a {@code
 *       Dataset} whose {@code identifier} is its {@code data_version}) as {@code result}; a {@code
 *       ControlAction} ties it to its step and an {@code OrganizeAction} to the Lightcone version,
 *       substrate and host that ran it.
 * </ul>
 *
 * Identifiers are derived from ids and paths, never random, so two exports of the same state are
 * identical.
 */
final class CrateGraph {
  static final String METADATA = "ro-crate-metadata.json";

  static final String RO_CRATE = "https://w3id.org/ro/crate/1.1";
  static final String PROCESS = "https://w3id.org/ro/wfrun/process/0.5";
  static final String WORKFLOW = "https://w3id.org/ro/wfrun/workflow/0.5";
  static final String PROVENANCE = "https://w3id.org/ro/wfrun/provenance/0.5";
  static final String WORKFLOW_RO_CRATE = "https://w3id.org/workflowhub/workflow-ro-crate/1.0";
  static final String COMPLETED = "http://schema.org/CompletedActionStatus";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

  /** A task's exported output: its directory, its manifest and its data files. */
  record Output(
      String dir,
      String manifest,
      CrateFiles.Copied manifestFile,
      Manifest record,
      Map<String, CrateFiles.Copied> data,
      java.util.Optional<String> signer) {}

  /** Who ran a group of tasks: the same Lightcone, substrate, host and SLURM job. */
  private record Engine(String lcVersion, String substrate, String host, String slurmJob) {}

  /** The tasks one engine ran in one universe, and when. */
  private static final class EngineRun {
    final List<String> controls = new ArrayList<>();
    double start = Double.MAX_VALUE;
    double end = -Double.MAX_VALUE;
  }

  private final Tree tree;
  private final Map<String, ObjectNode> entities = new TreeMap<>();
  private final ObjectNode descriptor;
  private final ObjectNode root;
  private final ObjectNode workflow;
  private final String workflowId;
  private final Map<String, String> externalIds = new HashMap<>();
  private final Map<TaskId, String> datasets = new HashMap<>();
  private final Map<String, TreeSet<String>> toolUpstreams = new TreeMap<>();
  private final Map<String, Map<Engine, EngineRun>> engines = new TreeMap<>();
  private final Map<String, double[]> runTimes = new HashMap<>();
  private double published = -Double.MAX_VALUE;

  CrateGraph(ProjectState state) {
    this.tree = state.tree();
    Analysis analysis = state.loaded().analysis();
    descriptor = JSON.objectNode();
    descriptor.put("@id", METADATA);
    descriptor.put("@type", "CreativeWork");
    link(descriptor, "conformsTo", RO_CRATE);
    link(descriptor, "conformsTo", WORKFLOW_RO_CRATE);
    descriptor.set("about", ref("./"));

    workflowId = "astra.yaml";
    root = JSON.objectNode();
    root.put("@id", "./");
    root.put("@type", "Dataset");
    root.put("name", analysis.name().orElse(analysis.id().value()));
    root.put(
        "description",
        analysis
            .description()
            .orElse(
                "Runs of the ASTRA analysis '"
                    + analysis.id().value()
                    + "', exported by Lightcone "
                    + Lightcone.version()
                    + " as a Workflow Run RO-Crate"));
    for (String profile : List.of(PROCESS, WORKFLOW, PROVENANCE, WORKFLOW_RO_CRATE)) {
      link(root, "conformsTo", profile);
    }
    root.set("mainEntity", ref(workflowId));
    profile(PROCESS, "Process Run Crate", "0.5");
    profile(WORKFLOW, "Workflow Run Crate", "0.5");
    profile(PROVENANCE, "Provenance Run Crate", "0.5");
    profile(WORKFLOW_RO_CRATE, "Workflow RO-Crate", "1.0");

    workflow = entity(workflowId, "File", "SoftwareSourceCode", "ComputationalWorkflow", "HowTo");
    workflow.put("name", analysis.name().orElse(analysis.id().value()));
    analysis.description().ifPresent(d -> workflow.put("description", d));
    analysis.version().ifPresent(v -> workflow.put("version", v));
    workflow.put("encodingFormat", "application/yaml");
    workflow.set("programmingLanguage", ref("#astra"));
    ObjectNode astra = entity("#astra", "ComputerLanguage");
    astra.put("name", "ASTRA");
    astra.put(
        "description",
        "Analysis specification: inputs, outputs with recipes, and methodological decisions"
            + " with options; a universe picks one option per decision");
  }

  private void profile(String id, String name, String version) {
    ObjectNode p = entity(id, "CreativeWork");
    p.put("name", name);
    p.put("version", version);
  }

  /** An {@code astra.yaml} of the project; the root one is the main workflow. */
  void spec(String rel, CrateFiles.Copied copied) {
    String id = path(rel);
    if (id.equals(workflowId)) {
      file(workflow, rel, copied);
    } else {
      ObjectNode f = entity(id, "File", "SoftwareSourceCode");
      file(f, rel, copied);
      f.put("description", "Sub-analysis of " + workflowId);
      f.put("encodingFormat", "application/yaml");
      link(f, "isPartOf", workflowId);
    }
    link(root, "hasPart", id);
  }

  /** A universe: one run of the workflow, with its choices as parameter values. */
  void universe(ResolvedUniverse u, Map<String, CrateFiles.Copied> files) {
    String run = runId(u);
    ObjectNode action = entity(run, "CreateAction");
    action.put("name", "Universe " + u.id().value());
    action.set("instrument", ref(workflowId));
    action.set("actionStatus", ref(COMPLETED));
    link(root, "mentions", run);
    for (Map.Entry<QualifiedDecisionId, io.lightcone.model.OptionId> c :
        new TreeMap<>(u.choices()).entrySet()) {
      String param = decisionParam(c.getKey());
      ObjectNode pv = entity(valueId(u, c.getKey()), "PropertyValue");
      pv.put("name", c.getKey().toString());
      pv.put("value", c.getValue().value());
      link(pv, "exampleOfWork", param);
      if (u.defaulted().contains(c.getKey())) {
        pv.put("description", "the decision's default (the universe file leaves it out)");
      }
      link(action, "object", pv.get("@id").asText());
    }
    for (Map.Entry<String, CrateFiles.Copied> file : files.entrySet()) {
      String id = path(file.getKey());
      ObjectNode f = entity(id, "File");
      file(f, file.getKey(), file.getValue());
      f.put("description", "The choices of universe " + u.id().value());
      link(f, "about", run);
      link(root, "hasPart", id);
    }
  }

  private String decisionParam(QualifiedDecisionId d) {
    String id = "#param/decision/" + fragment(d.toString());
    if (!entities.containsKey(id)) {
      ObjectNode p = entity(id, "FormalParameter");
      p.put("name", d.toString());
      p.put("additionalType", "Text");
      Decision decision = tree.decision(d);
      decision.label().ifPresent(l -> p.put("description", l));
      decision.defaultOption().ifPresent(o -> p.put("defaultValue", o.value()));
      p.put("valueRequired", true);
      link(workflow, "input", id);
    }
    return id;
  }

  /**
   * An input no task makes: in the crate when it lies inside the project ({@code copied}, by crate
   * path), else named only (a URI, a path outside the project, a missing path).
   */
  void externalInput(TaskInput input, Map<String, CrateFiles.Copied> copied) {
    String path = input.path();
    if (externalIds.containsKey(path)) {
      return;
    }
    String id;
    if (path.contains("://")) {
      id = path;
      ObjectNode e = entity(id, "CreativeWork");
      e.put("name", path);
      e.put("url", path);
    } else if (copied == null) {
      id = "#external/" + fragment(path);
      ObjectNode e = entity(id, "CreativeWork");
      e.put("name", path);
      e.put("description", "Outside the project directory or missing; not in the crate");
    } else if (copied.size() == 1 && copied.containsKey(normal(path))) {
      id = path(normal(path));
      file(entity(id, "File"), normal(path), copied.get(normal(path)));
      link(root, "hasPart", id);
    } else {
      id = path(normal(path)) + "/";
      ObjectNode d = entity(id, "Dataset");
      d.put("name", normal(path));
      link(root, "hasPart", id);
      for (Map.Entry<String, CrateFiles.Copied> f : copied.entrySet()) {
        String fid = path(f.getKey());
        file(entity(fid, "File"), f.getKey(), f.getValue());
        link(d, "hasPart", fid);
        link(root, "hasPart", fid);
      }
    }
    externalIds.put(path, id);
  }

  /** One task: its tool and step (once per output), its run, and its output dataset. */
  void task(ResolvedUniverse u, Task t, Output out) {
    QualifiedOutputId q = t.id().output();
    AnalysisPath scope = q.analysis();
    String tool = tool(t);
    Manifest m = out.record();

    String dataset = path(out.dir()) + "/";
    datasets.put(t.id(), dataset);
    ObjectNode d = entity(dataset, "Dataset");
    d.put("name", q + " in universe " + u.id().value());
    d.put("dateModified", time(m.finishedAt()));
    String version = "#run/" + fragment(u.id().value()) + "/data_version/" + fragment(q.toString());
    ObjectNode dv = entity(version, "PropertyValue");
    dv.put("propertyID", "data_version");
    dv.put("name", "data_version");
    dv.put("value", m.dataVersion());
    dv.put(
        "description",
        "Lightcone's content version of the directory: SHA-256 over every file's relative path"
            + " and bytes, in path order");
    link(d, "identifier", version);
    link(d, "exampleOfWork", outputParam(q));
    link(d, "exampleOfWork", tool + "/output");
    link(root, "hasPart", dataset);
    // The output's declared ASTRA format (an extension) as a media type where one is known.
    t.outputFormat().ifPresent(f -> d.put("encodingFormat", mediaType("." + f).orElse(f)));
    for (Map.Entry<String, CrateFiles.Copied> f : out.data().entrySet()) {
      String fid = path(f.getKey());
      file(entity(fid, "File"), f.getKey(), f.getValue());
      link(d, "hasPart", fid);
      link(root, "hasPart", fid);
    }

    String action = runId(u) + "/task/" + fragment(q.toString());
    ObjectNode a = entity(action, "CreateAction");
    a.put("name", q + " in universe " + u.id().value());
    a.put(
        "description",
        t.command()
            + (m.restoredFromCache().orElse(false)
                ? "\n(restored from Lightcone's content-addressed cache, not re-run)"
                : ""));
    a.set("instrument", ref(tool));
    m.startedAt().ifPresent(s -> a.put("startTime", time(s)));
    a.put("endTime", time(m.finishedAt()));
    a.set("actionStatus", ref(COMPLETED));
    for (TaskInput input : t.inputs()) {
      String id =
          input.upstream().isPresent()
              ? datasets.get(input.upstream().get())
              : externalIds.get(input.path());
      if (id == null) {
        throw new IllegalStateException(t.id() + ": input " + input.id() + " was not described");
      }
      link(a, "object", id);
      link(entities.get(id), "exampleOfWork", tool + "/input/" + fragment(input.id()));
      if (input.upstream().isEmpty()) {
        link(entities.get(id), "exampleOfWork", inputParam(scope, input));
        link(entities.get(runId(u)), "object", id);
      }
      input.upstream().ifPresent(up -> toolUpstreams.get(tool).add(toolId(up.output())));
    }
    for (String declared : t.decisions().keySet()) {
      QualifiedDecisionId owner = tree.decisionOwner(scope, declared).value().orElseThrow();
      String pv = valueId(u, owner);
      link(a, "object", pv);
      link(entities.get(pv), "exampleOfWork", tool + "/decision/" + fragment(declared));
    }
    link(a, "result", dataset);
    m.containerImage().ifPresent(image -> a.set("containerImage", ref(image(image, m))));
    link(root, "mentions", action);
    link(entities.get(runId(u)), "result", dataset);

    ObjectNode manifest = entity(path(out.manifest()), "File");
    manifest.put("name", out.manifest());
    manifest.put("encodingFormat", "application/json");
    manifest.put(
        "description",
        "Lightcone manifest of "
            + t.id()
            + ": code_version "
            + m.codeVersion()
            + ", data_version "
            + m.dataVersion()
            + ", input versions, host and times");
    link(manifest, "about", action);
    out.signer()
        .ifPresent(
            key -> {
              String keyId = "#signing-key/" + fragment(key);
              ObjectNode k = entity(keyId, "PropertyValue");
              k.put("propertyID", "ed25519_public_key");
              k.put("name", "Ed25519 public key that signed the manifest");
              k.put("value", "ed25519 " + key);
              link(manifest, "additionalProperty", keyId);
            });
    manifest.put("contentSize", Long.toString(out.manifestFile().size()));
    manifest.put("sha256", out.manifestFile().sha256());
    link(root, "hasPart", path(out.manifest()));

    String control = runId(u) + "/step/" + fragment(q.toString());
    ObjectNode c = entity(control, "ControlAction");
    c.put("name", "orchestrate " + q + " in universe " + u.id().value());
    c.set("instrument", ref("#step/" + fragment(q.toString())));
    c.set("object", ref(action));
    c.set("actionStatus", ref(COMPLETED));
    Engine engine =
        new Engine(
            m.lcVersion(), m.substrate().orElse("local"), m.host(), m.slurmJobId().orElse(""));
    EngineRun run =
        engines
            .computeIfAbsent(u.id().value(), k -> new LinkedHashMap<>())
            .computeIfAbsent(engine, k -> new EngineRun());
    run.controls.add(control);
    double start = m.startedAt().orElse(m.finishedAt());
    run.start = Math.min(run.start, start);
    run.end = Math.max(run.end, m.finishedAt());
    double[] times =
        runTimes.computeIfAbsent(
            u.id().value(), k -> new double[] {Double.MAX_VALUE, -Double.MAX_VALUE});
    times[0] = Math.min(times[0], start);
    times[1] = Math.max(times[1], m.finishedAt());
    published = Math.max(published, m.finishedAt());
  }

  /** The tool (and its step and parameters) of the output {@code t} makes, once per output. */
  private String tool(Task t) {
    QualifiedOutputId q = t.id().output();
    String id = toolId(q);
    if (entities.containsKey(id)) {
      return id;
    }
    io.lightcone.model.Output o = tree.output(q);
    ObjectNode tool = entity(id, "SoftwareApplication");
    tool.put("name", q.toString());
    List<String> about = new ArrayList<>();
    o.label().ifPresent(about::add);
    o.description().map(String::strip).ifPresent(about::add);
    about.add("Recipe: " + t.template());
    tool.put("description", String.join(". ", about));
    for (TaskInput input : t.inputs()) {
      String p = id + "/input/" + fragment(input.id());
      ObjectNode param = entity(p, "FormalParameter");
      param.put("name", input.id());
      param.put("additionalType", input.isOutput() ? "Dataset" : "File");
      link(tool, "input", p);
    }
    for (String declared : t.decisions().keySet()) {
      String p = id + "/decision/" + fragment(declared);
      ObjectNode param = entity(p, "FormalParameter");
      param.put("name", declared);
      param.put("additionalType", "Text");
      link(tool, "input", p);
    }
    ObjectNode output = entity(id + "/output", "FormalParameter");
    output.put("name", q.toString());
    output.put("additionalType", "Dataset");
    o.type().ifPresent(type -> output.put("description", "ASTRA output type " + type));
    link(tool, "output", id + "/output");
    link(workflow, "hasPart", id);
    toolUpstreams.put(id, new TreeSet<>());
    return id;
  }

  private String outputParam(QualifiedOutputId q) {
    String id = "#param/output/" + fragment(q.toString());
    if (!entities.containsKey(id)) {
      ObjectNode p = entity(id, "FormalParameter");
      p.put("name", q.toString());
      p.put("additionalType", "Dataset");
      link(workflow, "output", id);
    }
    return id;
  }

  /** The workflow's parameter for an input that no task makes, named as the spec declares it. */
  private String inputParam(AnalysisPath scope, TaskInput input) {
    String name =
        tree.inputSource(scope, input.id())
            .value()
            .map(
                s ->
                    s instanceof Tree.ExternalInput e
                        ? e.analysis().qualify(e.input().id().value())
                        : scope.qualify(input.id()))
            .orElse(scope.qualify(input.id()));
    String id = "#param/input/" + fragment(name);
    if (!entities.containsKey(id)) {
      ObjectNode p = entity(id, "FormalParameter");
      p.put("name", name);
      String entity = externalIds.get(input.path());
      p.put("additionalType", entity != null && entity.endsWith("/") ? "Dataset" : "File");
      p.put("valueRequired", true);
      link(workflow, "input", id);
    }
    return id;
  }

  /** A container the recipe ran in (workflow-run {@code ContainerImage}). */
  private String image(String declared, Manifest m) {
    String identity = m.imageIdentity().orElse(declared);
    String id = "#container/" + fragment(identity);
    if (!entities.containsKey(id)) {
      ObjectNode img = entity(id, "ContainerImage");
      img.set("additionalType", ref("https://w3id.org/ro/terms/workflow-run#DockerImage"));
      ImageRef r = ImageRef.parse(identity);
      r.registry().ifPresent(reg -> img.put("registry", reg));
      img.put("name", r.name());
      r.tag().ifPresent(tag -> img.put("tag", tag));
      r.digest().ifPresent(sha -> img.put("sha256", sha));
      if (!identity.equals(declared)) {
        img.put("description", "Built from " + declared);
      }
    }
    return id;
  }

  /** An image reference split as the workflow-run terms want it. */
  record ImageRef(
      Optional<String> registry, String name, Optional<String> tag, Optional<String> digest) {
    static ImageRef parse(String ref) {
      String rest = ref;
      Optional<String> digest = Optional.empty();
      int at = rest.indexOf("@sha256:");
      if (at >= 0) {
        digest = Optional.of(rest.substring(at + "@sha256:".length()));
        rest = rest.substring(0, at);
      }
      Optional<String> tag = Optional.empty();
      int colon = rest.lastIndexOf(':');
      if (colon > rest.lastIndexOf('/')) {
        tag = Optional.of(rest.substring(colon + 1));
        rest = rest.substring(0, colon);
      }
      Optional<String> registry = Optional.empty();
      int slash = rest.indexOf('/');
      if (slash > 0) {
        String first = rest.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
          registry = Optional.of(first);
          rest = rest.substring(slash + 1);
        }
      }
      return new ImageRef(registry, rest, tag, digest);
    }
  }

  /** The finished document: steps numbered, engine runs grouped, entities sorted by id. */
  byte[] toJson() {
    numberSteps();
    for (Map.Entry<String, Map<Engine, EngineRun>> e : engines.entrySet()) {
      String run = "#run/" + fragment(e.getKey());
      int n = 0;
      for (Map.Entry<Engine, EngineRun> g : e.getValue().entrySet()) {
        Engine engine = g.getKey();
        EngineRun r = g.getValue();
        String id = run + "/engine/" + (++n);
        ObjectNode o = entity(id, "OrganizeAction");
        o.put(
            "name",
            "Lightcone "
                + engine.lcVersion()
                + " on "
                + engine.host()
                + " ("
                + engine.substrate()
                + " substrate)");
        link(o, "instrument", lightcone(engine.lcVersion()));
        link(o, "instrument", substrate(engine.substrate()));
        o.put("location", engine.host());
        if (!engine.slurmJob().isEmpty()) {
          o.put("description", "SLURM job " + engine.slurmJob());
        }
        r.controls.forEach(c -> link(o, "object", c));
        o.set("result", ref(run));
        o.put("startTime", time(r.start));
        o.put("endTime", time(r.end));
        o.set("actionStatus", ref(COMPLETED));
      }
    }
    runTimes.forEach(
        (u, t) -> {
          ObjectNode run = entities.get("#run/" + fragment(u));
          run.put("startTime", time(t[0]));
          run.put("endTime", time(t[1]));
        });
    if (published > -Double.MAX_VALUE) {
      root.put("datePublished", time(published));
    } else {
      root.put("datePublished", ISO.format(Instant.EPOCH));
    }
    ObjectNode doc = JSON.objectNode();
    ArrayNode context = doc.putArray("@context");
    context.add("https://w3id.org/ro/crate/1.1/context");
    context.add("https://w3id.org/ro/terms/workflow-run/context");
    ArrayNode graph = doc.putArray("@graph");
    graph.add(descriptor);
    graph.add(root);
    entities.values().forEach(graph::add);
    try {
      return new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(doc)
          .concat("\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Positions in an execution order: a step comes after every step whose output it reads (longest
   * path from a source, ties broken by id), numbered from 0.
   */
  private void numberSteps() {
    Map<String, Integer> depth = new HashMap<>();
    for (String tool : toolUpstreams.keySet()) {
      depth(tool, depth);
    }
    List<String> order = new ArrayList<>(toolUpstreams.keySet());
    order.sort(
        java.util.Comparator.comparing((String t) -> depth.get(t))
            .thenComparing(java.util.Comparator.naturalOrder()));
    int position = 0;
    for (String tool : order) {
      String q = tool.substring("#tool/".length());
      String id = "#step/" + q;
      ObjectNode step = entity(id, "HowToStep");
      step.put("name", entities.get(tool).get("name").asText());
      step.set("workExample", ref(tool));
      step.put("position", position++);
      link(workflow, "step", id);
    }
  }

  private int depth(String tool, Map<String, Integer> depth) {
    Integer known = depth.get(tool);
    if (known != null) {
      return known;
    }
    int d = 0;
    for (String up : toolUpstreams.getOrDefault(tool, new TreeSet<>())) {
      if (!up.equals(tool)) {
        d = Math.max(d, depth(up, depth) + 1);
      }
    }
    depth.put(tool, d);
    return d;
  }

  private String lightcone(String version) {
    String id = "#lightcone/" + fragment(version);
    if (!entities.containsKey(id)) {
      ObjectNode app = entity(id, "SoftwareApplication");
      app.put("name", "Lightcone");
      app.put("softwareVersion", version);
      app.put("description", "Runs ASTRA analyses reproducibly: one task per output and universe");
    }
    return id;
  }

  private String substrate(String name) {
    String id = "#lightcone/substrate/" + fragment(name);
    if (!entities.containsKey(id)) {
      ObjectNode app = entity(id, "SoftwareApplication");
      app.put("name", "Lightcone " + name + " substrate");
      app.put("description", "Where Lightcone's tasks ran (local thread pool, Snakemake, Dask)");
    }
    return id;
  }

  private static String toolId(QualifiedOutputId q) {
    return "#tool/" + fragment(q.toString());
  }

  private static String runId(ResolvedUniverse u) {
    return "#run/" + fragment(u.id().value());
  }

  private static String valueId(ResolvedUniverse u, QualifiedDecisionId d) {
    return runId(u) + "/decision/" + fragment(d.toString());
  }

  private void file(ObjectNode f, String rel, CrateFiles.Copied copied) {
    if (!f.has("name")) {
      f.put("name", rel.substring(rel.lastIndexOf('/') + 1));
    }
    f.put("contentSize", Long.toString(copied.size()));
    f.put("sha256", copied.sha256());
    mediaType(rel).ifPresent(t -> f.put("encodingFormat", t));
  }

  private static Optional<String> mediaType(String rel) {
    String ext = rel.substring(rel.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return Optional.ofNullable(
        switch (ext) {
          case "csv" -> "text/csv";
          case "tsv" -> "text/tab-separated-values";
          case "json" -> "application/json";
          case "yaml", "yml" -> "application/yaml";
          case "txt", "log" -> "text/plain";
          case "png" -> "image/png";
          case "jpg", "jpeg" -> "image/jpeg";
          case "svg" -> "image/svg+xml";
          case "pdf" -> "application/pdf";
          case "html" -> "text/html";
          case "parquet" -> "application/vnd.apache.parquet";
          case "md" -> "text/markdown";
          case "nc" -> "application/x-netcdf";
          default -> null;
        });
  }

  private ObjectNode entity(String id, String... types) {
    ObjectNode known = entities.get(id);
    if (known != null) {
      return known;
    }
    ObjectNode e = JSON.objectNode();
    e.put("@id", id);
    if (types.length == 1) {
      e.put("@type", types[0]);
    } else {
      ArrayNode t = e.putArray("@type");
      for (String type : types) {
        t.add(type);
      }
    }
    entities.put(id, e);
    return e;
  }

  /** Adds {@code {"@id": id}} to the array {@code property} of {@code node}, once. */
  private static void link(ObjectNode node, String property, String id) {
    JsonNode existing = node.get(property);
    ArrayNode array = existing instanceof ArrayNode a ? a : node.putArray(property);
    for (JsonNode n : array) {
      if (id.equals(n.path("@id").asText(null))) {
        return;
      }
    }
    array.add(ref(id));
  }

  private static ObjectNode ref(String id) {
    return JSON.objectNode().put("@id", id);
  }

  private static String time(double unixSeconds) {
    long micros = Math.round(unixSeconds * 1_000_000d);
    return ISO.format(Instant.ofEpochSecond(0, 0).plusNanos(micros * 1000));
  }

  private static String normal(String path) {
    String p = path;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.startsWith("./") ? p.substring(2) : p;
  }

  /** A crate-relative path as a URI path: each segment percent-encoded (UTF-8). */
  static String path(String rel) {
    StringBuilder out = new StringBuilder();
    for (String segment : rel.split("/", -1)) {
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(encode(segment, false));
    }
    return out.toString();
  }

  /** A local identifier's part: percent-encoded, {@code /} and {@code .} kept. */
  static String fragment(String text) {
    return encode(text, true);
  }

  private static String encode(String text, boolean keepSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == '~'
              || (keepSlash && c == '/');
      if (plain) {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
