package io.lightcone.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle check itself, on small bundles made here: a complete one, and each thing missing. */
class CentralBundleTest {
  private static final String META =
      "<name>x</name><description>x</description><url>u</url><licenses><license/></licenses>"
          + "<developers><developer/></developers><scm><url>u</url></scm>";

  @TempDir Path root;

  private Path artifact(String id, boolean jar) throws Exception {
    Path d = Files.createDirectories(root.resolve("io/lightcone/" + id + "/1.0"));
    write(
        d.resolve(id + "-1.0.pom"),
        "<project>" + META + (jar ? "" : "<packaging>pom</packaging>") + "</project>");
    if (jar) {
      for (String suffix : new String[] {".jar", "-sources.jar", "-javadoc.jar"}) {
        write(d.resolve(id + "-1.0" + suffix), id + suffix);
      }
    }
    return d;
  }

  private static void write(Path file, String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Files.write(file, bytes);
    for (String[] a : new String[][] {{"md5", "MD5"}, {"sha1", "SHA-1"}}) {
      String sum = HexFormat.of().formatHex(MessageDigest.getInstance(a[1]).digest(bytes));
      Files.writeString(file.resolveSibling(file.getFileName() + "." + a[0]), sum);
    }
  }

  @Test
  void complete_hasNoProblem() throws Exception {
    artifact("lightcone-core", true);
    artifact("lightcone-bom", false);
    assertThat(CentralBundle.problems(root, Set.of("lightcone-core", "lightcone-bom"), false))
        .isEmpty();
  }

  @Test
  void metadataInheritedFromAParentInTheBundle_counts_butNotTheName() throws Exception {
    artifact("lightcone-parent", false);
    Path d = Files.createDirectories(root.resolve("io/lightcone/lightcone-api/1.0"));
    write(
        d.resolve("lightcone-api-1.0.pom"),
        "<project><parent><artifactId>lightcone-parent</artifactId></parent>"
            + "<packaging>pom</packaging></project>");
    assertThat(CentralBundle.problems(root, Set.of(), false))
        .containsExactly(
            "io/lightcone/lightcone-api/1.0/lightcone-api-1.0.pom: no <name>"
                + " (Central requires it)");
  }

  @Test
  void eachMissingPiece_isNamed() throws Exception {
    Path core = artifact("lightcone-core", true);
    Files.delete(core.resolve("lightcone-core-1.0-javadoc.jar"));
    Files.delete(core.resolve("lightcone-core-1.0-sources.jar.sha1"));
    Files.writeString(core.resolve("lightcone-core-1.0.jar.md5"), "0123");
    Path api = artifact("lightcone-api", true);
    Files.writeString(api.resolve("lightcone-api-1.0.pom"), "<project><name>x</name></project>");

    assertThat(CentralBundle.problems(root, Set.of("lightcone-core", "lightcone-slurm"), true))
        .anyMatch(p -> p.endsWith("lightcone-core-1.0-javadoc.jar is missing"))
        .anyMatch(p -> p.endsWith("lightcone-core-1.0-sources.jar.sha1 is missing"))
        .anyMatch(p -> p.contains("lightcone-core-1.0.jar.md5 does not match"))
        .anyMatch(
            p -> p.endsWith("lightcone-core-1.0.jar.asc is missing (the bundle should be signed)"))
        .anyMatch(p -> p.contains("lightcone-api-1.0.pom: no <licenses>"))
        .anyMatch(p -> p.contains("lightcone-api-1.0.pom.md5 does not match"))
        .contains("lightcone-slurm: no POM in the bundle");
  }
}
