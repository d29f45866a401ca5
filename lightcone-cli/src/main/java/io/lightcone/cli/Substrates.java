package io.lightcone.cli;

import io.lightcone.core.LocalSubstrate;
import io.lightcone.spi.Substrate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The substrates {@code --substrate} names: {@code local}, built in, and those the bridges on the
 * class path register for {@link ServiceLoader} ({@code snakemake}, ...).
 */
final class Substrates implements Iterable<String> {
  static final String LOCAL = "local";

  /** Every name, {@code local} first, the others sorted. */
  static List<String> names() {
    List<String> names = new ArrayList<>();
    ServiceLoader.load(Substrate.class).forEach(s -> names.add(s.name()));
    names.sort(null);
    names.remove(LOCAL);
    names.add(0, LOCAL);
    return names;
  }

  /** The substrate called {@code name}, with its defaults. */
  static Optional<Substrate> named(String name) {
    if (name.equals(LOCAL)) {
      return Optional.of(LocalSubstrate.create());
    }
    for (Substrate s : ServiceLoader.load(Substrate.class)) {
      if (s.name().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The substrate {@code --substrate} names; an unknown name is a usage error of {@code cli}. */
  static Substrate required(CommandLine cli, String name) {
    return named(name)
        .orElseThrow(
            () ->
                new ParameterException(
                    cli,
                    "--substrate '"
                        + name
                        + "' is not available; this lc runs on: "
                        + String.join(", ", names())));
  }

  /** For picocli's {@code ${COMPLETION-CANDIDATES}} in the help of {@code --substrate}. */
  @Override
  public java.util.Iterator<String> iterator() {
    return names().iterator();
  }
}
