package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import io.lightcone.Manifest;
import io.lightcone.PlanOptions;
import io.lightcone.TaskResult;
import io.lightcone.VerifyReport;
import io.lightcone.VerifyResult;
import io.lightcone.core.internal.hash.DataVersion;
import io.lightcone.core.internal.manifest.ManifestStore;
import io.lightcone.core.internal.manifest.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs that cannot be faked by whoever can write the results folder: signed manifests. */
class SignedManifestTest {
  @TempDir Path dir;
  @TempDir Path keys;
  Path key;
  Path trusted;
  SigningKey mine;

  @BeforeEach
  void runSigned() throws IOException {
    mine = SigningKey.generate();
    key = writeKey(keys.resolve("signing-key"), mine);
    trusted =
        Files.writeString(
            keys.resolve("team.keys"), "# the team\n" + mine.publicLine("me@here") + "\n");
    TestProjects.write(
        dir,
        "astra.yaml",
        """
        id: demo
        outputs:
          - id: fit
            type: data
            recipe: {command: "echo fit > {output}/v"}
          - id: distance
            type: data
            inputs: [fit]
            recipe: {command: "cat {inputs.fit}/v > {output}/v"}
        """,
        "universes/baseline.yaml",
        "decisions: {}\n");
    Project.load(dir)
        .plan(PlanOptions.defaults(), RunOptions.builder().signingKey(key).build())
        .execute(LocalSubstrate.create())
        .throwIfFailed();
  }

  private static Path writeKey(Path file, SigningKey k) throws IOException {
    Files.writeString(file, k.pem());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private VerifyReport verifyTrusted() {
    return Project.load(dir).verify(VerifyOptions.builder().trustedKeys(trusted).build());
  }

  private static Map<String, VerifyResult> byOutput(VerifyReport r) {
    return r.results().stream()
        .collect(Collectors.toMap(VerifyResult::qualifiedId, Function.identity()));
  }

  private Path output(String id) {
    return dir.resolve("results/baseline").resolve(id);
  }

  /** Writes new bytes into {@code id} and a manifest that matches them, as a forger would. */
  private void fake(String id, Optional<SigningKey> signer) throws IOException {
    Path out = output(id);
    Files.writeString(out.resolve("v"), "forged\n");
    Manifest m = ((ManifestStore.Present) ManifestStore.read(out)).manifest();
    DataVersion.Versions now = DataVersion.versions(out, 1);
    Manifest forged =
        Manifest.builder()
            .from(m)
            .dataVersion(now.dataVersion())
            .treeVersion(now.treeVersion())
            .build();
    ManifestStore.write(out, forged, signer);
  }

  /** Rewrites distance's manifest to record fit's forged version, as a forger would. */
  private void relinkDistance(Optional<SigningKey> signer) throws IOException {
    Path d = output("distance");
    Manifest m = ((ManifestStore.Present) ManifestStore.read(d)).manifest();
    String fitVersion =
        ((ManifestStore.Present) ManifestStore.read(output("fit"))).manifest().dataVersion();
    ManifestStore.write(
        d, Manifest.builder().from(m).putInputVersion("fit", fitVersion).build(), signer);
  }

  @Test
  void signedRun_passesVerifyWithItsKey() throws IOException {
    assertThat(Files.readString(output("fit").resolve(ManifestStore.FILE)))
        .contains("\"signature\": {")
        .contains(mine.publicKey());
    VerifyReport r = verifyTrusted();
    assertThat(r.passed()).as(r.toString()).isTrue();
    assertThat(r.results()).hasSize(2);
  }

  @Test
  void fakedOutputWithRewrittenUnsignedManifest_failsTrustedVerify_passesPlainVerify()
      throws IOException {
    fake("fit", Optional.empty());
    relinkDistance(Optional.empty());
    assertThat(Project.load(dir).verify().failures())
        .as("plain verify cannot tell: the forged manifests match the forged bytes")
        .isZero();
    Map<String, VerifyResult> v = byOutput(verifyTrusted());
    assertThat(v.get("fit").failure()).contains(VerifyResult.Failure.UNTRUSTED);
    assertThat(v.get("fit").detail()).isEqualTo("the manifest is not signed");
    assertThat(v.get("distance").failure()).contains(VerifyResult.Failure.UNTRUSTED);
  }

  @Test
  void fakedOutputSignedByAnotherKey_failsTrustedVerify_andItsDownstream() throws IOException {
    SigningKey theirs = SigningKey.fromSeed(new byte[32]);
    fake("fit", Optional.of(theirs));
    // distance's manifest is re-signed with the trusted key (a forger who holds it, or a re-run
    // on top of the forged fit): only its chain gives it away.
    relinkDistance(Optional.of(mine));
    assertThat(Project.load(dir).verify().passed()).isTrue();
    Map<String, VerifyResult> v = byOutput(verifyTrusted());
    assertThat(v.get("fit").failure()).contains(VerifyResult.Failure.UNTRUSTED);
    assertThat(v.get("fit").detail())
        .contains("signed by a key not in")
        .contains(theirs.publicKey());
    assertThat(v.get("distance").failure()).contains(VerifyResult.Failure.BROKEN_CHAIN);
    assertThat(v.get("distance").detail()).contains("upstream 'fit' is not trusted");
  }

  @Test
  void signedManifestEditedAfterSigning_failsTrustedVerify() throws IOException {
    Path f = output("fit").resolve(ManifestStore.FILE);
    Files.writeString(f, Files.readString(f).replace("\"host\": \"", "\"host\": \"x"));
    Map<String, VerifyResult> v = byOutput(verifyTrusted());
    assertThat(v.get("fit").failure()).contains(VerifyResult.Failure.UNTRUSTED);
    assertThat(v.get("fit").detail()).contains("does not match");
  }

  @Test
  void restoreFromTheCache_reSignsWithTheCurrentKey() throws IOException {
    SigningKey next = SigningKey.generate();
    Path nextKey = writeKey(keys.resolve("next-key"), next);
    Publisher_deleteTree(output("fit"));
    TaskResult restored =
        Project.load(dir)
            .plan(PlanOptions.defaults(), RunOptions.builder().signingKey(nextKey).build())
            .execute(LocalSubstrate.create())
            .results()
            .get(0);
    assertThat(restored.outcome()).isEqualTo(TaskResult.Outcome.RESTORED);
    assertThat(Files.readString(output("fit").resolve(ManifestStore.FILE)))
        .contains(next.publicKey())
        .contains("\"restored_from_cache\": true");
    Files.writeString(trusted, next.publicLine("") + "\n", java.nio.file.StandardOpenOption.APPEND);
    assertThat(verifyTrusted().passed()).isTrue();
  }

  @Test
  void exports_keepTheSignature_andTheCrateNamesTheSigner() throws IOException {
    Path crate = keys.resolve("crate");
    Project.load(dir).exportCrate(crate, CrateOptions.defaults());
    String metadata = Files.readString(crate.resolve("ro-crate-metadata.json"));
    assertThat(metadata)
        .contains("\"propertyID\" : \"ed25519_public_key\"")
        .contains("\"value\" : \"ed25519 " + mine.publicKey() + "\"");
    // The copied manifests are the signed bytes: the crate verifies against the same keys.
    assertThat(
            Project.load(crate)
                .verify(VerifyOptions.builder().trustedKeys(trusted).build())
                .passed())
        .isTrue();
  }

  @Test
  void keyOpenToOthers_isRefusedNamingTheFile() throws IOException {
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> SigningKey.load(key))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("chmod 600");
  }

  @Test
  void trustedKeysFileMissing_isAUserError() {
    assertThatThrownBy(
            () ->
                Project.load(dir)
                    .verify(VerifyOptions.builder().trustedKeys(keys.resolve("nope")).build()))
        .isInstanceOfSatisfying(
            LightconeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(LightconeException.Kind.USER_INPUT);
              assertThat(e.getMessage()).contains("nope").doesNotContain("java.");
            });
  }

  private static void Publisher_deleteTree(Path p) throws IOException {
    try (var walk = Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
