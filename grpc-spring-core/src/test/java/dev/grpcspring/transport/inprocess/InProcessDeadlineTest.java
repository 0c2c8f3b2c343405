package dev.grpcspring.transport.inprocess;

import static dev.grpcspring.transport.inprocess.InProcessHarness.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.Context;
import dev.grpcspring.StatusException;
import dev.grpcspring.codegen.test.EchoRequest;
import dev.grpcspring.codegen.test.EchoResponse;
import dev.grpcspring.codegen.test.EchoServiceGrpc;
import dev.grpcspring.server.Server;
import dev.grpcspring.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Deadlines over in-process: propagated as grpc-timeout is, and DEADLINE_EXCEEDED on both sides. */
class InProcessDeadlineTest {
  @Test
  void clientDeadlineReachesTheServersContext() throws Exception {
    BlockingQueue<Long> remaining = new LinkedBlockingQueue<>();
    String name = "deadline-" + java.util.UUID.randomUUID();
    Server server = Server.builder().inProcessName(name)
        .registerService(new EchoServiceGrpc.EchoServiceImplBase() {
          @Override
          public void echo(EchoRequest request, StreamObserver<EchoResponse> out) {
            dev.grpcspring.Deadline d = Context.current().getDeadline();
            remaining.add(d == null ? -1 : d.timeRemaining(TimeUnit.MILLISECONDS));
            out.onNext(EchoResponse.getDefaultInstance());
            out.onCompleted();
          }
        }).build().start();
    dev.grpcspring.client.ClientConn cc = dev.grpcspring.client.ClientConn.dial("in-process:" + name,
        dev.grpcspring.client.DialOptions.newBuilder().insecure().build());
    try {
      EchoServiceGrpc.newBlockingStub(cc).withDeadlineAfter(20, TimeUnit.SECONDS).echo(req("x"));
      assertThat(remaining.poll(10, TimeUnit.SECONDS)).isBetween(1L, 20_000L);
      EchoServiceGrpc.newBlockingStub(cc).echo(req("x"));
      assertThat(remaining.poll(10, TimeUnit.SECONDS)).isEqualTo(-1L);
    } finally {
      cc.close();
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void expiredDeadlineFailsTheClientAndCancelsTheServerCall() throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      assertThatThrownBy(() -> EchoServiceGrpc.newBlockingStub(h.channel)
          .withDeadlineAfter(300, TimeUnit.MILLISECONDS).echo(req("hang")))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED));
      assertThat(h.service.events.poll(10, TimeUnit.SECONDS)).isEqualTo("deadline:true");
      // The server's own timer (DEADLINE_EXCEEDED) or the client's reset (CANCELLED) ends it.
      assertThat(h.service.events.poll(10, TimeUnit.SECONDS))
          .isIn("cancelled:" + Code.DEADLINE_EXCEEDED, "cancelled:" + Code.CANCELLED);
    }
  }

  @Test
  void serverEnforcesTheDeadlineOnItsOwn() throws Exception {
    // Straight on the transport, with no client call (and so no client timer): only the server's
    // timer, started from the propagated timeout, can end the call.
    try (InProcessHarness h = new InProcessHarness();
        TransportFixture t = new TransportFixture(h.name)) {
      RecordingStreamListener l = t.call(EchoServiceGrpc.getEchoMethod(), req("hang"),
          dev.grpcspring.Deadline.after(300, TimeUnit.MILLISECONDS));
      assertThat(h.service.events.poll(10, TimeUnit.SECONDS)).isEqualTo("deadline:true");
      assertThat(h.service.events.poll(10, TimeUnit.SECONDS))
          .isEqualTo("cancelled:" + Code.DEADLINE_EXCEEDED);
      // The client hears the reset, as from RST_STREAM(CANCEL).
      assertThat(l.awaitClose().getCode()).isEqualTo(Code.CANCELLED);
    }
  }
}
