package io.lightcone.core.internal.yaml;

/** A problem found while reading a YAML file, at a position. */
public record YamlProblem(Mark mark, String message) {}
