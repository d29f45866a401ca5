package io.lightcone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.Problem;
import io.lightcone.ValidationReport;

/** Renders validation reports for people ({@code file:line:col: ...}) and for tools (JSON). */
final class Reports {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  // The style of every --json (see Json).
  private static final ObjectWriter JSON = MAPPER.writer(Json.prettyPrinter());

  private Reports() {}

  /**
   * The planner's warnings (e.g. a declared container with no runtime to run it), one {@code lc:
   * warning: ...} line each on stderr, so that {@code --json} stays clean on stdout.
   */
  static void warnings(io.lightcone.Plan plan, java.io.PrintWriter err) {
    for (String w : plan.warnings()) {
      err.println("lc: warning: " + w);
    }
    err.flush();
  }

  /**
   * {@code <dir>/<file>:<line>:<col>: <severity>: <message>}, the form compilers use so that
   * editors and terminals can jump to it; unknown (0) line and column are left out, and a project
   * given as {@code .} prints bare file names.
   */
  static String line(String directoryAsGiven, Problem problem) {
    StringBuilder out = new StringBuilder(where(directoryAsGiven, problem.file()));
    if (problem.line() > 0) {
      out.append(':').append(problem.line());
      if (problem.column() > 0) {
        out.append(':').append(problem.column());
      }
    }
    return out.append(": ")
        .append(problem.severity().label())
        .append(": ")
        .append(problem.message())
        .toString();
  }

  /** {@code 2 errors, 1 warning} for an invalid project, {@code valid (0 errors, 1 warning)}. */
  static String summary(ValidationReport report) {
    String counts =
        count(report.errors().size(), "error") + ", " + count(report.warnings().size(), "warning");
    return report.isValid() ? "valid (" + counts + ")" : counts;
  }

  /**
   * {@code {"valid", "errors", "warnings", "problems": [{"severity", "file", "line", "column",
   * "key", "message"}]}}, with a trailing newline; the shape is documented in the README.
   */
  static String json(ValidationReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("valid", report.isValid());
    root.put("errors", report.errors().size());
    root.put("warnings", report.warnings().size());
    ArrayNode problems = root.putArray("problems");
    for (Problem p : report.problems()) {
      problems
          .addObject()
          .put("severity", p.severity().label())
          .put("file", p.file())
          .put("line", p.line())
          .put("column", p.column())
          .put("key", p.key())
          .put("message", p.message());
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      // A tree of strings and numbers always serialises; reaching this is a bug.
      throw new IllegalStateException("cannot write the validation report as JSON", e);
    }
  }

  private static String where(String directoryAsGiven, String file) {
    String dir = stripTrailingSlashes(directoryAsGiven);
    if (file.isEmpty()) {
      return dir;
    }
    if (dir.equals(".")) {
      return file;
    }
    return dir.endsWith("/") ? dir + file : dir + "/" + file;
  }

  private static String stripTrailingSlashes(String dir) {
    int end = dir.length();
    while (end > 1 && dir.charAt(end - 1) == '/') {
      end--;
    }
    return dir.substring(0, end);
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
