package io.lightcone.core.internal.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * Mutation fuzzing with QuickTheories generators: inputs are the corpus kept under {@code
 * src/test/resources/fuzz/<target>/} with random edits (insertions of tokens the format cares
 * about, deletions, duplications, byte flips). Each test counts what it tried and prints the
 * totals, so CI shows them.
 */
public final class Fuzz {
  /** Fixed so that a failure is reproducible; QuickTheories shrinks and reports the input. */
  public static final long SEED = 20261207L;

  /** Inputs per target: bounded so that each target takes seconds in CI. */
  public static final int EXAMPLES = 2_000;

  private final String target;
  private final AtomicLong tried = new AtomicLong();
  private final Set<String> outcomes = ConcurrentHashMap.newKeySet();

  public Fuzz(String target) {
    this.target = target;
  }

  public void tried(String outcome) {
    tried.incrementAndGet();
    // Digits and quoted values vary with the input; the kind of outcome is what counts.
    outcomes.add(outcome.replaceAll("\\d+", "N").replaceAll("'[^']*'", "'…'"));
  }

  public long count() {
    return tried.get();
  }

  /** The totals line CI shows; failures are 0 here, since a failure fails the test first. */
  public String totals() {
    return "fuzz "
        + target
        + ": "
        + tried.get()
        + " inputs tried, "
        + outcomes.size()
        + " distinct outcomes, 0 failures";
  }

  /** The corpus files of {@code target}, by the names listed. */
  public static List<byte[]> corpus(String target, String... names) {
    List<byte[]> out = new ArrayList<>();
    for (String name : names) {
      String resource = "/fuzz/" + target + "/" + name;
      try (InputStream in = Fuzz.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("no corpus file " + resource);
        }
        out.add(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** A corpus entry with 1 to 8 random edits, each inserting one of {@code tokens} or damaging. */
  public static Gen<byte[]> mutations(List<byte[]> corpus, List<String> tokens) {
    return in -> {
      byte[] seed = corpus.get((int) in.next(Constraint.between(0, corpus.size() - 1)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(seed);
      byte[] b = out.toByteArray();
      int edits = (int) in.next(Constraint.between(1, 8));
      for (int e = 0; e < edits; e++) {
        int at = (int) in.next(Constraint.between(0, b.length));
        int kind = (int) in.next(Constraint.between(0, 4));
        byte[] insert =
            switch (kind) {
              case 0, 1 ->
                  tokens
                      .get((int) in.next(Constraint.between(0, tokens.size() - 1)))
                      .getBytes(StandardCharsets.UTF_8);
              case 2 -> new byte[] {(byte) in.next(Constraint.between(0, 255))};
              default -> new byte[0];
            };
        int cut = kind == 3 ? (int) in.next(Constraint.between(0, Math.min(64, b.length - at))) : 0;
        byte[] repeat =
            kind == 4 ? java.util.Arrays.copyOfRange(b, at, Math.min(b.length, at + 64)) : insert;
        ByteArrayOutputStream next = new ByteArrayOutputStream(b.length + repeat.length);
        next.write(b, 0, at);
        next.writeBytes(repeat);
        next.write(b, at + cut, b.length - at - cut);
        b = next.toByteArray();
      }
      return b;
    };
  }

  /**
   * Runs {@code body} with standard error captured and returns what was printed there: a fuzz test
   * asserts that no stack trace reached it.
   */
  public static String stderrOf(Runnable body) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
