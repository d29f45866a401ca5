package io.lightcone.core.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import io.lightcone.Manifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signature formula: fixed vectors, every field covered, readable by unsigned readers. */
class ManifestSignatureTest {
  // RFC 8032 section 7.1, TEST 1: the signing code must give these bytes.
  private static final byte[] RFC_SEED =
      HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final String RFC_PUBLIC =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  private static final String RFC_SIGNATURE =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

  static final SigningKey KEY = SigningKey.fromSeed(RFC_SEED);
  static final SigningKey OTHER = SigningKey.fromSeed(new byte[32]);

  static final Manifest M =
      Manifest.builder()
          .outputId("fit")
          .universeId("baseline")
          .codeVersion("sha256:" + "ab".repeat(32))
          .dataVersion("sha256:" + "cd".repeat(32))
          .recipe("python3 fit.py {output} # caf\u00e9")
          .putDecision("method", "ols")
          .putInputVersion("catalog", "missing")
          .lcVersion("0.4.0")
          .finishedAt(1764190000.123456)
          .host("node-1")
          .build();

  @Test
  void key_ofTheRfc8032Seed_isTheRfcKeyAndSignature() {
    assertThat(HexFormat.of().formatHex(Base64.getDecoder().decode(KEY.publicKey())))
        .isEqualTo(RFC_PUBLIC);
    assertThat(HexFormat.of().formatHex(KEY.sign(new byte[0]))).isEqualTo(RFC_SIGNATURE);
  }

  @Test
  void sign_fixedManifestAndKey_isAFixedSignatureOverTheCanonicalBytes() {
    String signed = ManifestSignature.sign(ManifestCodec.write(M), KEY);
    ManifestSignature.Signed s = (ManifestSignature.Signed) ManifestSignature.check(signed);
    // The canonical bytes: compact, keys sorted, non-ASCII escaped, no signature field.
    assertThat(new String(s.message(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"code_version\":\"sha256:"
                + "ab".repeat(32)
                + "\",\"container_image\":null,\"data_version\":\"sha256:"
                + "cd".repeat(32)
                + "\",\"decisions\":{\"method\":\"ols\"},\"finished_at\":1764190000.123456,"
                + "\"git_remote\":null,\"git_sha\":null,\"host\":\"node-1\","
                + "\"input_versions\":{\"catalog\":\"missing\"},\"lc_version\":\"0.4.0\","
                + "\"output_id\":\"fit\",\"recipe\":\"python3 fit.py {output} # caf\\u00e9\","
                + "\"schema_version\":1,\"slurm_job_id\":null,\"universe_id\":\"baseline\","
                + "\"worker_image\":null}");
    assertThat(s.key()).isEqualTo(KEY.publicKey());
    // Ed25519 is deterministic: this vector pins the formula and the field layout.
    assertThat(Base64.getEncoder().encodeToString(s.value()))
        .isEqualTo(Base64.getEncoder().encodeToString(KEY.sign(s.message())));
    assertThat(HexFormat.of().formatHex(s.value())).isEqualTo(FIXED_SIGNATURE);
    assertThat(signed)
        .contains(
            "\"signature\": {\n    \"alg\": \"ed25519\",\n    \"key\": \""
                + KEY.publicKey()
                + "\"");
  }

  // Python agrees: Ed25519PrivateKey.from_private_bytes(RFC_SEED).sign(json.dumps(m,
  // sort_keys=True, separators=(",", ":")).encode()) with python3-cryptography gives these bytes.
  static final String FIXED_SIGNATURE =
      "2fb500bd8951979282f06314bc857c5c9d72a49d907a70f205f1f97fcd72267c"
          + "c314c910a67239f354de467d2fc70b4872939f17da8b5f4f15ca2f2e6d3f4106";

  @Test
  void signedManifest_isStillAManifestForReadersThatIgnoreTheField() {
    String signed = ManifestSignature.sign(ManifestCodec.write(M), KEY);
    assertThat(ManifestCodec.parse(signed)).isEqualTo(new ManifestCodec.Valid(M));
  }

  @Test
  void trustedKeys_passTheSignerOnly_andEveryChangedFieldFails() {
    TrustedKeys trusted =
        TrustedKeys.parse("team.keys", "# team\n\n" + KEY.publicLine("a@b") + "\n");
    String signed = ManifestSignature.sign(ManifestCodec.write(M), KEY);
    assertThat(trusted.check(signed)).isEmpty();
    assertThat(trusted.check(ManifestCodec.write(M))).contains("the manifest is not signed");
    assertThat(trusted.check(ManifestSignature.sign(ManifestCodec.write(M), OTHER)))
        .hasValueSatisfying(
            r -> assertThat(r).contains("not in team.keys").contains(OTHER.publicKey()));
    // Every field is covered, those this codec knows and those added after it.
    for (String[] edit :
        new String[][] {
          {"\"output_id\": \"fit\"", "\"output_id\": \"fat\""},
          {"\"finished_at\": 1764190000.123456", "\"finished_at\": 1764190000.123457"},
          {"\"method\": \"ols\"", "\"method\": \"wls\""},
          {"\"git_sha\": null", "\"git_sha\": \"\""},
          {"\"host\": \"node-1\"", "\"host\": \"node-1\",\n  \"sandbox\": {\"network\": false}"},
        }) {
      String changed = signed.replace(edit[0], edit[1]);
      assertThat(changed).isNotEqualTo(signed);
      assertThat(trusted.check(changed))
          .as(edit[1])
          .hasValueSatisfying(r -> assertThat(r).contains("does not match"));
    }
    // Layout is not signed: the same fields re-indented still verify.
    assertThat(trusted.check(signed.replace("\n  ", "\n    "))).isEmpty();
  }

  @Test
  void fieldsTheCodecDoesNotKnow_areSignedAsWritten() {
    String withNew =
        ManifestCodec.write(M)
            .replace(
                "\"host\": \"node-1\"",
                "\"code_files\": {\"fit.py\": \"sha256:00\"},\n  \"host\": \"node-1\"");
    String signed = ManifestSignature.sign(withNew, KEY);
    assertThat(signed).contains("\"code_files\": {\n    \"fit.py\": \"sha256:00\"\n  }");
    TrustedKeys trusted = TrustedKeys.parse("k", KEY.publicLine(""));
    assertThat(trusted.check(signed)).isEmpty();
    assertThat(trusted.check(signed.replace("sha256:00", "sha256:01"))).isPresent();
  }

  @Test
  void trustedKeysFile_withALineThatIsNotAKey_namesFileAndLine() {
    assertThatThrownBy(() -> TrustedKeys.parse("team.keys", "# ok\nssh-rsa AAAA x\n"))
        .isInstanceOf(LightconeException.class)
        .hasMessageStartingWith("team.keys:2: not a public key line");
    assertThatThrownBy(() -> TrustedKeys.parse("team.keys", "ed25519 !!!\n"))
        .hasMessageStartingWith("team.keys:1: not a public key line");
    assertThatThrownBy(() -> TrustedKeys.parse("team.keys", "# nobody\n"))
        .hasMessageContaining("no key in it");
  }

  @Test
  void malformedSignature_isUntrustedNeverAnException() {
    TrustedKeys trusted = TrustedKeys.parse("k", KEY.publicLine(""));
    String text = ManifestCodec.write(M);
    for (String sig :
        new String[] {
          "\"signature\": 1",
          "\"signature\": {\"alg\": \"rsa\", \"key\": \"x\", \"value\": \"y\"}",
          "\"signature\": {\"alg\": \"ed25519\", \"key\": \""
              + KEY.publicKey()
              + "\", \"value\": \"%%\"}",
          "\"signature\": {\"alg\": \"ed25519\", \"key\": \""
              + KEY.publicKey()
              + "\", \"value\": \"AAAA\"}",
        }) {
      String damaged = text.replace("\"schema_version\": 1", sig + ",\n  \"schema_version\": 1");
      assertThat(trusted.check(damaged)).as(sig).isPresent();
    }
    assertThat(ManifestStore.bytes(M, Optional.empty()))
        .isEqualTo(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void signedBytes_fromTheManifest_areThoseOfSigningItsText() {
    Manifest full =
        Manifest.builder()
            .from(M)
            .containerImage("img:1")
            .gitSha("abc")
            .gitRemote("https://x")
            .slurmJobId("42")
            .workerImage("w")
            .treeVersion("sha256:" + "ef".repeat(32))
            .imageIdentity("sha256:" + "01".repeat(32))
            .containerRuntime("podman")
            .startedAt(1764189999.5)
            .substrate("local")
            .restoredFromCache(true)
            .putCodeFile("fit.py", "sha256:" + "02".repeat(32))
            .sandbox(new Manifest.Sandbox("bwrap", "on", false))
            .finishedAt(1e-7)
            .build();
    for (Manifest m : new Manifest[] {M, full}) {
      // Signing the map the text is written from must give the bytes of signing the text: the
      // signatures already on disk were made the second way.
      assertThat(new String(ManifestStore.bytes(m, Optional.of(KEY)), StandardCharsets.UTF_8))
          .isEqualTo(ManifestSignature.sign(ManifestCodec.write(m), KEY));
    }
  }

  @Test
  void load_readsTheSeedOfTheEd25519FormOnly(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("k");
    Files.writeString(file, KEY.pem());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(SigningKey.load(file).publicKey()).isEqualTo(KEY.publicKey());
    // The same 48 bytes under the X25519 algorithm (OID 1.3.101.110): not a signing key.
    byte[] der = Base64.getMimeDecoder().decode(KEY.pem().replaceAll("-----[A-Z ]+-----", ""));
    assertThat(der[11]).isEqualTo((byte) 0x70);
    der[11] = 0x6e;
    Files.writeString(
        file,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getEncoder().encodeToString(der)
            + "\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> SigningKey.load(file))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("not an Ed25519 private key");
  }

  @Test
  void keysAndSignatures_areTheJdksEd25519_bothWays() throws Exception {
    // The PEM is what the JDK (and openssl) write for the seed, and reads back to it.
    byte[] der =
        Base64.getMimeDecoder()
            .decode(
                KEY.pem()
                    .replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", ""));
    java.security.interfaces.EdECPrivateKey jdkKey =
        (java.security.interfaces.EdECPrivateKey)
            java.security.KeyFactory.getInstance("Ed25519")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
    assertThat(jdkKey.getBytes().orElseThrow()).isEqualTo(RFC_SEED);
    byte[] message = ManifestCodec.write(M).getBytes(StandardCharsets.UTF_8);
    java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
    jdk.initSign(jdkKey);
    jdk.update(message);
    byte[] jdkSignature = jdk.sign();
    assertThat(KEY.sign(message)).isEqualTo(jdkSignature);
    SigningKey.PublicKey publicKey =
        SigningKey.publicKey(Base64.getDecoder().decode(KEY.publicKey()));
    assertThat(SigningKey.verify(publicKey, message, jdkSignature)).isTrue();
    message[0] ^= 1;
    assertThat(SigningKey.verify(publicKey, message, jdkSignature)).isFalse();
  }

  @Test
  void publicKey_thatIsNoPointOfTheCurve_isRefused() {
    byte[] notAPoint = new byte[32];
    java.util.Arrays.fill(notAPoint, (byte) 0xff);
    assertThatThrownBy(() -> SigningKey.publicKey(notAPoint))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an Ed25519 public key");
  }
}
