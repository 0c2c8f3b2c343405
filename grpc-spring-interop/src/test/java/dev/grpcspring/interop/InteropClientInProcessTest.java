package dev.grpcspring.interop;

import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our interop client against our own interop server over the in-process transport: every case the
 * client knows, none skipped. None of them needs HTTP/2 on the wire: compression is carried by the
 * same message flags and grpc-encoding, status and metadata by the same checks, and the soak cases
 * dial fresh in-process channels as they would dial TCP ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class InteropClientInProcessTest {
  private final String name = "interop-" + UUID.randomUUID();
  private InteropServer server;
  private ClientConn conn;

  @BeforeAll
  void start() throws Exception {
    server = InteropServer.startInProcess(name);
    conn = dial();
  }

  private ClientConn dial() {
    return ClientConn.dial("in-process:" + name, DialOptions.newBuilder().insecure().build());
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
