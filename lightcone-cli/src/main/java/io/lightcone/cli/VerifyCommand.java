package io.lightcone.cli;

import io.lightcone.VerifyReport;
import io.lightcone.VerifyResult;
import io.lightcone.core.Project;
import io.lightcone.core.VerifyOptions;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lc verify}: re-hashes every existing output and checks the chain of manifests. */
@Command(
    name = "verify",
    header = "Re-hash every existing output and check its manifest and the chain of inputs.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Prints every existing output with ok or its first failure — missing_manifest,"
          + " invalid_manifest, tampered_data (the data does not hash to the manifest's"
          + " data_version) or broken_chain (an input missing from the manifest, or an upstream"
          + " manifest missing or drifted) — then the number of failures. Exits 1 on any failure.",
      "With --trusted-keys FILE, also untrusted: the manifest is unsigned, signed by a key not in"
          + " FILE, or changed after signing (and broken_chain for an upstream that is so)."
    },
    optionListHeading = "%nOptions:%n")
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Mixin UniverseOption universes;

  @Option(
      names = "--json",
      description = "Print {\"results\": [...], \"failures\": N} as JSON instead.")
  boolean json;

  @Option(
      names = "--trusted-keys",
      paramLabel = "FILE",
      description =
          "Fail every output whose manifest, or an upstream's in its chain, is not signed by a"
              + " key in FILE (one 'ed25519 <base64> [comment]' line per key, as lc keys show"
              + " prints it).")
  Path trustedKeys;

  @Override
  public Integer call() {
    VerifyReport report =
        Project.load(project.directory())
            .verify(
                VerifyOptions.builder()
                    .universes(universes.ids())
                    .trustedKeys(Optional.ofNullable(trustedKeys))
                    .build());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      json(report, out);
    } else {
      out.println(report);
    }
    out.flush();
    return report.passed() ? ExitCode.OK.code : ExitCode.FAILED.code;
  }

  /**
   * {@code {"results": [{"universe_id", "output_id", "analysis_id", "output_dir", "passed",
   * "failure", "detail"}], "failures": N}}; {@code failure} is null for a passed output.
   */
  static void json(VerifyReport report, Writer out) {
    Json.write(
        out,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("results");
          for (VerifyResult r : report.results()) {
            g.writeStartObject();
            g.writeStringField("universe_id", r.universeId());
            g.writeStringField("output_id", r.outputId());
            g.writeStringField("analysis_id", r.analysisId());
            g.writeStringField("output_dir", r.outputDir());
            g.writeBooleanField("passed", r.passed());
            Json.optionalString(g, "failure", r.failure().map(VerifyResult.Failure::word));
            g.writeStringField("detail", r.detail());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeNumberField("failures", report.failures());
          g.writeEndObject();
        });
  }
}
