package dev.grpcspring.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ServerBindTest {

  @Test
  void aTakenPortFailsStartWithABindExceptionOnEveryTransport() throws Exception {
    Server first = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).build().start();
    try {
      Server second = Server.builder()
          .address(new InetSocketAddress("127.0.0.1", first.getPort())).build();
      assertThatThrownBy(second::start)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Failed to bind to")
          .hasCauseInstanceOf(BindException.class);
      assertThat(second.isShutdown()).isTrue();
    } finally {
      first.shutdownNow();
      assertThat(first.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }
}
