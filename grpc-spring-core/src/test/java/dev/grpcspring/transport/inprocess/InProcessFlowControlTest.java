package dev.grpcspring.transport.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.CallOptions;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.codegen.test.EchoRequest;
import dev.grpcspring.codegen.test.EchoResponse;
import dev.grpcspring.codegen.test.EchoServiceGrpc;
import dev.grpcspring.server.Server;
import dev.grpcspring.stub.ServerCallStreamObserver;
import dev.grpcspring.stub.StreamObserver;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Flow control over in-process: a slow reader turns a fast writer's isReady false once a window's
 * worth is unconsumed, and the writer's onReady fires when the reader catches up; both directions.
 */
class InProcessFlowControlTest {
  static final int CHUNK = 16 * 1024;
  static final String PAYLOAD = "p".repeat(CHUNK);

  @Test
  void slowServerReaderBlocksAFastClientWriter() throws Exception {
    String name = "flow-" + UUID.randomUUID();
    AtomicReference<ServerCallStreamObserver<EchoResponse>> serverCall = new AtomicReference<>();
    AtomicInteger received = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    int window = 128 * 1024;
    Server server = Server.builder().inProcessName(name).initialFlowControlWindow(window)
        .registerService(new EchoServiceGrpc.EchoServiceImplBase() {
          @Override
          public StreamObserver<EchoRequest> collect(StreamObserver<EchoResponse> out) {
            ServerCallStreamObserver<EchoResponse> o = (ServerCallStreamObserver<EchoResponse>) out;
            o.disableAutoInboundFlowControl(); // reads nothing until the test asks
            serverCall.set(o);
            started.countDown();
            return new StreamObserver<>() {
              @Override
              public void onNext(EchoRequest value) {
                received.incrementAndGet();
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                out.onNext(EchoResponse.newBuilder().setIndex(received.get()).build());
                out.onCompleted();
              }
            };
          }
        }).build().start();
    ClientConn cc = ClientConn.dial("in-process:" + name, DialOptions.newBuilder().insecure().build());
    try {
      ClientCall<EchoRequest, EchoResponse> call =
          cc.newCall(EchoServiceGrpc.getCollectMethod(), CallOptions.DEFAULT);
      RecordingListener<EchoResponse> l = new RecordingListener<>();
      call.start(l, new Metadata());
      call.request(1);
      assertThat(l.ready.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      EchoRequest msg = EchoRequest.newBuilder().setText(PAYLOAD).build();
      int sent = 0;
      while (call.isReady()) {
        call.sendMessage(msg);
        sent++;
        assertThat(sent).as("isReady never turned false").isLessThan(1000);
      }
      int framed = msg.getSerializedSize() + 5;
      long sentBytes = (long) sent * framed;
      // The window plus HTTP/2's 32 KiB allowance, as on the wire: isReady turns false with the
      // message that crosses it.
      assertThat(sentBytes).isGreaterThanOrEqualTo(window + 32 * 1024);
      assertThat(sentBytes).isLessThan(window + 32 * 1024 + framed);
      assertThat(received.get()).isZero();
      l.ready.drainPermits();

      serverCall.get().request(Integer.MAX_VALUE); // the reader catches up

      assertThat(l.ready.tryAcquire(10, TimeUnit.SECONDS)).as("onReady after the reader caught up").isTrue();
      assertThat(call.isReady()).isTrue();
      call.halfClose();
      assertThat(l.awaitClose().getCode()).isEqualTo(Code.OK);
      assertThat(l.messages.poll().getIndex()).isEqualTo(sent);
    } finally {
      cc.close();
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void slowClientReaderBlocksAFastServerWriter() throws Exception {
    String name = "flow-" + UUID.randomUUID();
    AtomicInteger sentBeforeBlocked = new AtomicInteger();
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch resumed = new CountDownLatch(1);
    int total = 64;
    Server server = Server.builder().inProcessName(name)
        .registerService(new EchoServiceGrpc.EchoServiceImplBase() {
          @Override
          public void expand(EchoRequest request, StreamObserver<EchoResponse> out) {
            ServerCallStreamObserver<EchoResponse> o = (ServerCallStreamObserver<EchoResponse>) out;
            AtomicInteger next = new AtomicInteger();
            o.setOnReadyHandler(() -> {
              if (next.get() > 0 && blocked.getCount() == 0) {
                resumed.countDown();
              }
              while (o.isReady() && next.get() < total) {
                o.onNext(EchoResponse.newBuilder().setText(PAYLOAD).setIndex(next.getAndIncrement())
                    .build());
              }
              if (next.get() == total) {
                next.incrementAndGet();
                o.onCompleted();
              } else if (next.get() < total && blocked.getCount() > 0) {
                sentBeforeBlocked.set(next.get());
                blocked.countDown();
              }
            });
          }
        }).build().start();
    int window = 64 * 1024;
    ClientConn cc = ClientConn.dial("in-process:" + name,
        DialOptions.newBuilder().insecure().initialWindowSize(window).build());
    try {
      ClientCall<EchoRequest, EchoResponse> call =
          cc.newCall(EchoServiceGrpc.getExpandMethod(), CallOptions.DEFAULT);
      RecordingListener<EchoResponse> l = new RecordingListener<>();
      call.start(l, new Metadata());
      call.sendMessage(EchoRequest.getDefaultInstance());
      call.halfClose();
      // The client reads nothing yet.
      assertThat(blocked.await(10, TimeUnit.SECONDS)).as("server writer blocked").isTrue();
      // Each response is the payload plus a one- or two-byte index field, framed.
      int framed = EchoResponse.newBuilder().setText(PAYLOAD).build().getSerializedSize() + 5;
      long low = (long) sentBeforeBlocked.get() * framed;
      long high = (long) sentBeforeBlocked.get() * (framed + 3);
      assertThat(high).isGreaterThanOrEqualTo(window + 32 * 1024);
      assertThat(low).isLessThan(window + 32 * 1024 + framed);

      call.request(Integer.MAX_VALUE);

      assertThat(resumed.await(10, TimeUnit.SECONDS)).as("server onReady after the client read").isTrue();
      assertThat(l.awaitClose().getCode()).isEqualTo(Code.OK);
      assertThat(l.messages).hasSize(total);
    } finally {
      cc.close();
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aMessageLargerThanTheWindowStillArrives() throws Exception {
    try (InProcessHarness h = new InProcessHarness(b -> b.initialFlowControlWindow(64 * 1024),
        b -> b.initialWindowSize(64 * 1024))) {
      EchoResponse r = h.blocking().echo(EchoRequest.newBuilder()
          .setText("size:" + (1024 * 1024)).build());
      assertThat(r.getText()).hasSize(1024 * 1024);
      EchoResponse collected = h.blocking().echo(EchoRequest.newBuilder()
          .setText("q".repeat(512 * 1024)).build());
      assertThat(collected.getText()).hasSize(512 * 1024);
    }
  }

}
