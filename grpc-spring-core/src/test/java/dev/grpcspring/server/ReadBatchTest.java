package dev.grpcspring.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.grpcspring.Context;
import dev.grpcspring.ServiceDescriptor;
import dev.grpcspring.stub.ServerCallStreamObserver;
import dev.grpcspring.stub.ServerCalls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a unary call costs the handler executor. Its request (HEADERS, then DATA with END_STREAM,
 * in one read) is one task for start, message and half-close together ({@link ReadBatch}), and a
 * call that ended well is completed on the event loop when its listener has nothing to run then
 * ({@code InlineCompletion}); with an on-close handler installed, the completion is a second task
 * and the handler runs on the executor.
 */
@Timeout(30)
class ReadBatchTest {
  private static final String UNARY = "/test.Echo/Unary";
  private static final int CALLS = 20;

  /** Records each task and runs it at once, so each event after a drain ended is a new task. */
  private final List<Object> tasks = Collections.synchronizedList(new ArrayList<>());
  /** Whether the current thread is running one of {@link #counting}'s tasks. */
  private final ThreadLocal<Boolean> inTask = ThreadLocal.withInitial(() -> false);
  private final Executor counting = task -> {
    tasks.add(task);
    inTask.set(true);
    try {
      task.run();
    } finally {
      inTask.set(false);
    }
  };

  @Test
  void aUnaryCallIsOneTask() throws Exception {
    try (Server s = Server.builder().address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(new EchoService().definition())
        .executor(counting)
        .build().start()) {
      callUnary(s, CALLS);
    }
    // Handed over one by one, a unary call's four events (start, message, half-close, closed)
    // were four tasks here.
    assertThat(tasksPerCall()).hasSize(CALLS).containsOnly(1);
  }

  @Test
  void anOnCloseHandlerRunsOnTheExecutorAsASecondTask() throws Exception {
    BlockingQueue<Boolean> closedInTask = new LinkedBlockingQueue<>();
    BlockingQueue<Boolean> contextCancelled = new LinkedBlockingQueue<>();
    ServerServiceDefinition service = ServerServiceDefinition.builder(
            ServiceDescriptor.newBuilder(EchoService.NAME).addMethod(EchoService.UNARY).build())
        .addMethod(EchoService.UNARY, ServerCalls.<StringValue, StringValue>asyncUnaryCall(
            (request, out) -> {
              Context context = Context.current();
              ((ServerCallStreamObserver<StringValue>) out).setOnCloseHandler(() -> {
                closedInTask.add(inTask.get());
                contextCancelled.add(context.isCancelled());
              });
              out.onNext(request);
              out.onCompleted();
            }))
        .build();
    try (Server s = Server.builder().address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(service)
        .executor(counting)
        .build().start()) {
      callUnary(s, CALLS);
      for (int i = 0; i < CALLS; i++) {
        assertThat(closedInTask.poll(5, TimeUnit.SECONDS)).isTrue();
        // onComplete runs inside the call's context, cancelled only once it has returned.
        assertThat(contextCancelled.poll(5, TimeUnit.SECONDS)).isFalse();
      }
    }
    assertThat(tasksPerCall()).hasSize(CALLS).containsOnly(2);
  }

  private static void callUnary(Server s, int calls) throws Exception {
    try (RawHttp2Client client = new RawHttp2Client(s.getPort())) {
      for (int i = 0; i < calls; i++) {
        RawHttp2Client.Result r = client.await(
            client.send(RawHttp2Client.grpcHeaders(UNARY), frame(message("m" + i)), true));
        assertThat(r.grpcStatus()).isEqualTo("0");
      }
    }
  }

  private List<Integer> tasksPerCall() {
    Map<Object, Integer> perCall = new IdentityHashMap<>();
    synchronized (tasks) {
      for (Object t : tasks) {
        perCall.merge(t, 1, Integer::sum);
      }
    }
    return new ArrayList<>(perCall.values());
  }

  private static byte[] message(String s) {
    return StringValue.of(s).toByteArray();
  }

  private static ByteBuf frame(byte[] payload) {
    return Unpooled.buffer().writeByte(0).writeInt(payload.length).writeBytes(payload);
  }
}
