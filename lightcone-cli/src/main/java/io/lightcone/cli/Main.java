package io.lightcone.cli;

/**
 * The {@code lc} executable: runs the command line and exits with its code. The only place in
 * Lightcone that ends the JVM, so that everything else can be called from a notebook or a test.
 *
 * <pre>{@code
 * java -jar lightcone-cli-all.jar validate samples/period-luminosity
 * }</pre>
 */
public final class Main {
  private Main() {}

  /** Runs {@code lc} with {@code args} and exits with the code listed in {@code lc --help}. */
  public static void main(String[] args) {
    System.exit(Cli.run(args));
  }
}
