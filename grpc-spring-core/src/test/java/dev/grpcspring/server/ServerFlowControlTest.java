package dev.grpcspring.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Flow-control credit goes back to the client only as the application asks for messages. */
@Timeout(30)
class ServerFlowControlTest {
  private static final int WINDOW = 1024 * 1024;

  @Test
  void creditReturnsOnlyWhenTheHandlerRequests() throws Exception {
    EchoService service = new EchoService();
    try (Server server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(service.definition()).build().start();
        RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      client.serverSettings.get(5, TimeUnit.SECONDS);
      // The server opens the connection window to 1 MiB after the SETTINGS exchange.
      awaitWindow(client, 0, w -> w == WINDOW);

      int chars = 600 * 1024;
      byte[] payload = StringValue.of("f".repeat(chars)).toByteArray();
      ByteBuf framed = Unpooled.buffer().writeByte(0).writeInt(payload.length).writeBytes(payload);
      int sent = framed.readableBytes();
      int id = client.send(RawHttp2Client.grpcHeaders("/test.Echo/Manual"), framed, false);
      awaitWindow(client, id, w -> w == WINDOW - sent);

      // Nobody asked for the message: no WINDOW_UPDATE for the stream. (The connection window
      // refills on its own, as grpc-java's does, so one slow stream cannot starve the others.)
      Thread.sleep(300);
      assertThat(client.sendWindow(id)).isEqualTo(WINDOW - sent);
      assertThat(client.sendWindow(0)).isGreaterThan(WINDOW - sent);

      service.manualRelease.countDown();
      awaitWindow(client, id, w -> w == WINDOW);

      client.sendData(id, Unpooled.EMPTY_BUFFER, true);
      RawHttp2Client.Result r = client.await(id);
      assertThat(r.grpcStatus()).isEqualTo("0");
      byte[] data = r.data.toByteArray();
      assertThat(StringValue.parseFrom(java.util.Arrays.copyOfRange(data, 5, data.length))
          .getValue()).isEqualTo(Integer.toString(chars));
    }
  }

  @Test
  void bdpPingsGrowTheWindowsWhileALargeUploadFlowsUnlessTheWindowIsFixed() throws Exception {
    assertThat(peerWindowAfterUpload(Server.builder())).isGreaterThan(WINDOW);
    assertThat(peerWindowAfterUpload(Server.builder().initialFlowControlWindow(WINDOW)))
        .isEqualTo(WINDOW);
  }

  /** Uploads 24 MiB in one call and returns the server's last SETTINGS_INITIAL_WINDOW_SIZE. */
  private static int peerWindowAfterUpload(ServerBuilder builder) throws Exception {
    EchoService service = new EchoService();
    try (Server server = builder.address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(service.definition()).build().start();
        RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      client.serverSettings.get(5, TimeUnit.SECONDS);
      awaitWindow(client, 0, w -> w == WINDOW);
      byte[] payload = StringValue.of("b".repeat(1024 * 1024)).toByteArray();
      int id = client.send(RawHttp2Client.grpcHeaders("/test.Echo/ClientStreaming"), null, false);
      for (int i = 0; i < 24; i++) {
        client.sendData(id, Unpooled.buffer().writeByte(0).writeInt(payload.length)
            .writeBytes(payload), false);
      }
      client.sendData(id, Unpooled.EMPTY_BUFFER, true);
      assertThat(client.await(id).grpcStatus()).isEqualTo("0");
      return client.peerInitialWindow();
    }
  }

  private static void awaitWindow(RawHttp2Client client, int streamId, IntPredicate ok)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    int w;
    while (!ok.test(w = client.sendWindow(streamId))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("window of stream " + streamId + " stuck at " + w);
      }
      Thread.sleep(10);
    }
  }
}
