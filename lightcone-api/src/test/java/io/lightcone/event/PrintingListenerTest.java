package io.lightcone.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrintingListenerTest {

  @Test
  void substrateNote_isPrintedAsItsOwnLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ExecutionListener printing =
        ExecutionListener.printing(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    printing.executionStarted(2, 2);
    printing.substrateNote("Dask local cluster at tls://127.0.0.1:1234");

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("2 tasks, 2 to run", "Dask local cluster at tls://127.0.0.1:1234");
  }
}
