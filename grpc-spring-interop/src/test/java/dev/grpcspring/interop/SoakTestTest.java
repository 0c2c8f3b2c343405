package dev.grpcspring.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.ConnectivityState;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The soak accounting: failed iterations count against the allowance, and a run can fail. */
@Timeout(60)
class SoakTestTest {
  @Test
  void failuresBeyondTheAllowanceFailTheRunAndWithinItPass() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    SoakTest.Config strict = new SoakTest.Config(3, 0, 1000, 30, 0, 10, 10);
    SoakTest.Config lenient = new SoakTest.Config(3, 3, 1000, 30, 0, 10, 10);
    try (ClientConn conn = ClientConn.dial(
        "localhost:" + closedPort, DialOptions.newBuilder().insecure().build())) {
      assertThatThrownBy(() -> SoakTest.run(strict, SoakTest.shared(conn)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("3 of 3 iterations failed, more than the 0 allowed")
          .hasMessageContaining("UNAVAILABLE");
      assertThatCode(() -> SoakTest.run(lenient, SoakTest.shared(conn)))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void channelSoakClosesEveryChannelItOpens() throws Exception {
    try (InteropServer server = InteropServer.start(0)) {
      List<ClientConn> opened = new ArrayList<>();
      SoakTest.run(new SoakTest.Config(3, 0, 5000, 30, 0, 100, 100),
          SoakTest.fresh(() -> {
            ClientConn c = ClientConn.dial(
                "localhost:" + server.port(), DialOptions.newBuilder().insecure().build());
            opened.add(c);
            return c;
          }));
      assertThat(opened).hasSize(3).allSatisfy(c ->
          assertThat(c.getState(false)).isEqualTo(ConnectivityState.SHUTDOWN));
    }
  }
}
