package io.lightcone.core.internal.hash;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code code_version} of a task (DESIGN §3): SHA-256 of the UTF-8 bytes of the compact,
 * key-sorted, ASCII-escaped JSON of {@code {"container_image", "decisions", "recipe"}} — the three
 * things that decide what a recipe computes, apart from its inputs.
 */
public final class CodeVersion {
  private CodeVersion() {}

  /**
   * @param recipe the raw, unrendered command template: rendering substitutes paths that may move,
   *     which must not change the version
   * @param imageIdentity the content tag of a built Containerfile, or an image name as written;
   *     empty (JSON null) when the recipe runs on the host
   * @param decisions only the decisions the output declares (id as written → option id): a decision
   *     the output does not use must not make it stale
   */
  public static String of(
      String recipe, Optional<String> imageIdentity, Map<String, String> decisions) {
    return Sha256.ofUtf8(json(recipe, imageIdentity, decisions));
  }

  /** The JSON whose hash is the version; shown by {@code lc explain}. */
  public static String json(
      String recipe, Optional<String> imageIdentity, Map<String, String> decisions) {
    Map<String, Object> ingredients = new LinkedHashMap<>();
    ingredients.put("container_image", imageIdentity.orElse(null));
    ingredients.put("decisions", new LinkedHashMap<>(decisions));
    ingredients.put("recipe", recipe);
    return PyJson.compact(ingredients);
  }
}
