package io.lightcone.core.internal.yaml;

/**
 * A node of a YAML document that remembers where it was written. Aliases are shared, not copied, so
 * the tree is a DAG; {@link #weight()} bounds how large it would be expanded.
 */
public sealed interface YNode permits YMap, YSeq, YScalar {
  Mark mark();

  /** The number of nodes this node stands for once aliases are expanded. */
  long weight();

  /** A word for messages: {@code a mapping}, {@code a list}, {@code a string "x"}, ... */
  String describe();
}
