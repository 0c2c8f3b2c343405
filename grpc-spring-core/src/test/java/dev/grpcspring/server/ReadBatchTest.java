package dev.grpcspring.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A unary request (HEADERS, then DATA with END_STREAM, in one read) costs its call one executor
 * task for start, message and half-close together, and one more when the stream closes after its
 * trailers: not one task per event.
 */
@Timeout(30)
class ReadBatchTest {
  private static final String UNARY = "/test.Echo/Unary";

  @Test
  void aUnaryCallIsOneTaskForItsRequestAndOneForItsClose() throws Exception {
    // Runs each task at once, so every event that arrives after a drain ended needs a new task:
    // handed over one by one, a unary call's four events would be four tasks.
    List<Object> tasks = Collections.synchronizedList(new ArrayList<>());
    Executor counting = task -> {
      tasks.add(task);
      task.run();
    };
    int calls = 20;
    try (Server s = Server.builder().address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(new EchoService().definition())
        .executor(counting)
        .build().start();
        RawHttp2Client client = new RawHttp2Client(s.getPort())) {
      for (int i = 0; i < calls; i++) {
        RawHttp2Client.Result r = client.await(
            client.send(RawHttp2Client.grpcHeaders(UNARY), frame(message("m" + i)), true));
        assertThat(r.grpcStatus()).isEqualTo("0");
      }
    }
    Map<Object, Integer> perCall = new IdentityHashMap<>();
    synchronized (tasks) {
      for (Object t : tasks) {
        perCall.merge(t, 1, Integer::sum);
      }
    }
    assertThat(perCall).hasSize(calls);
    assertThat(perCall.values()).containsOnly(2);
  }

  private static byte[] message(String s) {
    return StringValue.of(s).toByteArray();
  }

  private static ByteBuf frame(byte[] payload) {
    return Unpooled.buffer().writeByte(0).writeInt(payload.length).writeBytes(payload);
  }
}
