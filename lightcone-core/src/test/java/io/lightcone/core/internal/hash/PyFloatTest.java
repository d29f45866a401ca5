package io.lightcone.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PyFloat#shortest}'s short cut (start from the length of Java's {@code Double.toString})
 * gives exactly what trying every length from 1 gives; Python itself is the oracle of {@code
 * HashPropertyTest.pyFloat_reprIsPythons}.
 */
class PyFloatTest {
  @Test
  void shortCutAgreesWithTryingEveryLength() {
    Random r = Generate.random("pyfloat-shortcut");
    List<Double> cases = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) {
      cases.add(Double.longBitsToDouble(r.nextLong()));
      cases.add(Generate.decimal(r));
      cases.add(Generate.timestamp(r));
      cases.add(Generate.extremeDouble(r));
    }
    // Java 17's Double.toString writes more digits than needed for some of these (2e23 as
    // 1.9999999999999998E23, JDK-4511638): the short cut must notice and fall back.
    cases.addAll(List.of(2.0e23, 1.0e23, 2.0e-3, 5.0e-324, 1.0e-5, 8.41e21, 2.82879384806159e17));
    for (double d : cases) {
      if (Double.isNaN(d) || Double.isInfinite(d) || d == 0) {
        continue;
      }
      BigDecimal exact = new BigDecimal(d);
      assertThat(PyFloat.shortest(exact, d))
          .as("bits %016x (%s)", Double.doubleToRawLongBits(d), d)
          .isEqualTo(PyFloat.shortestByTrying(exact, d));
    }
  }

  @Test
  void aTimestampKeepsItsMicroseconds() {
    assertThat(PyFloat.repr(1765129037.123456)).isEqualTo("1765129037.123456");
    assertThat(PyFloat.repr(1765129037.1)).isEqualTo("1765129037.1");
    assertThat(PyFloat.repr(2.0e23)).isEqualTo("2e+23");
  }
}
