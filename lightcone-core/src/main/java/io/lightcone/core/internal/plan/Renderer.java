package io.lightcone.core.internal.plan;

import io.lightcone.TaskInput;
import io.lightcone.core.internal.Shell;
import io.lightcone.core.internal.project.Placeholders;
import java.util.List;
import java.util.Map;

/**
 * Renders a recipe template for one task: {@code {output}}, {@code {inputs}}, {@code {inputs.<id>}}
 * and {@code {decisions.<id>}} become POSIX-quoted values; {@code {{}} and {@code }}} become
 * braces. The template was validated, so every placeholder resolves.
 */
public final class Renderer {
  private Renderer() {}

  public static String render(
      String template, String output, List<TaskInput> inputs, Map<String, String> decisions) {
    return render(Placeholders.scan(template), output, inputs, decisions);
  }

  /** Renders a template already scanned into tokens. */
  static String render(
      List<Placeholders.Token> template,
      String output,
      List<TaskInput> inputs,
      Map<String, String> decisions) {
    StringBuilder out = new StringBuilder(128);
    for (Placeholders.Token t : template) {
      switch (t.kind()) {
        case TEXT -> out.append(t.name());
        case PLACEHOLDER -> out.append(value(t.name(), output, inputs, decisions));
        default -> throw new IllegalStateException("unvalidated template");
      }
    }
    return out.toString();
  }

  private static String value(
      String name, String output, List<TaskInput> inputs, Map<String, String> decisions) {
    if (name.equals("output")) {
      return Shell.quote(output);
    }
    if (name.equals("inputs")) {
      StringBuilder all = new StringBuilder();
      for (TaskInput i : inputs) {
        all.append(all.length() == 0 ? "" : " ").append(Shell.quote(i.path()));
      }
      return all.toString();
    }
    if (name.startsWith("inputs.")) {
      String id = name.substring("inputs.".length());
      for (TaskInput i : inputs) {
        if (i.id().equals(id)) {
          return Shell.quote(i.path());
        }
      }
    } else if (name.startsWith("decisions.")) {
      String option = decisions.get(name.substring("decisions.".length()));
      if (option != null) {
        return Shell.quote(option);
      }
    }
    throw new IllegalStateException("unresolved placeholder {" + name + "}");
  }
}
