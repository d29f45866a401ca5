package io.lightcone.core.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The action key and code files: other code never finds an entry made by this code. */
class CacheKeyTest {
  private static final String CV = "sha256:" + "c".repeat(64);
  private static final Map<String, String> INPUTS = Map.of("raw", "mtime-size:1-2");
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  @Test
  void withoutCodeFiles_theKeyIsTheOneItAlwaysWas() {
    // The key without code files (a fixed vector of the formula, version 2, computed in Python):
    // sha256(b"lightcone-cache-action-2\0"
    //     + b'{"code_version":CV,"input_versions":{"raw":"mtime-size:1-2"},"output":"fit"}\0')
    String before = CacheStore.key("fit", CV, INPUTS);
    assertThat(CacheStore.key("fit", CV, Map.of(), INPUTS)).isEqualTo(before);
    assertThat(before)
        .isEqualTo("b2459b7bee8a5a438890eeecb70a56c20db675b8f876fdd5780d57506e13e43d");
  }

  @Test
  void codeFiles_changeTheKey_andEachHashMatters() {
    String before = CacheStore.key("fit", CV, INPUTS);
    String a = CacheStore.key("fit", CV, Map.of("src/fit.py", A), INPUTS);
    String b = CacheStore.key("fit", CV, Map.of("src/fit.py", B), INPUTS);
    String renamed = CacheStore.key("fit", CV, Map.of("src/fit2.py", A), INPUTS);

    assertThat(a).isNotEqualTo(before).isNotEqualTo(b).isNotEqualTo(renamed);
  }
}
