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
    // The key as written before code files were tracked (a fixed vector of that formula):
    // sha256 of {"code_version":CV,"input_versions":{"raw":"mtime-size:1-2"},"output":"fit"}
    String before = CacheStore.key("fit", CV, INPUTS);
    assertThat(CacheStore.key("fit", CV, Map.of(), INPUTS)).isEqualTo(before);
    assertThat(before)
        .isEqualTo(
            io.lightcone.core.internal.hash.Sha256.ofUtf8(
                    "{\"code_version\":\""
                        + CV
                        + "\",\"input_versions\":{\"raw\":\"mtime-size:1-2\"},\"output\":\"fit\"}")
                .substring("sha256:".length()));
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
