package dev.grpcspring.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keepalive enforcement and flood limits on the wire: each abuse ends its connection with
 * GOAWAY(ENHANCE_YOUR_CALM), and the server then serves a new connection normally.
 */
@Timeout(60)
class ServerFloodTest {
  private static final String UNARY = "/test.Echo/Unary";
  private static final String BIDI = "/test.Echo/Bidi";
  private Server server;

  private Server start(java.util.function.UnaryOperator<ServerBuilder> config) throws Exception {
    server = config.apply(Server.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .registerService(new EchoService().definition()))
        .build()
        .start();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void pingFloodGetsTooManyPingsAndTheServerServesTheNextConnection() throws Exception {
    start(b -> b);
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      client.serverSettings.get(5, TimeUnit.SECONDS);
      for (int i = 0; i < 4; i++) { // one valid ping, then strikes 1, 2 and 3
        client.ping(i);
      }
      RawHttp2Client.GoAway goAway = client.goAway.get(10, TimeUnit.SECONDS);
      assertThat(goAway.errorCode()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
      assertThat(goAway.debug()).isEqualTo("too_many_pings");
      client.closeFuture().await(10, TimeUnit.SECONDS);
      assertThat(client.isOpen()).isFalse();
    }
    assertGoodCallWorks();
  }

  @Test
  void twoStrikesAreForgivenWhenTheServerSendsData() throws Exception {
    start(b -> b);
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 3; i++) { // a valid ping and two strikes
          client.ping(i);
        }
        // Frames are handled in order: the pings are judged before this call's response resets
        // the strikes; without the reset the next round would be strikes 3 to 5.
        assertCallWorks(client);
      }
      assertThat(client.pingAcks.get()).isEqualTo(9);
      assertThat(client.goAway).isNotDone();
    }
  }

  @Test
  void permitTimeZeroWithoutCallsAcceptsAnyRate() throws Exception {
    start(b -> b.permitKeepAliveTime(Duration.ZERO).permitKeepAliveWithoutCalls(true));
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      for (int i = 0; i < 20; i++) {
        client.ping(i);
      }
      assertCallWorks(client);
      assertThat(client.pingAcks.get()).isEqualTo(20);
      assertThat(client.goAway).isNotDone();
    }
  }

  @Test
  void permitTimeAppliesWhileACallIsOpenButNotWithoutCalls() throws Exception {
    start(b -> b.permitKeepAliveTime(Duration.ZERO));
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      // A call is open (and the server has sent nothing on it): any rate is fine.
      int call = client.send(RawHttp2Client.grpcHeaders(BIDI), null, false);
      for (int i = 0; i < 10; i++) {
        client.ping(i);
      }
      client.sendData(call, frame("done"), true);
      assertThat(client.await(call).grpcStatus()).isEqualTo("0");
      assertThat(client.pingAcks.get()).isEqualTo(10);
      assertThat(client.goAway).isNotDone();
    }
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      // No call open and pings without calls not permitted: one per two hours.
      client.serverSettings.get(5, TimeUnit.SECONDS);
      for (int i = 0; i < 4; i++) {
        client.ping(i);
      }
      assertThat(client.goAway.get(10, TimeUnit.SECONDS).debug()).isEqualTo("too_many_pings");
    }
  }

  @Test
  void rapidResetGetsEnhanceYourCalm() throws Exception {
    start(b -> b.maxRstFramesPerWindow(5, Duration.ofMinutes(1)));
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      for (int i = 0; i < 6; i++) {
        int id = client.send(RawHttp2Client.grpcHeaders(BIDI), null, false);
        client.write((h, ctx) -> h.encoder().writeRstStream(ctx, id, Http2Error.CANCEL.code(),
            ctx.newPromise()));
      }
      RawHttp2Client.GoAway goAway = client.goAway.get(10, TimeUnit.SECONDS);
      assertThat(goAway.errorCode()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
      assertThat(goAway.debug()).contains("RST_STREAM");
    }
    assertGoodCallWorks();
  }

  @Test
  void resetsUnderTheLimitAreFine() throws Exception {
    start(b -> b.maxRstFramesPerWindow(5, Duration.ofMinutes(1)));
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      for (int i = 0; i < 5; i++) {
        int id = client.send(RawHttp2Client.grpcHeaders(BIDI), null, false);
        client.write((h, ctx) -> h.encoder().writeRstStream(ctx, id, Http2Error.CANCEL.code(),
            ctx.newPromise()));
      }
      assertCallWorks(client);
      assertThat(client.goAway).isNotDone();
    }
  }

  @Test
  void emptyDataFloodGetsEnhanceYourCalm() throws Exception {
    start(b -> b);
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      int id = client.send(RawHttp2Client.grpcHeaders(BIDI), null, false);
      // Past the flow controller, which would merge the empty writes into one frame.
      client.write((h, ctx) -> {
        for (int i = 0; i < 11; i++) {
          h.encoder().frameWriter().writeData(ctx, id, Unpooled.EMPTY_BUFFER, 0, false,
              ctx.newPromise());
        }
      });
      RawHttp2Client.GoAway goAway = client.goAway.get(10, TimeUnit.SECONDS);
      assertThat(goAway.errorCode()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
      assertThat(goAway.debug()).contains("empty DATA");
    }
    assertGoodCallWorks();
  }

  @Test
  void continuationFloodGetsEnhanceYourCalm() throws Exception {
    start(b -> b);
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      client.serverSettings.get(5, TimeUnit.SECONDS);
      client.write((h, ctx) -> {
        try {
          h.connection().local().createStream(3, false);
        } catch (io.netty.handler.codec.http2.Http2Exception e) {
          throw new IllegalStateException(e);
        }
        ByteBuf block = ctx.alloc().buffer();
        block.writeByte(0x83); // :method POST, indexed
        h.encoder().frameWriter().writeFrame(ctx, Http2FrameTypes.HEADERS, 3, new Http2Flags(),
            block, ctx.newPromise());
        for (int i = 0; i < 40; i++) {
          h.encoder().frameWriter().writeFrame(ctx, Http2FrameTypes.CONTINUATION, 3,
              new Http2Flags(), Unpooled.EMPTY_BUFFER, ctx.newPromise());
        }
      });
      RawHttp2Client.GoAway goAway = client.goAway.get(10, TimeUnit.SECONDS);
      assertThat(goAway.errorCode()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
    }
    assertGoodCallWorks();
  }

  @Test
  void settingsFloodFromAPeerThatDoesNotReadIsCut() throws Exception {
    start(b -> b.maxQueuedControlFrames(100));
    byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] emptySettings = {0, 0, 0, Http2FrameTypes.SETTINGS, 0, 0, 0, 0, 0};
    byte[] batch = new byte[emptySettings.length * 1000];
    for (int i = 0; i < 1000; i++) {
      System.arraycopy(emptySettings, 0, batch, i * emptySettings.length, emptySettings.length);
    }
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress("127.0.0.1", server.getPort()));
      OutputStream out = socket.getOutputStream();
      out.write(preface);
      out.write(emptySettings);
      // The server's ACKs pile up unread; once 100 wait, the server closes the connection, and
      // our writes fail. Without the limit this would go on to 200 MB.
      assertThatThrownBy(() -> {
        for (int i = 0; i < 20_000; i++) {
          out.write(batch);
        }
      }).isInstanceOf(IOException.class);
    }
    assertGoodCallWorks();
  }

  private void assertGoodCallWorks() throws Exception {
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      assertCallWorks(client);
    }
  }

  private static void assertCallWorks(RawHttp2Client client) throws Exception {
    RawHttp2Client.Result r =
        client.await(client.send(RawHttp2Client.grpcHeaders(UNARY), frame("ok"), true));
    assertThat(r.grpcStatus()).isEqualTo("0");
  }

  private static ByteBuf frame(String s) {
    byte[] payload = StringValue.of(s).toByteArray();
    return Unpooled.buffer().writeByte(0).writeInt(payload.length).writeBytes(payload);
  }
}
