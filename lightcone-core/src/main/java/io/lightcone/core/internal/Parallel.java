package io.lightcone.core.internal;

import io.lightcone.LightconeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Maps a list on a few threads, keeping its order; for work that is independent per item. */
public final class Parallel {
  private Parallel() {}

  public static <T, R> List<R> map(List<T> items, int threads, Function<T, R> f) {
    if (threads <= 1 || items.size() < 2) {
      return items.stream().map(f).toList();
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(threads, items.size()),
            r -> {
              Thread t = new Thread(r, "lightcone-parallel");
              t.setDaemon(true);
              return t;
            });
    try {
      // Chunks, so that 10,000 small items are not 10,000 futures.
      int chunk = Math.max(1, items.size() / (threads * 8));
      List<Future<List<R>>> futures = new ArrayList<>();
      for (int i = 0; i < items.size(); i += chunk) {
        List<T> part = items.subList(i, Math.min(items.size(), i + chunk));
        futures.add(pool.submit(() -> part.stream().map(f).toList()));
      }
      List<R> out = new ArrayList<>(items.size());
      for (Future<List<R>> fut : futures) {
        out.addAll(fut.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LightconeException(LightconeException.Kind.INTERRUPTED, "interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new LightconeException(
          LightconeException.Kind.INTERNAL, String.valueOf(e.getCause()), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
