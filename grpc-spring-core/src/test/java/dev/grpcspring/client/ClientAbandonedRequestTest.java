package dev.grpcspring.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.ServiceDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerServiceDefinition;
import dev.grpcspring.stub.ClientCalls;
import dev.grpcspring.stub.ServerCalls;
import dev.grpcspring.testing.LeakRecorder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A unary call's request is queued without a flush, to go out with the half-close. When the call
 * ends first (here: the server answers before the request was sent), the half-close never goes out,
 * and the queued request (a composite of pooled pieces above 1 MiB) must still be released.
 */
@Timeout(60)
class ClientAbandonedRequestTest {
  private static final StringValue BIG = StringValue.of("x".repeat(2 * 1024 * 1024));
  private static final MethodDescriptor<StringValue, StringValue> ECHO =
      JavaPeer.ours("Unary", MethodType.UNARY);
  private static final MethodDescriptor<StringValue, StringValue> HELD =
      JavaPeer.ours("Held", MethodType.UNARY);
  private static final MethodDescriptor<StringValue, StringValue> OPEN =
      JavaPeer.ours("Bidi", MethodType.BIDI_STREAMING);

  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch requestQueued = new CountDownLatch(1);

  @Test
  void unaryRequestQueuedForItsHalfCloseIsReleasedWhenTheCallEndsFirst() throws Exception {
    try (Server server = Server.builder().port(0).registerService(definition()).build().start();
        ClientConn cc = ClientConn.dial("127.0.0.1:" + server.getPort(),
            DialOptions.newBuilder().insecure().build())) {
      // The connection is up: the streams below start in the order their calls do.
      assertThat(ClientCalls.blockingUnaryCall(cc, ECHO, CallOptions.DEFAULT, StringValue.of("up"))
          .getValue()).isEqualTo("up");

      ClientCall<StringValue, StringValue> call = cc.newCall(HELD, CallOptions.DEFAULT);
      CompletableFuture<Status> closed = new CompletableFuture<>();
      call.start(new ClientCall.Listener<>() {
        @Override
        public void onClose(Status status, Metadata trailers) {
          closed.complete(status);
        }
      }, new Metadata());
      // The unary stream's start waits unflushed too; a streaming call's start flushes it.
      ClientCall<StringValue, StringValue> other = cc.newCall(OPEN, CallOptions.DEFAULT);
      other.start(new ClientCall.Listener<>() {}, new Metadata());
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

      call.sendMessage(BIG);
      requestQueued.countDown();
      assertThat(closed.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Code.ABORTED);
      // A no-op on an ended call: nothing of it flushes the queued request. (Nor does anything
      // else: the open call is not cancelled, which would drain the queue; closing the
      // connection ends it.)
      call.halfClose();
    }
    for (int i = 0; i < 10; i++) {
      // Reported only once collected, which may wait for the event loops to let go.
      assertThat(LeakRecorder.collect()).isEmpty();
      Thread.sleep(100);
    }
  }

  private ServerServiceDefinition definition() {
    ServerCallHandler<StringValue, StringValue> held = (call, headers) -> {
      started.countDown();
      Thread closer = new Thread(() -> {
        try {
          if (requestQueued.await(30, TimeUnit.SECONDS)) {
            call.close(Status.ABORTED.withDescription("Ends before the request"), new Metadata());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      closer.setDaemon(true);
      closer.start();
      return new ServerCall.Listener<>() {};
    };
    ServerCallHandler<StringValue, StringValue> open =
        (call, headers) -> new ServerCall.Listener<>() {};
    ServiceDescriptor desc = ServiceDescriptor.newBuilder(JavaPeer.SERVICE)
        .addMethod(ECHO).addMethod(HELD).addMethod(OPEN).build();
    return ServerServiceDefinition.builder(desc)
        .addMethod(ECHO, ServerCalls.asyncUnaryCall((req, out) -> {
          out.onNext(req);
          out.onCompleted();
        }))
        .addMethod(HELD, held)
        .addMethod(OPEN, open)
        .build();
  }
}
