package dev.grpcspring.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A connection that drops cancels its calls: handlers see onCancel and a cancelled Context. */
@Timeout(30)
class ServerConnectionLossTest {
  @Test
  void droppedConnectionCancelsTheHandler() throws Exception {
    EchoService service = new EchoService();
    try (Server server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(service.definition()).build().start()) {
      RawHttp2Client client = new RawHttp2Client(server.getPort());
      byte[] payload = StringValue.of("wait").toByteArray();
      ByteBuf framed = Unpooled.buffer().writeByte(0).writeInt(payload.length).writeBytes(payload);
      client.send(RawHttp2Client.grpcHeaders("/test.Echo/Unary"), framed, true);
      assertThat(service.events.poll(5, TimeUnit.SECONDS)).isEqualTo("deadline:false");
      client.close();
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        seen.add(service.events.poll(5, TimeUnit.SECONDS));
      }
      assertThat(seen).containsExactlyInAnyOrder("onCancel", "context-cancelled:StatusException");
    }
  }
}
