package io.lightcone.snakemake.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lightcone.LightconeException;
import io.lightcone.Plan;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.model.QualifiedOutputId;
import io.lightcone.model.Resources;
import io.lightcone.spi.PrivateDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The Snakemake workflow of a plan: {@code .lightcone/Snakefile} and its JSON sidecar {@code
 * .lightcone/Snakefile.json}.
 *
 * <p>The Snakefile holds the structure: one rule per output (rule name = the qualified output id
 * with {@code .} → {@code __}), {@code {universe}} the only wildcard, the output directory and its
 * manifest as outputs, {@code threads} and {@code resources} from {@code recipe.resources}, and the
 * plumbing command as shell. Everything that varies per task — {@code code_version}, the upstream
 * manifests, what to run, the command line — is in the sidecar, which the Snakefile reads; so the
 * Snakefile's bytes depend only on the plan's outputs and resources, and an edited recipe changes
 * only the sidecar (its drift reaches Snakemake through {@code params.code_version}).
 *
 * <p>What runs is Lightcone's plan: the sidecar's targets are the tasks to run, and a task's inputs
 * are the manifests of the upstream tasks that run too (a fresh upstream is checked by the task
 * runner, not by Snakemake); Snakemake is asked to run its whole DAG ({@code --forceall}). It thus
 * never re-runs a task the plan found fresh nor skips one the plan would run, whatever its own
 * metadata say, and it owns the order, the parallelism, the retries and keep-going.
 */
final class Workflow {
  static final String SNAKEFILE = ".lightcone/Snakefile";
  static final String SIDECAR = ".lightcone/Snakefile.json";

  /** What every rule's shell runs first (see plumbing_client.sh and PlumbingServer). */
  static final String CLIENT = ".lightcone/snakemake/plumbing_client.sh";

  /** The rule that asks for every target; upper case, so no output id can take its name. */
  static final String TARGETS_RULE = "LIGHTCONE_TARGETS";

  static final String MANIFEST = ".lightcone-manifest.json";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .build();

  /** Rule name → the output it makes, sorted by rule name. */
  private final Map<String, Rule> rules;

  private final String snakefile;
  private final String sidecar;

  /**
   * One output's rule.
   *
   * @param name the rule name
   * @param output the qualified output id
   * @param pattern the output directory with {@code {universe}} for the universe
   * @param resources the recipe's resources, when declared
   */
  record Rule(
      String name, QualifiedOutputId output, String pattern, Optional<Resources> resources) {}

  private Workflow(Map<String, Rule> rules, String snakefile, String sidecar) {
    this.rules = rules;
    this.snakefile = snakefile;
    this.sidecar = sidecar;
  }

  /**
   * The workflow of {@code plan}; {@code command} gives each task's plumbing command.
   *
   * @throws LightconeException of kind USER_INPUT when two outputs would get the same rule name
   */
  static Workflow of(Plan plan, Function<Task, List<String>> command) {
    Map<String, Rule> rules = new TreeMap<>();
    for (PlannedTask planned : plan.tasks()) {
      Task task = planned.task();
      String name = ruleName(task.id().output());
      Rule rule =
          new Rule(
              name, task.id().output(), pattern(task), task.resources().filter(r -> !empty(r)));
      Rule known = rules.putIfAbsent(name, rule);
      if (known != null && !known.output().equals(rule.output())) {
        throw new LightconeException(
            LightconeException.Kind.USER_INPUT,
            "outputs '"
                + known.output()
                + "' and '"
                + rule.output()
                + "' would both be Snakemake rule '"
                + name
                + "'; rename one of them to run this project on Snakemake");
      }
      if (known != null && !known.equals(rule)) {
        throw new LightconeException(
            LightconeException.Kind.INTERNAL,
            "tasks of output '"
                + rule.output()
                + "' differ in output layout or resources across universes: "
                + known
                + " vs "
                + rule);
      }
    }
    return new Workflow(rules, snakefile(rules.values()), sidecar(plan, command));
  }

  /** The rule name of an output: Snakemake rule names may not contain dots. */
  static String ruleName(QualifiedOutputId output) {
    return output.toString().replace(".", "__");
  }

  /** The rules by name, sorted. */
  Map<String, Rule> rules() {
    return rules;
  }

  String snakefile() {
    return snakefile;
  }

  String sidecar() {
    return sidecar;
  }

  /**
   * Writes the Snakefile, its sidecar and the plumbing client into {@code project}, atomically.
   * They are code that runs as us: {@code .lightcone/} must be ours and writable by no one else,
   * and the client's directory {@code .lightcone/snakemake/} private (0700).
   *
   * @throws LightconeException of kind ENVIRONMENT when they cannot be written or those directories
   *     are not private
   */
  void write(Path project) {
    Path state = project.resolve(SNAKEFILE).getParent();
    try (InputStream client = Workflow.class.getResourceAsStream("plumbing_client.sh")) {
      Files.createDirectories(state);
      PrivateDirectories.check(state, false);
      PrivateDirectories.ensure(project.resolve(CLIENT).getParent());
      writeAtomically(
          project.resolve(CLIENT), new String(client.readAllBytes(), StandardCharsets.UTF_8));
      writeAtomically(project.resolve(SIDECAR), sidecar);
      writeAtomically(project.resolve(SNAKEFILE), snakefile);
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot write " + project.resolve(SNAKEFILE) + ": " + e.getMessage(),
          e);
    }
  }

  static void writeAtomically(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The output directory with the universe replaced by {@code {universe}}. Outputs live at {@code
   * [<path>/]results/<universe>/<output id>} (DESIGN §3).
   */
  static String pattern(Task task) {
    String dir = task.outputDir();
    String tail = "results/" + task.id().universe().value() + "/" + task.id().output().output();
    String prefix;
    if (dir.equals(tail)) {
      prefix = "";
    } else if (dir.endsWith("/" + tail)) {
      prefix = dir.substring(0, dir.length() - tail.length());
    } else {
      throw new LightconeException(
          LightconeException.Kind.INTERNAL,
          "output directory '" + dir + "' of " + task.id() + " does not end in '" + tail + "'");
    }
    // Braces are Snakemake's wildcard syntax: a literal one is written twice.
    return prefix.replace("{", "{{").replace("}", "}}")
        + "results/{universe}/"
        + task.id().output().output();
  }

  private static boolean empty(Resources r) {
    return r.cpus().isEmpty()
        && r.memory().isEmpty()
        && r.gpus().isEmpty()
        && r.timeLimit().isEmpty()
        && r.disk().isEmpty();
  }

  private static String snakefile(Iterable<Rule> rules) {
    StringBuilder s = new StringBuilder();
    s.append(
        """
        # Generated by Lightcone from the plan of this project. Regenerated on every run: do not edit.
        #
        # One rule per output, {universe} the only wildcard. Each rule's shell runs the task through
        # Lightcone's plumbing (lc task run), which runs the recipe and publishes its output with its
        # manifest.
        # Per-task values (code_version, upstream manifests, what to run, the command) are in
        # Snakefile.json beside this file.

        import json
        import os
        import shlex
        import shutil

        from snakemake.jobs import Job as _LightconeJob

        # Lightcone publishes an output atomically and keeps the previous one when a task fails, but
        # Snakemake deletes a job's declared outputs before the job starts: leave outputs to Lightcone.
        if not hasattr(_LightconeJob, "remove_existing_output"):
            raise RuntimeError(
                "this snakemake cannot leave outputs to Lightcone; use snakemake 7 "
                "(apt-get install snakemake)"
            )
        _LightconeJob.remove_existing_output = lambda job: None

        # With cluster hooks (lc run --dispatch), Snakemake asks for its jobs' states every 10 s
        # (every second only when CI=true), so each step of the DAG took up to 10 s more. Lightcone's
        # status hook is a `cat` of a state file: asking every second costs nothing.
        import asyncio as _lightcone_asyncio
        import snakemake.executors as _lightcone_executors


        async def _lightcone_poll():
            await _lightcone_asyncio.sleep(1)


        if hasattr(_lightcone_executors, "sleep"):
            _lightcone_executors.sleep = _lightcone_poll

        with open(os.path.join(workflow.basedir, "Snakefile.json"), encoding="utf-8") as _file:
            LIGHTCONE = json.load(_file)

        # Each rule sources the plumbing client, which needs bash (Snakemake's choice when it has one).
        shell.executable(shutil.which("bash") or "/bin/bash")

        wildcard_constraints:
            universe="[a-z][a-z0-9_-]*",


        def _task(output, key):
            # A function of the job's wildcards, so that per-task values stay out of this file.
            return lambda wildcards: LIGHTCONE["tasks"][wildcards.universe + "/" + output][key]


        def _quote(arg):
            # Snakemake reads braces as its placeholders: literal ones are doubled.
            return shlex.quote(arg).replace("{", "{{").replace("}", "}}")


        def _shell(output):
            # The plumbing client, then the plumbing command (lc task run ...) with each job's task id
            # and code_version filled in by Snakemake. While Lightcone runs this workflow the client
            # hands the task to it (no JVM per task); run by hand, it runs the plumbing command.
            # The client is sourced into the bash Snakemake starts for the job: one bash per job.
            task = "{wildcards.universe}/" + output
            fills = {"task": task, "code_version": "{params.code_version}"}
            plumbing = [
                fills[arg["fill"]] if isinstance(arg, dict) else _quote(arg)
                for arg in LIGHTCONE["command"]
            ]
            client = os.path.join(workflow.basedir, "snakemake", "plumbing_client.sh")
            return " ".join(
                [".", _quote(client), task, "{params.code_version}", "--"] + plumbing
            )


        localrules: %s


        rule %s:
            input:
                LIGHTCONE["targets"],
        """
            .formatted(TARGETS_RULE, TARGETS_RULE));
    for (Rule rule : rules) {
      String output = python(rule.output().toString());
      s.append("\n\nrule ").append(rule.name()).append(":\n");
      s.append("    output:\n");
      s.append("        directory(").append(python(rule.pattern())).append("),\n");
      s.append("        ").append(python(rule.pattern() + "/" + MANIFEST)).append(",\n");
      s.append("    input:\n        _task(").append(output).append(", \"inputs\"),\n");
      s.append("    params:\n        code_version=_task(")
          .append(output)
          .append(", \"code_version\"),\n");
      s.append("    threads: ").append(threads(rule.resources())).append("\n");
      List<String> resources = resources(rule.resources());
      if (!resources.isEmpty()) {
        s.append("    resources:\n");
        resources.forEach(r -> s.append("        ").append(r).append(",\n"));
      }
      s.append("    shell:\n        _shell(").append(output).append(")\n");
    }
    return s.toString();
  }

  /** Snakemake threads are whole: a fractional cpu request takes a whole one. */
  static int threads(Optional<Resources> resources) {
    double cpus = resources.flatMap(r -> toOptional(r.cpus())).orElse(1.0);
    return Math.max(1, (int) Math.ceil(cpus));
  }

  private static Optional<Double> toOptional(java.util.OptionalDouble d) {
    return d.isPresent() ? Optional.of(d.getAsDouble()) : Optional.empty();
  }

  /** {@code mem_mb} and {@code disk_mb} in Snakemake's megabytes (10^6), {@code runtime} in min. */
  static List<String> resources(Optional<Resources> resources) {
    List<String> out = new ArrayList<>();
    if (resources.isEmpty()) {
      return out;
    }
    Resources r = resources.get();
    if (r.memoryBytes().isPresent()) {
      out.add("mem_mb=" + ceilDiv(r.memoryBytes().getAsLong(), 1_000_000L));
    }
    if (r.diskBytes().isPresent()) {
      out.add("disk_mb=" + ceilDiv(r.diskBytes().getAsLong(), 1_000_000L));
    }
    if (r.gpus().isPresent()) {
      out.add("gpus=" + r.gpus().getAsInt());
    }
    r.timeLimitDuration().ifPresent(d -> out.add("runtime=" + ceilDiv(d.toSeconds(), 60)));
    return out;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** A Python string literal: JSON's, with every non-ASCII character escaped. */
  static String python(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sidecar(Plan plan, Function<Task, List<String>> command) {
    Map<TaskId, PlannedTask> byId = new LinkedHashMap<>();
    plan.tasks().forEach(t -> byId.put(t.task().id(), t));
    List<Object> template = null;
    List<String> targets = new ArrayList<>();
    Map<String, Object> tasks = new TreeMap<>();
    for (PlannedTask planned : plan.tasks()) {
      Task task = planned.task();
      boolean runs = runs(planned);
      List<String> inputs = new ArrayList<>();
      for (TaskId dep : task.dependsOn()) {
        PlannedTask upstream = byId.get(dep);
        if (upstream != null && runs(upstream)) {
          inputs.add(manifest(upstream.task()));
        }
      }
      Map<String, Object> entry = new TreeMap<>();
      entry.put("action", planned.action().word());
      entry.put("code_version", task.codeVersion());
      entry.put("inputs", inputs);
      tasks.put(task.id().toString(), entry);
      if (runs) {
        targets.add(manifest(task));
        List<Object> mine = template(task, command.apply(task));
        if (template == null) {
          template = mine;
        } else if (!template.equals(mine)) {
          throw new LightconeException(
              LightconeException.Kind.INTERNAL,
              "the plumbing commands of the tasks differ in more than task id and code_version: "
                  + template
                  + " vs "
                  + mine);
        }
      }
    }
    Map<String, Object> root = new TreeMap<>();
    root.put("command", template == null ? List.of() : template);
    root.put("targets", targets);
    root.put("tasks", tasks);
    DefaultPrettyPrinter pretty =
        new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return JSON.writer(pretty).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the plan runs the task (a restore also goes through the task runner). */
  static boolean runs(PlannedTask t) {
    return t.action() != PlannedTask.Action.SKIP;
  }

  static String manifest(Task task) {
    return task.outputDir() + "/" + MANIFEST;
  }

  /** The command with the task id and code_version replaced by placeholders the Snakefile fills. */
  private static List<Object> template(Task task, List<String> argv) {
    List<Object> out = new ArrayList<>();
    for (String arg : argv) {
      if (arg.equals(task.id().toString())) {
        out.add(Map.of("fill", "task"));
      } else if (arg.equals(task.codeVersion())) {
        out.add(Map.of("fill", "code_version"));
      } else {
        out.add(arg);
      }
    }
    return out;
  }
}
