package io.lightcone.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ResourcesTest {
  @Test
  void parseBytes_readsDecimalAndBinaryUnits() {
    assertThat(Resources.parseBytes("16Gi")).hasValue(16L << 30);
    assertThat(Resources.parseBytes("512Mi")).hasValue(512L << 20);
    assertThat(Resources.parseBytes("8GB")).hasValue(8_000_000_000L);
    assertThat(Resources.parseBytes("1.5G")).hasValue(1_500_000_000L);
    assertThat(Resources.parseBytes("100")).hasValue(100L);
    assertThat(Resources.parseBytes("2 KiB")).hasValue(2048L);
  }

  @Test
  void parseBytes_rejectsNonsenseAndOverflow() {
    assertThat(Resources.parseBytes("16 gigs")).isEqualTo(OptionalLong.empty());
    assertThat(Resources.parseBytes("-1G")).isEmpty();
    assertThat(Resources.parseBytes("99999999999Pi")).isEmpty();
    assertThat(Resources.parseBytes("")).isEmpty();
  }

  @Test
  void parseDuration_readsUnitsAndClocks() {
    assertThat(Resources.parseDuration("2h")).contains(Duration.ofHours(2));
    assertThat(Resources.parseDuration("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(Resources.parseDuration("90s")).contains(Duration.ofSeconds(90));
    assertThat(Resources.parseDuration("1d2h")).contains(Duration.ofHours(26));
    assertThat(Resources.parseDuration("01:30:00")).contains(Duration.ofMinutes(90));
    assertThat(Resources.parseDuration("30:00")).contains(Duration.ofMinutes(30));
    assertThat(Resources.parseDuration("2-00:00:00")).contains(Duration.ofDays(2));
  }

  @Test
  void parseDuration_rejectsZeroAndNonsense() {
    assertThat(Resources.parseDuration("0s")).isEqualTo(Optional.empty());
    assertThat(Resources.parseDuration("soon")).isEmpty();
    assertThat(Resources.parseDuration("")).isEmpty();
    assertThat(Resources.parseDuration("30m2h")).isEmpty();
  }

  @Test
  void derivedAccessors_useTheParsers() {
    Resources r = Resources.builder().cpus(2).memory("4Gi").timeLimit("30m").build();
    assertThat(r.memoryBytes()).hasValue(4L << 30);
    assertThat(r.timeLimitDuration()).contains(Duration.ofMinutes(30));
    assertThat(r.diskBytes()).isEmpty();
  }
}
