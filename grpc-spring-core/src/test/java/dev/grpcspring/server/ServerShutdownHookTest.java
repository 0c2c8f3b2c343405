package dev.grpcspring.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shutdown hooks run once, in order, before the server stops accepting; a failing one is logged. */
@Timeout(30)
class ServerShutdownHookTest {

  @Test
  void hooksRunOnceInOrderWhileTheServerStillListensAndAFailureDoesNotStopTheOthers()
      throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    Server[] holder = new Server[1];
    Server server = Server.builder()
        .address(new InetSocketAddress("127.0.0.1", 0))
        .addShutdownHook(() -> ran.add("first, accepting " + accepts(holder[0].getPort())))
        .addShutdownHook(() -> {
          throw new IllegalStateException("hook failure, on purpose");
        })
        .addShutdownHook(() -> ran.add("third, shut down " + holder[0].isShutdown()))
        .build();
    holder[0] = server;
    server.start();
    assertThat(ran).isEmpty();
    server.shutdown();
    server.shutdownNow();
    assertThat(server.stop(Duration.ofSeconds(5))).isTrue();
    assertThat(ran).containsExactly("first, accepting true", "third, shut down true");
    assertThat(accepts(server.getPort())).isFalse();
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
