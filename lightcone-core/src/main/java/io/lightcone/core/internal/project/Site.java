package io.lightcone.core.internal.project;

import io.lightcone.core.internal.yaml.Mark;
import io.lightcone.core.internal.yaml.YMap;
import io.lightcone.core.internal.yaml.YNode;
import io.lightcone.core.internal.yaml.YSeq;

/**
 * Where an element of the model was written: its mapping and the key path to it, so later checks
 * can point at the exact key or list item.
 *
 * @param map the element's mapping
 * @param path the key path from the file's root, e.g. {@code outputs[2]}
 * @param what how messages name the element, e.g. {@code output 'fit'}
 */
record Site(YMap map, String path, String what) {

  Mark at() {
    return map.mark();
  }

  /** The key's position, or the element's when the key is absent. */
  Mark key(String key) {
    return map.entry(key).map(e -> e.key().mark()).orElse(map.mark());
  }

  /** The value's position, or the key's. */
  Mark value(String key) {
    return map.get(key).map(YNode::mark).orElse(key(key));
  }

  /** The position of item {@code index} of a list value, or of the key. */
  Mark item(String key, int index) {
    return map.get(key)
        .filter(v -> v instanceof YSeq s && index < s.items().size())
        .map(v -> ((YSeq) v).items().get(index).mark())
        .orElse(key(key));
  }

  /** The mapping under {@code key}, when it is one. */
  Mark entryOf(String key, String subKey) {
    return map.get(key)
        .filter(v -> v instanceof YMap)
        .flatMap(v -> ((YMap) v).entry(subKey))
        .map(e -> e.key().mark())
        .orElse(key(key));
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  String path(String key, int index) {
    return path(key) + "[" + index + "]";
  }
}
