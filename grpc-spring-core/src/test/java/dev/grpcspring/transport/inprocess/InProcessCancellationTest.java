package dev.grpcspring.transport.inprocess;

import static dev.grpcspring.transport.inprocess.InProcessHarness.req;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.CallOptions;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Code;
import dev.grpcspring.Context;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.codegen.test.EchoRequest;
import dev.grpcspring.codegen.test.EchoResponse;
import dev.grpcspring.codegen.test.EchoServiceGrpc;
import dev.grpcspring.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Cancellation both ways over in-process, and a server that ends a call the client still sends on. */
class InProcessCancellationTest {
  @Test
  void clientCancelReachesTheServerAsCancelled() throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      ClientCall<EchoRequest, EchoResponse> call =
          h.channel.newCall(EchoServiceGrpc.getEchoMethod(), CallOptions.DEFAULT);
      RecordingListener<EchoResponse> l = new RecordingListener<>();
      call.start(l, new Metadata());
      call.request(1);
      call.sendMessage(req("hang"));
      call.halfClose();
      assertThat(h.service.hanging.await(10, TimeUnit.SECONDS)).isTrue();

      call.cancel("the user gave up", null);

      Status status = l.awaitClose();
      assertThat(status.getCode()).isEqualTo(Code.CANCELLED);
      assertThat(status.getDescription()).isEqualTo("the user gave up");
      assertThat(h.service.events.poll(10, TimeUnit.SECONDS)).isEqualTo("deadline:false");
      assertThat(h.service.events.poll(10, TimeUnit.SECONDS)).isEqualTo("cancelled:" + Code.CANCELLED);
    }
  }

  @Test
  void cancelledClientContextCancelsTheServerCall() throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      Context.CancellableContext ctx = Context.current().withCancellation();
      AtomicReference<Throwable> error = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(1);
      ctx.run(() -> EchoServiceGrpc.newStub(h.channel).echo(req("hang"), new StreamObserver<>() {
        @Override
        public void onNext(EchoResponse value) {}

        @Override
        public void onError(Throwable t) {
          error.set(t);
          done.countDown();
        }

        @Override
        public void onCompleted() {
          done.countDown();
        }
      }));
      assertThat(h.service.hanging.await(10, TimeUnit.SECONDS)).isTrue();
      ctx.cancel(null);
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(Status.fromThrowable(error.get()).getCode()).isEqualTo(Code.CANCELLED);
      h.service.events.poll(10, TimeUnit.SECONDS); // deadline:false
      assertThat(h.service.events.poll(10, TimeUnit.SECONDS)).isEqualTo("cancelled:" + Code.CANCELLED);
    }
  }

  @Test
  void serverMayEndTheCallBeforeTheClientHalfCloses() throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      ClientCall<EchoRequest, EchoResponse> call =
          h.channel.newCall(EchoServiceGrpc.getChatMethod(), CallOptions.DEFAULT);
      RecordingListener<EchoResponse> l = new RecordingListener<>();
      call.start(l, new Metadata());
      call.request(Integer.MAX_VALUE);
      call.sendMessage(req("a"));
      call.sendMessage(req("bye"));

      assertThat(l.awaitClose().getCode()).isEqualTo(Code.OK);
      List<String> texts = new ArrayList<>();
      l.messages.forEach(m -> texts.add(m.getText()));
      assertThat(texts).containsExactly("a", "bye");
      // Sending after the server ended is harmless (the bytes are dropped, not leaked).
      call.sendMessage(req("late"));
      call.halfClose();
      assertThat(h.service.events.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void serverCancellationEndsTheClientCall() throws Exception {
    // A handler that fails the call with CANCELLED on its own.
    try (InProcessHarness h = new InProcessHarness()) {
      ClientCall<EchoRequest, EchoResponse> call =
          h.channel.newCall(EchoServiceGrpc.getEchoMethod(), CallOptions.DEFAULT);
      RecordingListener<EchoResponse> l = new RecordingListener<>();
      call.start(l, new Metadata());
      call.request(1);
      call.sendMessage(req("fail:CANCELLED:server gave up"));
      call.halfClose();
      Status status = l.awaitClose();
      assertThat(status.getCode()).isEqualTo(Code.CANCELLED);
      assertThat(status.getDescription()).isEqualTo("server gave up");
      assertThat(l.trailers.get(InProcessHarness.TRAILER_KEY)).isEqualTo("trailer-value");
    }
  }
}
