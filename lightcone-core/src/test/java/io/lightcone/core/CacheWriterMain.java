package io.lightcone.core;

import io.lightcone.core.internal.cache.CacheStore;
import io.lightcone.core.internal.hash.DataVersion;
import java.nio.file.Path;
import java.util.Map;

/**
 * Stores one directory in a cache from a separate process, for the test of concurrent writers:
 * {@code java CacheWriterMain CACHE DIR KEY_SUFFIX ROUNDS}.
 */
public final class CacheWriterMain {
  private CacheWriterMain() {}

  public static void main(String[] args) throws Exception {
    CacheStore store = new CacheStore(Path.of(args[0]));
    Path dir = Path.of(args[1]);
    DataVersion.Versions v = DataVersion.versions(dir, 1);
    for (int i = 0; i < Integer.parseInt(args[3]); i++) {
      String output = "out_" + (i % 5) + args[2];
      String key = CacheStore.key(output, "sha256:code", Map.of("in", "v" + i % 5));
      store.store(key, output, "sha256:code", Map.of("in", "v" + i % 5), v, dir);
    }
  }
}
