package io.lightcone.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of this JVM's options a plumbing JVM shares. */
class EnvironmentTest {
  @Test
  void shared_areTheStartUpAndSizingOptions_notAgentsDebuggersOrRecordings() {
    List<String> options =
        List.of(
            "-XX:SharedArchiveFile=/home/u/.cache/lightcone/cds-1.jsa",
            "-Xlog:cds=off",
            "-Xlog:cds+dynamic=off",
            "-XX:Tier4InvocationThreshold=50000",
            "-XX:+UseSerialGC",
            "-Xmx2g",
            "-Xss4m",
            "-Djdk.lang.Process.launchMechanism=VFORK",
            "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
            "-javaagent:/tmp/agent.jar",
            "-XX:ArchiveClassesAtExit=/tmp/x.jsa",
            "-XX:StartFlightRecording=filename=/tmp/x.jfr",
            "-Dlc.jar=/tmp/lc.jar");

    assertThat(options.stream().filter(Environment::shared))
        .containsExactly(
            "-XX:SharedArchiveFile=/home/u/.cache/lightcone/cds-1.jsa",
            "-Xlog:cds=off",
            "-Xlog:cds+dynamic=off",
            "-XX:Tier4InvocationThreshold=50000",
            "-XX:+UseSerialGC",
            "-Xmx2g",
            "-Xss4m",
            "-Djdk.lang.Process.launchMechanism=VFORK");
  }
}
