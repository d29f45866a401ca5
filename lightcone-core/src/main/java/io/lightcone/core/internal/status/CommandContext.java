package io.lightcone.core.internal.status;

import io.lightcone.core.internal.Environment;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What one command shares from loading the project to planning, running, status and verify, created
 * once per command ({@code Project.load}): its environment, its clock, its thread budget and the
 * one {@link InputMemo} of the project, so that the memo file is read (and a broken one set aside)
 * once, and every part of the command sees the entries the others made.
 *
 * @param environment the environment the command was started in
 * @param clock when things happen (the memo's racy entries, manifests' times)
 * @param threads how many threads hashing and deriving may use
 * @param memo the project's memo of input versions and image tags
 */
public record CommandContext(Environment environment, Clock clock, int threads, InputMemo memo) {
  /** The context of a command on {@code project} in {@code environment}. */
  public static CommandContext of(Path project, Environment environment) {
    Clock clock = environment.clock();
    return new CommandContext(
        environment,
        clock,
        Math.max(2, Runtime.getRuntime().availableProcessors()),
        InputMemo.open(project, clock));
  }
}
