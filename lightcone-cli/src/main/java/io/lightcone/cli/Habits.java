package io.lightcone.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The output habits every command shares, decided in one place: {@code -q/--quiet}, {@code
 * --no-color} and whether colour is on, {@code --json}. The options are declared once on {@link
 * LcCommand} (inherited by every subcommand); commands ask here instead of declaring them.
 *
 * <pre>{@code
 * if (Habits.colour(spec, environment)) { line = Habits.paint(line, Habits.RED); }
 * }</pre>
 */
final class Habits {
  static final String QUIET = "--quiet";
  static final String NO_COLOR = "--no-color";
  static final String JSON = "--json";

  static final String GREEN = "32";
  static final String RED = "31";
  static final String YELLOW = "33";
  static final String CYAN = "36";
  static final String BOLD = "1";

  private Habits() {}

  /**
   * A command that renders {@code --quiet} itself; the others have their standard output cut to the
   * last line (and error lines) by {@link #quietly}.
   */
  interface QuietAware {}

  /** Whether {@code option} was given at any level of the command line that runs {@code spec}. */
  static boolean matched(CommandSpec spec, String option) {
    CommandLine root = spec.root().commandLine();
    return root != null && matched(root.getParseResult(), option);
  }

  static boolean matched(ParseResult parseResult, String option) {
    for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption(option)) {
        return true;
      }
    }
    return false;
  }

  /** {@code -q/--quiet}: only errors and the final line. */
  static boolean quiet(CommandSpec spec) {
    return matched(spec, QUIET);
  }

  /**
   * Colour only on a terminal, never with {@code NO_COLOR} set (the environment says both) nor with
   * {@code --no-color}, never in {@code --json}.
   */
  static boolean colour(CommandSpec spec, CliEnvironment environment) {
    return environment.colour() && !matched(spec, NO_COLOR) && !matched(spec, JSON);
  }

  /** {@code text} in an SGR colour ({@link #RED}, ...), reset after it. */
  static String paint(String text, String sgr) {
    return "\u001b[" + sgr + "m" + text + "\u001b[0m";
  }

  /**
   * Runs {@code body} for the leaf command of {@code parseResult}. With {@code --quiet} (and
   * without {@code --json}) a command that is not {@link QuietAware} has its standard output cut to
   * its error lines (a compiler-style {@code file:line: error: ...} or {@code error...}) and its
   * last line, its summary; nothing else of it reaches the terminal.
   */
  static <T> T quietly(ParseResult parseResult, java.util.function.Supplier<T> body) {
    List<CommandLine> commands = parseResult.asCommandLineList();
    CommandLine leaf = commands.get(commands.size() - 1);
    boolean quiet =
        matched(parseResult, QUIET)
            && !matched(parseResult, JSON)
            && !(leaf.getCommand() instanceof QuietAware);
    if (!quiet) {
      return body.get();
    }
    // Picocli gives a command line without a writer of its own (and its subcommands) one on
    // System.out when it executes; made here first, the leaf's buffer is not replaced.
    commands.forEach(CommandLine::getOut);
    PrintWriter out = leaf.getOut();
    StringWriter buffer = new StringWriter();
    leaf.setOut(new PrintWriter(buffer, true));
    try {
      return body.get();
    } finally {
      leaf.setOut(out);
      for (String line : kept(buffer.toString())) {
        out.println(line);
      }
      out.flush();
    }
  }

  /** The lines {@code --quiet} keeps of {@code printed}: error lines and the last line. */
  static List<String> kept(String printed) {
    List<String> lines = printed.lines().filter(l -> !l.isBlank()).toList();
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (i == lines.size() - 1 || line.startsWith("error") || line.contains(": error: ")) {
        kept.add(line);
      }
    }
    return kept;
  }
}
