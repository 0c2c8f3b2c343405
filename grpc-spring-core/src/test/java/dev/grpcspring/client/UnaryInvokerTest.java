package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.ServiceDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.StatusRuntimeException;
import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerServiceDefinition;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ClientConn#invoke}, grpc-go's blocking unary call, against our own server over TCP. */
class UnaryInvokerTest {
  static final MethodDescriptor<StringValue, StringValue> RAW = JavaPeer.ours("Raw", MethodType.UNARY);
  /**
   * The same method as the server registers it: server-streaming, so that the server does not
   * enforce one response itself and the client's own check is what the test sees.
   */
  static final MethodDescriptor<StringValue, StringValue> RAW_ON_SERVER =
      JavaPeer.ours("Raw", MethodType.SERVER_STREAMING);

  private final CountDownLatch hanging = new CountDownLatch(1);
  private final CountDownLatch cancelled = new CountDownLatch(1);

  /** Answers by the request: "one", "none" (0 responses), "two", "fail", "hang" (until cancelled). */
  private final ServerCallHandler<StringValue, StringValue> raw = (call, headers) -> {
    call.request(1);
    return new ServerCall.Listener<>() {
      private String request;

      @Override
      public void onMessage(StringValue message) {
        request = message.getValue();
      }

      @Override
      public void onHalfClose() {
        call.sendHeaders(new Metadata());
        switch (request) {
          case "one" -> {
            call.sendMessage(sv("1"));
            call.close(Status.OK, new Metadata());
          }
          case "two" -> {
            call.sendMessage(sv("1"));
            call.sendMessage(sv("2"));
            call.close(Status.OK, new Metadata());
          }
          case "fail" -> call.close(Status.INVALID_ARGUMENT.withDescription("bad"), new Metadata());
          case "hang" -> hanging.countDown();
          default -> call.close(Status.OK, new Metadata());
        }
      }

      @Override
      public void onCancel() {
        cancelled.countDown();
      }
    };
  };

  private Server start() throws Exception {
    ServiceDescriptor desc = ServiceDescriptor.newBuilder(JavaPeer.SERVICE).addMethod(RAW_ON_SERVER).build();
    return Server.builder().port(0)
        .registerService(ServerServiceDefinition.builder(desc).addMethod(RAW_ON_SERVER, raw).build())
        .build().start();
  }

  @Test
  void returnsTheResponseAndMapsEveryOtherOutcomeToAStatus() throws Exception {
    Server server = start();
    try (ClientConn cc = ClientConn.dial("127.0.0.1:" + server.getPort(),
        ClientConnTest.fast().build())) {
      assertThat(cc.invoke(RAW, sv("one"), CallOptions.DEFAULT).getValue()).isEqualTo("1");
      assertThat(status(cc, "fail").getCode()).isEqualTo(Code.INVALID_ARGUMENT);
      assertThat(status(cc, "fail").getDescription()).isEqualTo("bad");
      Status none = status(cc, "none");
      assertThat(none.getCode()).isEqualTo(Code.UNIMPLEMENTED);
      assertThat(none.getDescription()).contains("no response");
      Status two = status(cc, "two");
      assertThat(two.getCode()).isEqualTo(Code.UNIMPLEMENTED);
      assertThat(two.getDescription()).contains("more than one response");
      // The connection still serves calls after each of those.
      assertThat(cc.invoke(RAW, sv("one"), CallOptions.DEFAULT).getValue()).isEqualTo("1");
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void interruptingTheCallerCancelsTheCallAndKeepsTheFlag() throws Exception {
    Server server = start();
    try (ClientConn cc = ClientConn.dial("127.0.0.1:" + server.getPort(),
        ClientConnTest.fast().build())) {
      CompletableFuture<Object> outcome = new CompletableFuture<>();
      Thread caller = new Thread(() -> {
        try {
          cc.invoke(RAW, sv("hang"), CallOptions.DEFAULT);
          outcome.complete("returned");
        } catch (StatusRuntimeException e) {
          outcome.complete(e.getStatus().getCode() + " interrupted="
              + Thread.currentThread().isInterrupted());
        }
      });
      caller.start();
      assertThat(hanging.await(10, TimeUnit.SECONDS)).as("server has the request").isTrue();
      caller.interrupt();
      assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("CANCELLED interrupted=true");
      assertThat(cancelled.await(10, TimeUnit.SECONDS)).as("server saw the cancellation").isTrue();
    } finally {
      server.shutdownNow();
    }
  }

  private static Status status(ClientConn cc, String request) {
    return catchThrowableOfType(StatusRuntimeException.class,
        () -> cc.invoke(RAW, sv(request), CallOptions.DEFAULT)).getStatus();
  }
}
