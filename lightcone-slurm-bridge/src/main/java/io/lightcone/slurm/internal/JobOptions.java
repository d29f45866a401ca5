package io.lightcone.slurm.internal;

import io.lightcone.model.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code sbatch} options of one task: its {@code recipe.resources}, then the user's defaults
 * (partition, account, qos, extra options). The one place where a recipe's resources become SLURM
 * requests:
 *
 * <ul>
 *   <li>{@code cpus} to {@code --cpus-per-task}, rounded up (SLURM counts whole CPUs);
 *   <li>{@code memory} to {@code --mem} in MiB, rounded up;
 *   <li>{@code time_limit} to {@code --time} in minutes, rounded up, at least 1;
 *   <li>{@code gpus} to {@code --gres=gpu:N};
 *   <li>{@code disk}: SLURM has no portable request for it; left to the site's defaults.
 * </ul>
 */
public final class JobOptions {
  private JobOptions() {}

  public static List<String> of(
      Optional<Resources> resources,
      Optional<String> partition,
      Optional<String> account,
      Optional<String> qos,
      List<String> extra) {
    List<String> out = new ArrayList<>();
    resources.ifPresent(
        r -> {
          r.cpus().ifPresent(c -> out.add("--cpus-per-task=" + Math.max(1, (long) Math.ceil(c))));
          r.memoryBytes()
              .ifPresent(m -> out.add("--mem=" + Math.max(1, ceilDiv(m, 1024 * 1024)) + "M"));
          r.timeLimitDuration().ifPresent(t -> out.add("--time=" + minutes(t)));
          r.gpus().ifPresent(g -> out.add("--gres=gpu:" + g));
        });
    partition.ifPresent(p -> out.add("--partition=" + p));
    account.ifPresent(a -> out.add("--account=" + a));
    qos.ifPresent(q -> out.add("--qos=" + q));
    out.addAll(extra);
    return out;
  }

  static long minutes(Duration d) {
    return Math.max(1, ceilDiv(d.toSeconds(), 60));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
