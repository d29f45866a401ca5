package io.lightcone.core.internal.project;

import io.lightcone.core.internal.project.SourceIndex.Kind;
import io.lightcone.core.internal.yaml.Mark;
import io.lightcone.core.internal.yaml.YMap;
import io.lightcone.core.internal.yaml.YNode;
import io.lightcone.core.internal.yaml.YScalar;
import io.lightcone.model.Analysis;
import io.lightcone.model.AnalysisId;
import io.lightcone.model.AnalysisPath;
import io.lightcone.model.Condition;
import io.lightcone.model.Decision;
import io.lightcone.model.DecisionId;
import io.lightcone.model.Evidence;
import io.lightcone.model.EvidenceId;
import io.lightcone.model.Identifiers;
import io.lightcone.model.Input;
import io.lightcone.model.InputId;
import io.lightcone.model.InputType;
import io.lightcone.model.Insight;
import io.lightcone.model.InsightId;
import io.lightcone.model.Option;
import io.lightcone.model.OptionId;
import io.lightcone.model.OptionRef;
import io.lightcone.model.Output;
import io.lightcone.model.OutputId;
import io.lightcone.model.OutputType;
import io.lightcone.model.PageLocation;
import io.lightcone.model.Recipe;
import io.lightcone.model.Ref;
import io.lightcone.model.Resources;
import io.lightcone.model.TextQuote;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The schema stage: binds YAML trees to the ASTRA model, checking what the schema says (required
 * fields, types, enums, id patterns and reserved words, closed objects, the {@code from:} grammar,
 * aliases that redeclare content). Sub-analyses with {@code path:} are read through {@link
 * AnalysisFiles}. Every element's position goes into the {@link SourceIndex}.
 */
final class AnalysisBinder {
  static final List<String> ANALYSIS_KEYS =
      List.of(
          "id",
          "version",
          "name",
          "description",
          "tags",
          "inputs",
          "outputs",
          "decisions",
          "prior_insights",
          "findings",
          "container",
          "path",
          "analyses");
  static final List<String> INPUT_KEYS =
      List.of(
          "id",
          "label",
          "type",
          "description",
          "source",
          "ref",
          "ref_version",
          "use_outputs",
          "from");
  static final List<String> INPUT_ALIAS_FORBIDS =
      List.of("type", "label", "description", "source", "ref", "ref_version", "use_outputs");
  static final List<String> OUTPUT_KEYS =
      List.of(
          "id",
          "label",
          "type",
          "format",
          "description",
          "inputs",
          "decisions",
          "recipe",
          "from",
          "when");
  static final List<String> OUTPUT_ALIAS_FORBIDS =
      List.of("type", "format", "label", "description", "inputs", "decisions", "recipe");
  // ASTRA 0.0.14 Output.format: a file extension without the dot.
  private static final java.util.regex.Pattern FORMAT =
      java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_.+-]*");
  static final List<String> RECIPE_KEYS = List.of("command", "resources", "container");
  static final List<String> RESOURCE_KEYS = List.of("cpus", "memory", "time_limit", "disk", "gpus");
  static final List<String> DECISION_KEYS =
      List.of("id", "label", "rationale", "tags", "default", "options", "from", "when");
  static final List<String> DECISION_ALIAS_FORBIDS =
      List.of("label", "options", "default", "rationale", "tags");
  static final List<String> OPTION_KEYS =
      List.of(
          "id",
          "label",
          "description",
          "insights",
          "incompatible_with",
          "requires",
          "excluded",
          "excluded_reason");
  static final List<String> INSIGHT_KEYS =
      List.of(
          "id", "label", "claim", "created_at", "evidence", "derived", "scope", "tags", "notes");
  static final List<String> EVIDENCE_KEYS =
      List.of("id", "doi", "artifact", "version", "snapshot", "source_commit", "quote", "location");

  private static final Pattern INPUT_FROM =
      Pattern.compile("(\\.\\./)+[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
  private static final Pattern OUTPUT_FROM =
      Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
  private static final Pattern DECISION_FROM = Pattern.compile("(\\.\\./)+[a-z][a-z0-9_]*");
  private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+(\\.\\d+)?");
  private static final Pattern DOI = Pattern.compile("10\\.\\d{4,}/.*", Pattern.DOTALL);

  private final Problems problems;
  private final SourceIndex index;
  private final AnalysisFiles files;

  AnalysisBinder(Problems problems, SourceIndex index, AnalysisFiles files) {
    this.problems = problems;
    this.index = index;
    this.files = files;
  }

  /** Binds a file's root analysis; {@code expectedId} is the key it is known by, if any. */
  Optional<Analysis> bindFileRoot(
      YNode root, AnalysisPath at, Optional<AnalysisId> expectedId, AnalysisFiles.Location where) {
    return bindAnalysis(root, at, "", where, expectedId, true);
  }

  private Optional<Analysis> bindAnalysis(
      YNode node,
      AnalysisPath at,
      String path,
      AnalysisFiles.Location where,
      Optional<AnalysisId> key,
      boolean fileRoot) {
    String what = at.isRoot() ? "the analysis" : "sub-analysis '" + at + "'";
    Optional<Fields> maybe = Fields.of(node, path, what, problems, ANALYSIS_KEYS);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    Fields f = maybe.get();
    index.put(at, Kind.ANALYSIS, "", f.site());

    Optional<String> rawId =
        fileRoot && key.isEmpty()
            ? f.requiredString("id", "give the analysis an id in lower snake_case")
            : f.string("id");
    Optional<AnalysisId> id = key;
    if (rawId.isPresent()) {
      Optional<AnalysisId> written = checkId(rawId.get(), f, "id", "analysis", AnalysisId::of);
      if (key.isPresent() && written.isPresent() && !written.equals(key)) {
        if (fileRoot) {
          problems.warning(
              f.keyMark("id"),
              f.site().path("id"),
              "sub-analysis file has id '"
                  + rawId.get()
                  + "' but is included as '"
                  + key.get()
                  + "'; references use '"
                  + key.get()
                  + "'");
        } else {
          f.valueError(
              "id",
              "id '" + rawId.get() + "' differs from its key '" + key.get() + "'; make them equal");
        }
      }
      if (key.isEmpty()) {
        id = written;
      }
    }

    if (f.has("path")) {
      if (fileRoot) {
        f.error("path", "'path' is for sub-analyses, not for the root of " + where.file());
        return Optional.empty();
      }
      for (YMap.Entry e : f.site().map().entries()) {
        if (!e.name().equals("id") && !e.name().equals("path")) {
          problems.error(
              e.key().mark(),
              f.site().path(e.name()),
              "'"
                  + e.name()
                  + "' cannot stand next to 'path:' in "
                  + what
                  + ": its content comes from the astra.yaml in that directory — move it there");
        }
      }
      Optional<String> relative = f.string("path");
      if (relative.isEmpty() || id.isEmpty()) {
        return Optional.empty();
      }
      AnalysisId subId = id.get();
      return files.include(
          where,
          relative.get(),
          f.site().value("path"),
          f.site().path("path"),
          what,
          sub ->
              bindFileRoot(sub.root(), at, Optional.of(subId), sub.location())
                  .map(a -> Analysis.builder().from(a).id(subId).path(relative.get()).build()));
    }

    Analysis.Builder out = Analysis.builder();
    f.string("version")
        .ifPresent(
            v -> {
              if (!VERSION.matcher(v).matches()) {
                f.valueError(
                    "version", "version '" + v + "' of " + what + " must look like 1.0 or 1.0.2");
              }
              out.version(v);
            });
    f.string("name").ifPresent(out::name);
    f.string("description").ifPresent(out::description);
    out.addAllTags(f.strings("tags"));
    f.string("container").ifPresent(out::container);

    f.list("inputs")
        .ifPresent(
            seq -> {
              for (int i = 0; i < seq.items().size(); i++) {
                bindInput(seq.items().get(i), at, f.site().path("inputs", i))
                    .ifPresent(out::addInput);
              }
            });
    f.list("outputs")
        .ifPresent(
            seq -> {
              for (int i = 0; i < seq.items().size(); i++) {
                bindOutput(seq.items().get(i), at, f.site().path("outputs", i))
                    .ifPresent(out::addOutput);
              }
            });
    f.map("decisions")
        .ifPresent(
            map -> {
              for (YMap.Entry e : map.entries()) {
                bindDecision(e, at, f.site().path("decisions"))
                    .ifPresent(d -> out.putDecision(d.id(), d));
              }
            });
    f.map("prior_insights")
        .ifPresent(
            map -> {
              for (YMap.Entry e : map.entries()) {
                bindInsight(e, at, f.site().path("prior_insights"), "prior insight")
                    .ifPresent(i -> out.putPriorInsight(i.id(), i));
              }
            });
    f.map("findings")
        .ifPresent(
            map -> {
              for (YMap.Entry e : map.entries()) {
                bindInsight(e, at, f.site().path("findings"), "finding")
                    .ifPresent(i -> out.putFinding(i.id(), i));
              }
            });
    f.map("analyses")
        .ifPresent(
            map -> {
              for (YMap.Entry e : map.entries()) {
                Optional<AnalysisId> subId =
                    checkKeyId(e, f.site().path("analyses"), "sub-analysis", AnalysisId::of);
                if (subId.isEmpty()) {
                  continue;
                }
                bindAnalysis(
                        e.value(),
                        at.child(subId.get()),
                        f.site().path("analyses") + "." + e.name(),
                        where,
                        subId,
                        false)
                    .ifPresent(a -> out.putAnalysis(subId.get(), a));
              }
            });
    if (id.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(out.id(id.get()).build());
  }

  private Optional<Input> bindInput(YNode node, AnalysisPath at, String path) {
    String rawId = rawId(node);
    Optional<Fields> maybe =
        Fields.of(node, path, "input '" + rawId + "'" + in(at), problems, INPUT_KEYS);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    Fields f = maybe.get();
    Optional<InputId> id =
        f.requiredString("id", "give the input an id in lower snake_case")
            .flatMap(s -> checkId(s, f, "id", "input", InputId::of));
    id.ifPresent(i -> index.put(at, Kind.INPUT, i.value(), f.site()));
    Input.Builder out = Input.builder();
    Alias alias =
        alias(
            f,
            INPUT_FROM,
            INPUT_ALIAS_FORBIDS,
            "an input",
            "must start with '../': '../id' names an input of the enclosing analysis,"
                + " '../sibling.output' an output of a sibling sub-analysis");
    alias.ref().ifPresent(out::from);
    if (!alias.present()) {
      if (!f.has("type")) {
        f.missing(
            "type", "add type: data (a dataset or file) or type: analysis (another analysis)");
      }
      f.string("type").flatMap(t -> enumValue(f, "type", t, InputType.class)).ifPresent(out::type);
      f.string("label").ifPresent(out::label);
      f.string("description").ifPresent(out::description);
      f.string("source").ifPresent(out::source);
      f.string("ref").ifPresent(out::ref);
      f.string("ref_version").ifPresent(out::refVersion);
      out.addAllUseOutputs(f.strings("use_outputs"));
    }
    return id.map(i -> out.id(i).build());
  }

  private Optional<Output> bindOutput(YNode node, AnalysisPath at, String path) {
    String rawId = rawId(node);
    Optional<Fields> maybe =
        Fields.of(node, path, "output '" + rawId + "'" + in(at), problems, OUTPUT_KEYS);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    Fields f = maybe.get();
    Optional<OutputId> id =
        f.requiredString("id", "give the output an id in lower snake_case")
            .flatMap(s -> checkId(s, f, "id", "output", OutputId::of));
    id.ifPresent(i -> index.put(at, Kind.OUTPUT, i.value(), f.site()));
    Output.Builder out = Output.builder();
    out.addAllWhen(conditions(f, "when"));
    Alias alias =
        alias(
            f,
            OUTPUT_FROM,
            OUTPUT_ALIAS_FORBIDS,
            "a re-exported output",
            "must name an output of one of its own sub-analyses, as 'child.output' (or"
                + " 'child.grandchild.output'); outputs cannot reach upward or sideways");
    alias.ref().ifPresent(out::from);
    if (!alias.present()) {
      if (!f.has("type")) {
        f.missing("type", "add type: metric, figure, table, data or report");
      }
      f.string("type").flatMap(t -> enumValue(f, "type", t, OutputType.class)).ifPresent(out::type);
      bindFormat(f).ifPresent(out::format);
      f.string("label").ifPresent(out::label);
      f.string("description").ifPresent(out::description);
      List<YScalar> inputs = f.scalarList("inputs");
      for (int i = 0; i < inputs.size(); i++) {
        String text = inputs.get(i).text();
        Optional<Ref> ref = Ref.parse(text).filter(r -> r.up() == 0);
        if (ref.isEmpty()) {
          problems.error(
              inputs.get(i).mark(),
              f.site().path("inputs", i),
              "input '"
                  + text
                  + "' of "
                  + f.site().what()
                  + " must be an input or output id of this analysis, or 'sub.output' for an"
                  + " output of a sub-analysis"
                  + (text.startsWith("../")
                      ? "; to use something from an enclosing analysis, declare an input with"
                          + " from: "
                          + text
                      : ""));
        } else {
          out.addInput(ref.get());
        }
      }
      List<YScalar> decisions = f.scalarList("decisions");
      for (int i = 0; i < decisions.size(); i++) {
        YScalar d = decisions.get(i);
        if (Identifiers.isEntityId(d.text())) {
          out.addDecision(DecisionId.of(d.text()));
        } else {
          problems.error(
              d.mark(),
              f.site().path("decisions", i),
              "'" + d.text() + "' in decisions of " + f.site().what() + " is not a decision id");
        }
      }
      f.value("recipe")
          .flatMap(r -> bindRecipe(r, f.site().path("recipe"), "recipe of " + f.site().what()))
          .ifPresent(out::recipe);
    }
    return id.map(i -> out.id(i).build());
  }

  // Recommended by ASTRA 0.0.14 and required from 0.1.0: a missing format is a warning for now.
  private Optional<String> bindFormat(Fields f) {
    if (!f.has("format")) {
      problems.warning(
          f.site().at(),
          f.site().path("format"),
          f.site().what()
              + " declares no format; add format: with its file extension without the dot"
              + " (e.g. json, csv, png): ASTRA 0.1.0 will require it");
      return Optional.empty();
    }
    Optional<String> format = f.string("format");
    if (format.isPresent() && !FORMAT.matcher(format.get()).matches()) {
      String value = format.get();
      String hint = value.replaceFirst("^\\.+", "").toLowerCase(java.util.Locale.ROOT);
      f.valueError(
          "format",
          "format '"
              + value
              + "' of "
              + f.site().what()
              + " is not a file extension: write it without the dot, in lower case"
              + (FORMAT.matcher(hint).matches() ? " ('" + hint + "')" : " (e.g. 'png')"));
      return Optional.empty();
    }
    return format;
  }

  private Optional<Recipe> bindRecipe(YNode node, String path, String what) {
    Optional<Fields> maybe = Fields.of(node, path, what, problems, RECIPE_KEYS);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    Fields f = maybe.get();
    Optional<String> command = f.requiredString("command", "add the shell command that makes it");
    if (command.isPresent() && command.get().isBlank()) {
      f.valueError("command", "'command' of " + what + " is empty; write the shell command");
      command = Optional.empty();
    }
    Recipe.Builder out = Recipe.builder();
    f.string("container").ifPresent(out::container);
    f.value("resources")
        .flatMap(r -> bindResources(r, f.site().path("resources"), "resources of " + what))
        .ifPresent(out::resources);
    return command.map(c -> out.command(c).build());
  }

  private Optional<Resources> bindResources(YNode node, String path, String what) {
    Optional<Fields> maybe = Fields.of(node, path, what, problems, RESOURCE_KEYS);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    Fields f = maybe.get();
    Resources.Builder out = Resources.builder();
    f.number("cpus", 0).ifPresent(out::cpus);
    f.integer("gpus", 1).ifPresent(out::gpus);
    f.string("memory")
        .ifPresent(
            m -> {
              if (Resources.parseBytes(m).isEmpty()) {
                f.valueError(
                    "memory",
                    "memory '" + m + "' of " + what + ": write a size like 512Mi, 16Gi or 8GB");
              }
              out.memory(m);
            });
    f.string("disk")
        .ifPresent(
            d -> {
              if (Resources.parseBytes(d).isEmpty()) {
                f.valueError(
                    "disk", "disk '" + d + "' of " + what + ": write a size like 500Mi or 10Gi");
              }
              out.disk(d);
            });
    f.string("time_limit")
        .ifPresent(
            t -> {
              if (Resources.parseDuration(t).isEmpty()) {
                f.valueError(
                    "time_limit",
                    "time_limit '"
                        + t
                        + "' of "
                        + what
                        + ": write a duration like 30m, 2h, 1h30m or 01:30:00");
              }
              out.timeLimit(t);
            });
    return Optional.of(out.build());
  }

  private Optional<Decision> bindDecision(YMap.Entry entry, AnalysisPath at, String parentPath) {
    Optional<DecisionId> id = checkKeyId(entry, parentPath, "decision", DecisionId::of);
    String what = "decision '" + entry.name() + "'" + in(at);
    Optional<Fields> maybe =
        Fields.of(entry.value(), parentPath + "." + entry.name(), what, problems, DECISION_KEYS);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    Fields f = maybe.get();
    id.ifPresent(i -> index.put(at, Kind.DECISION, i.value(), f.site()));
    checkIdMatchesKey(f, entry.name());
    Decision.Builder out = Decision.builder();
    out.addAllWhen(conditions(f, "when"));
    Alias alias =
        alias(
            f,
            DECISION_FROM,
            DECISION_ALIAS_FORBIDS,
            "a decision",
            "must name a decision of an enclosing analysis, as '../id' (or '../../id');"
                + " decisions flow only downward");
    if (alias.present()) {
      alias.ref().ifPresent(out::from);
      return id.map(i -> out.id(i).build());
    }
    f.requiredString("label", "add a short human-readable label").ifPresent(out::label);
    f.string("rationale").ifPresent(out::rationale);
    out.addAllTags(f.strings("tags"));
    if (!f.has("options")) {
      f.missing("options", "add the options it chooses between");
    }
    f.map("options")
        .ifPresent(
            map -> {
              if (map.entries().isEmpty()) {
                f.valueError("options", what + " has no options; add at least one");
              }
              for (YMap.Entry e : map.entries()) {
                bindOption(e, at, entry.name(), f.site().path("options"))
                    .ifPresent(o -> out.putOption(o.id(), o));
              }
            });
    Decision partial = id.map(i -> out.id(i).build()).orElse(null);
    f.string("default")
        .ifPresent(
            d -> {
              if (partial == null || partial.options().isEmpty()) {
                return;
              }
              Optional<Option> chosen =
                  partial.options().values().stream()
                      .filter(o -> o.id().value().equals(d))
                      .findFirst();
              if (chosen.isEmpty()) {
                f.valueError(
                    "default",
                    "default '"
                        + d
                        + "' of "
                        + what
                        + " is not one of its options"
                        + Suggest.hint(d, optionNames(partial))
                        + "; options: "
                        + String.join(", ", optionNames(partial)));
              } else if (chosen.get().excluded()) {
                f.valueError(
                    "default",
                    "default '" + d + "' of " + what + " is an excluded option; pick another");
              } else {
                out.defaultOption(chosen.get().id());
              }
            });
    return id.map(i -> out.id(i).build());
  }

  private static List<String> optionNames(Decision d) {
    return d.options().keySet().stream().map(OptionId::value).toList();
  }

  private Optional<Option> bindOption(
      YMap.Entry entry, AnalysisPath at, String decision, String parentPath) {
    Optional<OptionId> id = checkKeyId(entry, parentPath, "option", OptionId::of);
    String what = "option '" + entry.name() + "' of decision '" + decision + "'" + in(at);
    Optional<Fields> maybe =
        Fields.of(entry.value(), parentPath + "." + entry.name(), what, problems, OPTION_KEYS);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    Fields f = maybe.get();
    id.ifPresent(i -> index.put(at, Kind.OPTION, decision + "." + i.value(), f.site()));
    checkIdMatchesKey(f, entry.name());
    Option.Builder out = Option.builder();
    Optional<String> label = f.requiredString("label", "add a short human-readable label");
    f.string("description").ifPresent(out::description);
    List<YScalar> insights = f.scalarList("insights");
    for (int i = 0; i < insights.size(); i++) {
      String s = insights.get(i).text();
      if (Identifiers.isEntityId(s)) {
        out.addInsight(InsightId.of(s));
      } else {
        problems.error(
            insights.get(i).mark(),
            f.site().path("insights", i),
            "'" + s + "' in insights of " + what + " is not an insight id");
      }
    }
    out.addAllRequires(optionRefs(f, "requires"));
    out.addAllIncompatibleWith(optionRefs(f, "incompatible_with"));
    f.bool("excluded").ifPresent(out::excluded);
    f.string("excluded_reason").ifPresent(out::excludedReason);
    if (id.isEmpty() || label.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(out.id(id.get()).label(label.get()).build());
  }

  private Optional<Insight> bindInsight(
      YMap.Entry entry, AnalysisPath at, String parentPath, String kind) {
    Optional<InsightId> id = checkKeyId(entry, parentPath, kind, InsightId::of);
    return bindInsightBody(
        entry.value(), at, parentPath + "." + entry.name(), kind, entry.name(), id);
  }

  /** Binds a standalone insight file (an {@code Insight-*.yaml}). */
  Optional<Insight> bindInsightFile(YNode node) {
    String raw = rawId(node);
    Optional<Insight> out =
        bindInsightBody(node, AnalysisPath.ROOT, "", "insight", raw, Optional.empty());
    return out;
  }

  private Optional<Insight> bindInsightBody(
      YNode node,
      AnalysisPath at,
      String path,
      String kind,
      String name,
      Optional<InsightId> keyId) {
    String what = kind + " '" + name + "'" + in(at);
    Optional<Fields> maybe = Fields.of(node, path, what, problems, INSIGHT_KEYS);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    Fields f = maybe.get();
    Optional<InsightId> id = keyId;
    if (keyId.isPresent()) {
      checkIdMatchesKey(f, name);
    } else {
      id =
          f.requiredString("id", "give it an id in lower snake_case")
              .flatMap(s -> checkId(s, f, "id", kind, InsightId::of));
    }
    id.ifPresent(i -> index.put(at, Kind.INSIGHT, i.value(), f.site()));
    Insight.Builder out = Insight.builder();
    Optional<String> claim = f.requiredString("claim", "state what was learned in a sentence");
    Optional<String> created =
        f.requiredString("created_at", "add an ISO 8601 date-time like 2025-06-15T10:30:00Z");
    created.ifPresent(
        c -> {
          if (!isDateTime(c)) {
            f.valueError(
                "created_at",
                "created_at '"
                    + c
                    + "' of "
                    + what
                    + " must be an ISO 8601 date-time like"
                    + " 2025-06-15T10:30:00Z");
          }
        });
    f.string("label").ifPresent(out::label);
    f.bool("derived").ifPresent(out::derived);
    f.string("scope").ifPresent(out::scope);
    out.addAllTags(f.strings("tags"));
    f.string("notes").ifPresent(out::notes);
    if (!f.has("evidence")) {
      f.missing("evidence", "cite at least one paper (doi) or artifact");
    }
    f.list("evidence")
        .ifPresent(
            seq -> {
              if (seq.items().isEmpty()) {
                f.valueError("evidence", what + " has no evidence; cite at least one");
              }
              for (int i = 0; i < seq.items().size(); i++) {
                bindEvidence(seq.items().get(i), at, f.site().path("evidence", i), what)
                    .ifPresent(out::addEvidence);
              }
            });
    if (id.isEmpty() || claim.isEmpty() || created.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(out.id(id.get()).claim(claim.get()).createdAt(created.get()).build());
  }

  private Optional<Evidence> bindEvidence(
      YNode node, AnalysisPath at, String path, String insight) {
    String what = "evidence '" + rawId(node) + "' of " + insight;
    Optional<Fields> maybe = Fields.of(node, path, what, problems, EVIDENCE_KEYS);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    Fields f = maybe.get();
    Optional<EvidenceId> id =
        f.requiredString("id", "give it an id in lower snake_case")
            .flatMap(s -> checkId(s, f, "id", "evidence", EvidenceId::of));
    id.ifPresent(i -> index.put(at, Kind.EVIDENCE, i.value(), f.site()));
    Evidence.Builder out = Evidence.builder();
    Optional<String> doi = f.string("doi");
    Optional<String> artifact = f.string("artifact");
    if (doi.isPresent() == artifact.isPresent()) {
      problems.error(
          f.site().at(),
          f.site().path("doi"),
          what
              + (doi.isPresent()
                  ? " has both 'doi' and 'artifact'"
                  : " has neither 'doi' nor 'artifact'")
              + "; give exactly one: a paper's DOI or an output id of this analysis");
    }
    doi.ifPresent(
        d -> {
          if (!DOI.matcher(d).matches()) {
            f.valueError("doi", "doi '" + d + "' of " + what + " must look like 10.1234/abc");
          }
          out.doi(d);
        });
    artifact.ifPresent(out::artifact);
    f.integer("version", 1).ifPresent(out::version);
    f.string("snapshot").ifPresent(out::snapshot);
    f.string("source_commit").ifPresent(out::sourceCommit);
    f.value("quote")
        .flatMap(
            q ->
                Fields.of(
                    q,
                    f.site().path("quote"),
                    "quote of " + what,
                    problems,
                    List.of("exact", "prefix", "suffix")))
        .ifPresent(
            q -> {
              TextQuote.Builder t = TextQuote.builder();
              q.string("prefix").ifPresent(t::prefix);
              q.string("suffix").ifPresent(t::suffix);
              q.requiredString("exact", "add the exact quoted text")
                  .ifPresent(e -> out.quote(t.exact(e).build()));
            });
    f.value("location")
        .flatMap(
            l ->
                Fields.of(
                    l,
                    f.site().path("location"),
                    "location of " + what,
                    problems,
                    List.of("value", "page")))
        .ifPresent(
            l -> {
              PageLocation.Builder p = PageLocation.builder();
              l.string("value").ifPresent(p::value);
              l.integer("page", 1).ifPresent(p::page);
              out.location(p.build());
            });
    return id.map(i -> out.id(i).build());
  }

  // ---- helpers ----

  private List<Condition> conditions(Fields f, String key) {
    List<YScalar> items = f.scalarList(key);
    List<Condition> out = new java.util.ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String text = items.get(i).text();
      Optional<Condition> c = Condition.parse(text);
      if (c.isEmpty()) {
        problems.error(
            items.get(i).mark(),
            f.site().path(key, i),
            "condition '"
                + text
                + "' in 'when' of "
                + f.site().what()
                + " must be 'decision.option' or '~decision.option'");
      } else {
        out.add(c.get());
      }
    }
    return out;
  }

  private List<OptionRef> optionRefs(Fields f, String key) {
    List<YScalar> items = f.scalarList(key);
    List<OptionRef> out = new java.util.ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String text = items.get(i).text();
      Optional<OptionRef> r = OptionRef.parse(text);
      if (r.isEmpty()) {
        problems.error(
            items.get(i).mark(),
            f.site().path(key, i),
            "'" + text + "' in '" + key + "' of " + f.site().what() + " must be 'decision.option'");
      } else {
        out.add(r.get());
      }
    }
    return out;
  }

  /** Whether an element has {@code from:}, and the reference when it follows the grammar. */
  private record Alias(boolean present, Optional<Ref> ref) {}

  /**
   * Reads {@code from:}: an alias may not redeclare the content it inherits, and its path must
   * follow the element's grammar ({@code help} says what that is).
   */
  private Alias alias(Fields f, Pattern grammar, List<String> forbidden, String kind, String help) {
    Optional<String> from = f.string("from");
    if (from.isEmpty()) {
      return new Alias(false, Optional.empty());
    }
    forbidOnAlias(f, forbidden, kind, "from: " + from.get());
    if (!grammar.matcher(from.get()).matches()) {
      f.valueError("from", "from: '" + from.get() + "' of " + f.site().what() + " " + help);
      return new Alias(true, Optional.empty());
    }
    return new Alias(true, Ref.parse(from.get()));
  }

  private void forbidOnAlias(Fields f, List<String> forbidden, String kind, String from) {
    for (String key : forbidden) {
      if (f.site().map().has(key)) {
        f.error(
            key,
            "'"
                + key
                + "' is not allowed on "
                + f.site().what()
                + ", which is an alias ("
                + from
                + "): "
                + kind
                + " with 'from' inherits "
                + String.join(", ", forbidden)
                + " from its source — remove '"
                + key
                + "'");
      }
    }
  }

  private <E extends Enum<E>> Optional<E> enumValue(
      Fields f, String key, String text, Class<E> type) {
    List<String> names =
        Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    if (names.contains(text)) {
      return Optional.of(Enum.valueOf(type, text.toUpperCase(Locale.ROOT)));
    }
    f.valueError(
        key,
        "'"
            + key
            + "' of "
            + f.site().what()
            + " is '"
            + text
            + "'"
            + Suggest.hint(text, names)
            + "; use one of "
            + String.join(", ", names));
    return Optional.empty();
  }

  private void checkIdMatchesKey(Fields f, String key) {
    f.string("id")
        .filter(written -> !written.equals(key))
        .ifPresent(
            written ->
                f.valueError(
                    "id",
                    "id '" + written + "' differs from its key '" + key + "'; make them equal"));
  }

  private <T> Optional<T> checkId(
      String raw, Fields f, String key, String kind, Function<String, T> make) {
    return checkIdText(raw, f.site().value(key), f.site().path(key), kind, make);
  }

  private <T> Optional<T> checkKeyId(
      YMap.Entry entry, String parentPath, String kind, Function<String, T> make) {
    return checkIdText(
        entry.name(), entry.key().mark(), parentPath + "." + entry.name(), kind, make);
  }

  private <T> Optional<T> checkIdText(
      String raw, Mark at, String path, String kind, Function<String, T> make) {
    if (Identifiers.isEntityId(raw)) {
      return Optional.of(make.apply(raw));
    }
    problems.error(at, path, Ids.explain(raw, kind));
    return Optional.empty();
  }

  private static String rawId(YNode node) {
    if (node instanceof YMap map) {
      return map.get("id")
          .filter(v -> v instanceof YScalar)
          .map(v -> ((YScalar) v).text())
          .orElse("?");
    }
    return "?";
  }

  static String in(AnalysisPath at) {
    return at.isRoot() ? "" : " in sub-analysis '" + at + "'";
  }

  private static boolean isDateTime(String s) {
    try {
      OffsetDateTime.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      try {
        LocalDateTime.parse(s);
        return true;
      } catch (DateTimeParseException e2) {
        return false;
      }
    }
  }
}
