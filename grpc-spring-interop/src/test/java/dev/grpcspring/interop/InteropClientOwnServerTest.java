package dev.grpcspring.interop;

import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Our interop client against our own interop server: every case the client knows. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class InteropClientOwnServerTest {
  private InteropServer server;
  private ClientConn conn;

  @BeforeAll
  void start() throws Exception {
    server = InteropServer.start(0);
    conn = dial();
  }

  private ClientConn dial() {
    return ClientConn.dial("localhost:" + server.port(), DialOptions.newBuilder().insecure().build());
  }

  @AfterAll
  void stop() {
    if (conn != null) {
      conn.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static Iterable<String> cases() {
    return InteropCases.NAMES;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void casePasses(String testCase) throws Exception {
    new InteropCases(conn, SoakTest.Config.DEFAULTS, SoakTest.fresh(this::dial)).run(testCase);
  }
}
