package io.lightcone.core.internal.report;

import static j2html.TagCreator.a;
import static j2html.TagCreator.body;
import static j2html.TagCreator.code;
import static j2html.TagCreator.div;
import static j2html.TagCreator.document;
import static j2html.TagCreator.each;
import static j2html.TagCreator.figcaption;
import static j2html.TagCreator.figure;
import static j2html.TagCreator.h1;
import static j2html.TagCreator.h2;
import static j2html.TagCreator.h3;
import static j2html.TagCreator.head;
import static j2html.TagCreator.img;
import static j2html.TagCreator.input;
import static j2html.TagCreator.li;
import static j2html.TagCreator.meta;
import static j2html.TagCreator.nav;
import static j2html.TagCreator.p;
import static j2html.TagCreator.pre;
import static j2html.TagCreator.rawHtml;
import static j2html.TagCreator.script;
import static j2html.TagCreator.section;
import static j2html.TagCreator.span;
import static j2html.TagCreator.style;
import static j2html.TagCreator.table;
import static j2html.TagCreator.tbody;
import static j2html.TagCreator.td;
import static j2html.TagCreator.th;
import static j2html.TagCreator.thead;
import static j2html.TagCreator.title;
import static j2html.TagCreator.tr;
import static j2html.TagCreator.ul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.LightconeException;
import io.lightcone.Manifest;
import io.lightcone.OutputStatus;
import io.lightcone.StatusReport;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.VerifyReport;
import io.lightcone.VerifyResult;
import io.lightcone.core.SpecificationCurve;
import io.lightcone.core.internal.manifest.FailureLog;
import io.lightcone.core.internal.manifest.ManifestStore;
import io.lightcone.model.Analysis;
import io.lightcone.model.Decision;
import io.lightcone.model.OutputType;
import io.lightcone.model.ResolvedUniverse;
import j2html.tags.DomContent;
import j2html.tags.specialized.SectionTag;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The report of a project as one self-contained HTML page: styles, script, charts and figures
 * inline, nothing fetched. j2html builds it, so every text and attribute is escaped by one
 * well-kept library rather than by hand.
 */
public final class ProjectReport {
  /** A figure larger than this is named, not embedded. */
  static final long FIGURE_CAP = 1 << 20;

  /** All embedded figures together stay under this. */
  static final long FIGURES_CAP = 4L << 20;

  /** The last this many bytes of a failed task's log. */
  static final int LOG_TAIL = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path project;
  private final Analysis analysis;
  private final List<ResolvedUniverse> universes;
  private final StatusReport status;
  private final VerifyReport verify;
  private final Function<TaskId, Task> tasks;
  private final Map<TaskId, Manifest> manifests = new LinkedHashMap<>();

  public ProjectReport(
      Path project,
      Analysis analysis,
      List<ResolvedUniverse> universes,
      StatusReport status,
      VerifyReport verify,
      Function<TaskId, Task> tasks) {
    this.project = project;
    this.analysis = analysis;
    this.universes = universes;
    this.status = status;
    this.verify = verify;
    this.tasks = tasks;
    for (OutputStatus o : status.outputs()) {
      o.task()
          .ifPresent(
              id -> {
                if (ManifestStore.read(project.resolve(tasks.apply(id).outputDir()))
                    instanceof ManifestStore.Present present) {
                  manifests.put(id, present.manifest());
                }
              });
    }
  }

  /** Writes the page to {@code file} (through a temporary file beside it). */
  public void write(Path file) {
    String page = page();
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      // A name nobody can guess, created new (so with the umask's permissions, as any file).
      Path tmp = parent.resolve(".report-" + java.util.UUID.randomUUID() + ".html.tmp");
      try {
        Files.writeString(
            tmp, page, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT, "cannot write " + file + ": " + e.getMessage());
    }
  }

  String page() {
    String name = analysis.name().orElse(analysis.id().value());
    return document(
        j2html.TagCreator.html(
                head(
                    meta().withCharset("utf-8"),
                    meta().withName("viewport").withContent("width=device-width"),
                    title("Lightcone report: " + name),
                    style(rawHtml(CSS))),
                body(
                    h1("Lightcone report: " + name),
                    nav(
                        ul(
                            each(
                                List.of(
                                    "project",
                                    "universes",
                                    "outputs",
                                    "timeline",
                                    "curves",
                                    "figures",
                                    "failures"),
                                s -> li(a(s).withHref("#" + s))))),
                    projectSection(),
                    universesSection(),
                    outputsSection(),
                    timelineSection(),
                    curvesSection(),
                    figuresSection(),
                    failuresSection(),
                    script(rawHtml(JS))))
            .withLang("en"));
  }

  // --- project and decisions

  private SectionTag projectSection() {
    Map<String, Decision> decisions = decisions();
    return section(
            h2("Project"),
            p(
                text("Analysis "),
                code(analysis.id().value()),
                text(analysis.version().map(v -> " version " + v).orElse("")),
                text(" in " + project.toAbsolutePath().normalize())),
            each(analysis.description().stream().toList(), d -> p(d)),
            p(summary()),
            h3("Decisions").withId("decisions"),
            decisions.isEmpty()
                ? p("The project declares no decision.")
                : table(
                    thead(tr(th("decision"), th("options"), th("default"), th("label"))),
                    tbody(
                        each(
                            decisions,
                            (id, d) ->
                                tr(
                                    td(code(id)),
                                    td(
                                        each(
                                            d.options().values().stream().toList(),
                                            o ->
                                                span(o.id().value()
                                                        + (o.excludedReason().isPresent()
                                                            ? " (excluded)"
                                                            : ""))
                                                    .withClass("opt")
                                                    .withTitle(o.label()))),
                                    td(d.defaultOption().map(o -> o.value()).orElse("")),
                                    td(d.label().orElse("")))))))
        .withId("project");
  }

  private String summary() {
    List<String> parts = new ArrayList<>();
    status
        .counts()
        .forEach(
            (state, n) -> {
              if (n > 0) {
                parts.add(n + " " + state.word());
              }
            });
    return universes.size()
        + " universes; "
        + status.outputs().size()
        + " outputs: "
        + String.join(", ", parts)
        + "; verify: "
        + (verify.passed()
            ? verify.results().size() + " verified, no integrity failure"
            : verify.failures() + " integrity failure(s)")
        + ".";
  }

  /** Every decision of the tree, qualified from the root, in tree order. */
  private Map<String, Decision> decisions() {
    Map<String, Decision> all = new LinkedHashMap<>();
    collect(analysis, "", all);
    return all;
  }

  private static void collect(Analysis a, String prefix, Map<String, Decision> into) {
    a.decisions().forEach((id, d) -> into.put(prefix + id.value(), d));
    a.analyses().forEach((id, sub) -> collect(sub, prefix + id.value() + ".", into));
  }

  // --- universes × decisions

  private SectionTag universesSection() {
    List<String> columns = new ArrayList<>();
    universes.forEach(u -> u.choices().keySet().forEach(d -> addIfNew(columns, d.toString())));
    return section(
            h2("Universes"),
            p(universes.size() + " universes × " + columns.size() + " decisions."),
            filter(),
            table(
                    thead(tr(th("universe"), th("from"), each(columns, c -> th(c)))),
                    tbody(
                        each(
                            universes,
                            u -> {
                              Map<String, String> choices = choices(u);
                              return tr(
                                  td(u.id().value()),
                                  td(u.file().orElse("enumerated")),
                                  each(columns, c -> td(choices.getOrDefault(c, "–"))));
                            })))
                .withClass("sortable"))
        .withId("universes");
  }

  private static Map<String, String> choices(ResolvedUniverse u) {
    Map<String, String> choices = new LinkedHashMap<>();
    u.choices().forEach((d, o) -> choices.put(d.toString(), o.value()));
    return choices;
  }

  private static void addIfNew(List<String> list, String value) {
    if (!list.contains(value)) {
      list.add(value);
    }
  }

  // --- outputs: status, verification, provenance

  private SectionTag outputsSection() {
    Map<String, VerifyResult> verified = new java.util.HashMap<>();
    verify.results().forEach(r -> verified.put(r.universeId() + "/" + r.qualifiedId(), r));
    Map<String, String> recipes = new TreeMap<>();
    for (OutputStatus o : status.outputs()) {
      o.recipeCommand().ifPresent(r -> recipes.putIfAbsent(o.qualifiedId(), r));
    }
    return section(
            h2("Outputs"),
            p(
                "One row per output and universe: its status (from manifests), its verification"
                    + " (data re-hashed, chain of manifests checked) and its provenance from"
                    + " its manifest. Versions show their first 12 hex digits; the manifest"
                    + " beside each output holds them whole."),
            filter(),
            table(
                    thead(
                        tr(
                            th("universe"),
                            th("output"),
                            th("status"),
                            th("verify"),
                            th("data"),
                            th("code"),
                            th("inputs"),
                            th("substrate"),
                            th("started"),
                            th("finished"))),
                    tbody(
                        each(
                            status.outputs(),
                            o -> {
                              VerifyResult v = verified.get(o.universeId() + "/" + o.qualifiedId());
                              Optional<Manifest> m = o.task().map(manifests::get);
                              String reasons = String.join("; ", o.reasons());
                              return tr(
                                      td(o.universeId()),
                                      td(o.qualifiedId()),
                                      td(o.state().word()
                                              + (reasons.isEmpty() ? "" : ": " + reasons))
                                          .withClass("st-" + o.state().word()),
                                      verifyCell(v),
                                      td(m.map(x -> shortVersion(x.dataVersion())).orElse("")),
                                      td(m.map(x -> shortVersion(x.codeVersion())).orElse("")),
                                      td(m.map(ProjectReport::inputs).orElse("")),
                                      td(
                                          m.map(
                                                  x ->
                                                      x.substrate().orElse("")
                                                          + (x.restoredFromCache().orElse(false)
                                                              ? " (cache)"
                                                              : ""))
                                              .orElse("")),
                                      td(m.map(x -> time(x.startedAt())).orElse("")),
                                      td(
                                          m.map(x -> time(OptionalDouble.of(x.finishedAt())))
                                              .orElse("")))
                                  .withClass("row");
                            })))
                .withClass("sortable"),
            h3("Recipes"),
            table(
                thead(tr(th("output"), th("recipe"))),
                tbody(each(recipes, (id, r) -> tr(td(id), td(code(r)))))))
        .withId("outputs");
  }

  private static DomContent verifyCell(VerifyResult v) {
    if (v == null) {
      return td("–");
    }
    String word = v.failure().map(VerifyResult.Failure::word).orElse("ok");
    return td(word + (v.detail().isEmpty() ? "" : ": " + v.detail()))
        .withClass(v.passed() ? "st-ok" : "st-failed");
  }

  private static String inputs(Manifest m) {
    List<String> parts = new ArrayList<>();
    m.inputVersions().forEach((id, version) -> parts.add(id + "=" + shortVersion(version)));
    return String.join(" ", parts);
  }

  private static String shortVersion(String version) {
    int colon = version.indexOf(':');
    if (version.startsWith("sha256:") && version.length() > colon + 13) {
      return version.substring(colon + 1, colon + 13);
    }
    return version;
  }

  private static String time(OptionalDouble seconds) {
    if (seconds.isEmpty()) {
      return "";
    }
    long millis = Math.round(seconds.getAsDouble() * 1000);
    return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  // --- timeline

  private SectionTag timelineSection() {
    Optional<Timeline> timeline = Timeline.lastRun(manifests);
    return section(
            h2("Timeline of the last run"),
            timeline.isEmpty()
                ? p("No manifest records when its task started: nothing to draw.")
                : div(p(timeline.get().caption()), rawHtml(timeline.get().svg("timeline-chart"))))
        .withId("timeline");
  }

  // --- specification curves

  private SectionTag curvesSection() {
    List<DomContent> curves = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int index = 0;
    for (Map.Entry<String, Map<String, List<SpecificationCurve.Point>>> output :
        metricPoints(notes).entrySet()) {
      for (Map.Entry<String, List<SpecificationCurve.Point>> field : output.getValue().entrySet()) {
        String label = output.getKey() + "." + field.getKey();
        SpecificationCurve curve =
            SpecificationCurve.of(label, curveOptions(field.getValue()), field.getValue());
        curves.add(
            figure(
                    rawHtml(curve.toSvg("curve" + index++)),
                    figcaption(
                        label
                            + ": "
                            + field.getValue().size()
                            + (field.getValue().size() == 1 ? " universe" : " universes")
                            + " whose output is ok, ranked by value"))
                .withClass("curve"));
      }
    }
    return section(
            h2("Specification curves"),
            p(
                "For each numeric top-level field of each metric output: every universe's value,"
                    + " lowest to highest (an interval where the output has <field>_lo and"
                    + " <field>_hi), and under it which option each universe chose. Only outputs"
                    + " whose status is ok are drawn."),
            curves.isEmpty() ? p("No metric output with a numeric field is ok yet.") : div(),
            each(curves, c -> c),
            each(notes, n -> p(n).withClass("note")))
        .withId("curves");
  }

  private Map<String, List<String>> curveOptions(List<SpecificationCurve.Point> points) {
    Map<String, Decision> decisions = decisions();
    Map<String, List<String>> options = new LinkedHashMap<>();
    for (SpecificationCurve.Point p : points) {
      for (String d : p.choices().keySet()) {
        if (!options.containsKey(d)) {
          Decision decision = decisions.get(d);
          options.put(
              d,
              decision == null
                  ? new ArrayList<>()
                  : new ArrayList<>(
                      decision.options().keySet().stream().map(o -> o.value()).toList()));
        }
        addIfNew(options.get(d), p.choices().get(d));
      }
    }
    return options;
  }

  /** Output → field → the points of the universes where that output is ok. */
  private Map<String, Map<String, List<SpecificationCurve.Point>>> metricPoints(
      List<String> notes) {
    Map<String, ResolvedUniverse> byId = new java.util.HashMap<>();
    universes.forEach(u -> byId.put(u.id().value(), u));
    Map<String, Map<String, List<SpecificationCurve.Point>>> points = new TreeMap<>();
    for (OutputStatus o : status.outputs()) {
      if (o.state() != OutputStatus.State.OK || o.task().isEmpty()) {
        continue;
      }
      Task task = tasks.apply(o.task().get());
      if (task.outputType() != OutputType.METRIC) {
        continue;
      }
      ResolvedUniverse u = byId.get(o.universeId());
      Optional<JsonNode> json = metricJson(project.resolve(task.outputDir()), notes);
      if (u == null || json.isEmpty()) {
        continue;
      }
      Map<String, List<SpecificationCurve.Point>> fields =
          points.computeIfAbsent(o.qualifiedId(), k -> new TreeMap<>());
      JsonNode object = json.get();
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String name = f.getKey();
        if (!f.getValue().isNumber()
            || !Double.isFinite(f.getValue().asDouble())
            || isIntervalEnd(object, name)) {
          continue;
        }
        SpecificationCurve.Point p =
            SpecificationCurve.Point.of(u.id().value(), choices(u), f.getValue().asDouble());
        JsonNode lo = object.get(name + "_lo");
        JsonNode hi = object.get(name + "_hi");
        if (lo != null && hi != null && lo.isNumber() && hi.isNumber()) {
          p = p.withInterval(lo.asDouble(), hi.asDouble());
        }
        fields.computeIfAbsent(name, k -> new ArrayList<>()).add(p);
      }
    }
    return points;
  }

  private static boolean isIntervalEnd(JsonNode object, String name) {
    return (name.endsWith("_lo") && object.has(name.substring(0, name.length() - 3)))
        || (name.endsWith("_hi") && object.has(name.substring(0, name.length() - 3)));
  }

  private Optional<JsonNode> metricJson(Path dir, List<String> notes) {
    List<Path> json;
    try (Stream<Path> files = Files.list(dir)) {
      json =
          files
              .filter(f -> f.getFileName().toString().endsWith(".json"))
              .filter(f -> !f.getFileName().toString().equals(ManifestStore.FILE))
              .sorted()
              .toList();
    } catch (IOException e) {
      notes.add(project.relativize(dir) + ": cannot list (" + e.getMessage() + ")");
      return Optional.empty();
    }
    if (json.size() != 1) {
      notes.add(
          project.relativize(dir)
              + ": a metric output holds one .json file, this one holds "
              + json.size());
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(json.get(0).toFile());
      if (node == null || !node.isObject()) {
        notes.add(project.relativize(json.get(0)) + ": no JSON object at its top");
        return Optional.empty();
      }
      return Optional.of(node);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      notes.add(
          project.relativize(json.get(0)) + ": not valid JSON (" + e.getOriginalMessage() + ")");
      return Optional.empty();
    } catch (IOException e) {
      notes.add(project.relativize(json.get(0)) + ": unreadable (" + e.getMessage() + ")");
      return Optional.empty();
    }
  }

  // --- figures

  private SectionTag figuresSection() {
    List<DomContent> figures = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    long embedded = 0;
    for (OutputStatus o : status.outputs()) {
      if (o.task().isEmpty() || !manifests.containsKey(o.task().get())) {
        continue;
      }
      Task task = tasks.apply(o.task().get());
      if (task.outputType() != OutputType.FIGURE) {
        continue;
      }
      for (Path image : images(project.resolve(task.outputDir()))) {
        String rel = project.relativize(image).toString();
        long size;
        byte[] bytes;
        try {
          size = Files.size(image);
          if (size > FIGURE_CAP || embedded + size > FIGURES_CAP) {
            skipped.add(rel + " (" + size + " bytes)");
            continue;
          }
          bytes = Files.readAllBytes(image);
        } catch (IOException e) {
          skipped.add(rel + " (unreadable: " + e.getMessage() + ")");
          continue;
        }
        embedded += size;
        figures.add(
            figure(
                img()
                    .withSrc(
                        "data:"
                            + mediaType(image)
                            + ";base64,"
                            + Base64.getEncoder().encodeToString(bytes))
                    .withAlt(rel),
                figcaption(o.universeId() + " / " + o.qualifiedId() + ": " + rel)));
      }
    }
    return section(
            h2("Figures"),
            figures.isEmpty() ? p("No figure output has been made.") : div(),
            div(each(figures, f -> f)).withClass("figures"),
            skipped.isEmpty()
                ? div()
                : p("Not embedded (over "
                        + (FIGURE_CAP >> 20)
                        + " MiB each or "
                        + (FIGURES_CAP >> 20)
                        + " MiB in all): "
                        + String.join(", ", skipped))
                    .withClass("note"))
        .withId("figures");
  }

  private static List<Path> images(Path dir) {
    try (Stream<Path> files = Files.walk(dir, 2)) {
      return files.filter(Files::isRegularFile).filter(f -> mediaType(f) != null).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String mediaType(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".png")) {
      return "image/png";
    }
    if (name.endsWith(".svg")) {
      return "image/svg+xml";
    }
    if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    return null;
  }

  // --- failures

  private SectionTag failuresSection() {
    List<DomContent> failures = new ArrayList<>();
    for (OutputStatus o : status.outputs()) {
      if (o.state() != OutputStatus.State.FAILED || o.task().isEmpty()) {
        continue;
      }
      TaskId id = o.task().get();
      String reason = String.join("; ", o.reasons());
      String tail = "";
      Path record = FailureLog.file(project, id);
      try {
        JsonNode n = JSON.readTree(record.toFile());
        if (n != null && n.hasNonNull("log")) {
          tail = tail(project.resolve(n.get("log").asText()));
        }
      } catch (IOException e) {
        tail = "(no failure record: " + e.getMessage() + ")";
      }
      failures.add(
          div(
                  h3(id.toString()),
                  p(reason.isEmpty() ? "failed" : reason),
                  tail.isEmpty() ? p("No log was written.") : pre(tail))
              .withClass("failure"));
    }
    return section(
            h2("Failures"),
            failures.isEmpty()
                ? p("No task failed in its last attempt.")
                : p(
                    failures.size()
                        + " task(s) failed in their last attempt; the end of each log:"),
            each(failures, f -> f))
        .withId("failures");
  }

  private static String tail(Path log) {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, f.length() - LOG_TAIL);
      byte[] bytes = new byte[(int) (f.length() - start)];
      f.seek(start);
      f.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      return (start > 0 ? "…" : "") + text;
    } catch (IOException e) {
      return "(log " + log + " unreadable: " + e.getMessage() + ")";
    }
  }

  // --- page furniture

  private static DomContent filter() {
    return input().withType("search").withClass("filter").attr("placeholder", "filter rows");
  }

  private static DomContent text(String s) {
    return j2html.TagCreator.text(s);
  }

  private static final String CSS =
      "body{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#222}"
          + "nav ul{list-style:none;padding:0;display:flex;gap:1em}"
          + "table{border-collapse:collapse;margin:.5em 0;font-size:12px}"
          + "th,td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}"
          + "th{background:#f4f4f4;cursor:pointer;position:sticky;top:0}"
          + "code{font-size:12px}.opt{border:1px solid #ccc;border-radius:3px;padding:0 4px;"
          + "margin-right:4px}.st-ok{color:#176b2c}.st-stale,.st-missing{color:#8a5a00}"
          + ".st-failed{color:#b00020;font-weight:bold}.note{color:#666;font-size:12px}"
          + "figure{margin:1em 0}.figures img{max-width:480px;border:1px solid #ddd}"
          + ".figures{display:flex;flex-wrap:wrap;gap:1em}pre{background:#f7f7f7;padding:.5em;"
          + "overflow:auto;max-height:20em}svg{max-width:100%;height:auto}"
          + ".filter{margin:.3em 0;padding:2px 4px}";

  /** Filters a table's rows by the search box before it, and sorts by a clicked header. */
  private static final String JS =
      "document.querySelectorAll('input.filter').forEach(function(box){"
          + "var t=box.nextElementSibling;box.addEventListener('input',function(){"
          + "var q=box.value.toLowerCase();t.querySelectorAll('tbody tr').forEach(function(r){"
          + "r.style.display=r.textContent.toLowerCase().indexOf(q)<0?'none':'';});});});"
          + "document.querySelectorAll('table.sortable th').forEach(function(h,i){"
          + "h.addEventListener('click',function(){var b=h.closest('table').tBodies[0];"
          + "var up=h.dataset.up!=='1';h.dataset.up=up?'1':'0';"
          + "Array.from(b.rows).sort(function(x,y){var a=x.cells[i].textContent,"
          + "c=y.cells[i].textContent;return (up?1:-1)*a.localeCompare(c,undefined,{numeric:true});"
          + "}).forEach(function(r){b.appendChild(r);});});});";
}
