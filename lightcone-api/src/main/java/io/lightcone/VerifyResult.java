package io.lightcone;

import java.util.Locale;
import java.util.Optional;

/**
 * The check of one existing output: does its data match its manifest, and does its manifest match
 * what it was made from.
 *
 * @param universeId the universe
 * @param outputId the output's id within its analysis
 * @param qualifiedId the output's id from the root
 * @param analysisId the id of the analysis that declares it
 * @param outputDir project-relative directory of the output
 * @param failure the first check that failed, or empty when it passed
 * @param detail what exactly differs (both versions for tampered data), or empty
 */
public record VerifyResult(
    String universeId,
    String outputId,
    String qualifiedId,
    String analysisId,
    String outputDir,
    Optional<Failure> failure,
    String detail) {

  /** The checks, in the order they run; the first that fails is reported. */
  public enum Failure {
    /** The output directory exists without a manifest. */
    MISSING_MANIFEST,
    /** The manifest is not a schema-1 manifest (unparsable, a field missing, ...). */
    INVALID_MANIFEST,
    /**
     * Asked for trusted keys only: the manifest is unsigned, signed by a key not trusted, or its
     * signature does not match it.
     */
    UNTRUSTED,
    /** The data hashes to something else than the manifest says. */
    TAMPERED_DATA,
    /**
     * An input is missing from the manifest, or an upstream manifest is missing or drifted (or,
     * with trusted keys, not signed by one of them).
     */
    BROKEN_CHAIN;

    /** The lower-case word of the JSON. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public boolean passed() {
    return failure.isEmpty();
  }
}
