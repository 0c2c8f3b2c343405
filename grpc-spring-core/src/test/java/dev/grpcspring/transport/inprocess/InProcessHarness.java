package dev.grpcspring.transport.inprocess;

import dev.grpcspring.Code;
import dev.grpcspring.Context;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.codegen.test.EchoRequest;
import dev.grpcspring.codegen.test.EchoResponse;
import dev.grpcspring.codegen.test.EchoServiceGrpc;
import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerBuilder;
import dev.grpcspring.stub.ServerCallStreamObserver;
import dev.grpcspring.stub.StreamObserver;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Our server with {@link Service} on a fresh in-process name, and a channel to it: what every
 * in-process semantics test starts from.
 */
final class InProcessHarness implements AutoCloseable {
  static final Metadata.Key<String> TRAILER_KEY =
      Metadata.Key.of("x-trailer", Metadata.ASCII_STRING_MARSHALLER);

  final String name = "test-" + UUID.randomUUID();
  final Service service = new Service();
  final Server server;
  final ClientConn channel;

  InProcessHarness() throws Exception {
    this(b -> {}, b -> {});
  }

  InProcessHarness(Consumer<ServerBuilder> serverConfig, Consumer<DialOptions.Builder> clientConfig)
      throws Exception {
    ServerBuilder sb = Server.builder().inProcessName(name).registerService(service);
    serverConfig.accept(sb);
    server = sb.build().start();
    DialOptions.Builder db = DialOptions.newBuilder().insecure();
    clientConfig.accept(db);
    channel = ClientConn.dial("in-process:" + name, db.build());
  }

  EchoServiceGrpc.EchoServiceBlockingStub blocking() {
    return EchoServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  EchoServiceGrpc.EchoServiceStub async() {
    return EchoServiceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  static EchoRequest req(String text) {
    return EchoRequest.newBuilder().setText(text).build();
  }

  @Override
  public void close() {
    channel.close();
    server.shutdownNow();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new AssertionError("The in-process server did not terminate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while waiting for the server to terminate", e);
    }
  }

  /**
   * The echo service; the request text picks the behaviour:
   * {@code fail:<code>:<description>} fails with that status and an {@code x-trailer} trailer;
   * {@code size:<n>} answers with n characters; {@code hang} waits until the call is cancelled and
   * records how ({@code cancelled:<code>}); {@code wait} blocks until {@link #release} opens, then
   * answers {@code released}; anything else is echoed.
   */
  static final class Service extends EchoServiceGrpc.EchoServiceImplBase {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    /** Counted down when a {@code hang} or {@code wait} call has started. */
    final CountDownLatch hanging = new CountDownLatch(1);
    /** Lets {@code wait} calls answer. */
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void echo(EchoRequest request, StreamObserver<EchoResponse> out) {
      String text = request.getText();
      if (text.startsWith("fail:")) {
        String[] parts = text.split(":", 3);
        Metadata trailers = new Metadata();
        trailers.put(TRAILER_KEY, "trailer-value");
        out.onError(Status.fromCode(Code.valueOf(parts[1])).withDescription(parts[2])
            .withCause(new IllegalStateException("server-side cause"))
            .asException(trailers));
        return;
      }
      if (text.startsWith("size:")) {
        out.onNext(EchoResponse.newBuilder()
            .setText("x".repeat(Integer.parseInt(text.substring(5)))).build());
        out.onCompleted();
        return;
      }
      if (text.equals("hang")) {
        Context context = Context.current();
        events.add("deadline:" + (context.getDeadline() != null));
        ((ServerCallStreamObserver<EchoResponse>) out).setOnCancelHandler(() -> { });
        context.addListener(c -> events.add("cancelled:" + Status.fromThrowable(
            c.cancellationCause()).getCode()), Runnable::run);
        hanging.countDown();
        return;
      }
      if (text.equals("wait")) {
        hanging.countDown();
        try {
          if (!release.await(30, TimeUnit.SECONDS)) {
            out.onError(Status.INTERNAL.withDescription("never released").asException());
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        out.onNext(EchoResponse.newBuilder().setText("released").build());
        out.onCompleted();
        return;
      }
      out.onNext(EchoResponse.newBuilder().setText(text).build());
      out.onCompleted();
    }

    @Override
    public void expand(EchoRequest request, StreamObserver<EchoResponse> out) {
      for (int i = 0; i < request.getRepeat(); i++) {
        out.onNext(EchoResponse.newBuilder().setText(request.getText()).setIndex(i).build());
      }
      out.onCompleted();
    }

    @Override
    public StreamObserver<EchoRequest> collect(StreamObserver<EchoResponse> out) {
      StringBuilder sb = new StringBuilder();
      return new StreamObserver<>() {
        @Override
        public void onNext(EchoRequest value) {
          sb.append(value.getText());
        }

        @Override
        public void onError(Throwable t) {
          events.add("collect-error:" + Status.fromThrowable(t).getCode());
        }

        @Override
        public void onCompleted() {
          out.onNext(EchoResponse.newBuilder().setText(sb.toString()).build());
          out.onCompleted();
        }
      };
    }

    @Override
    public StreamObserver<EchoRequest> chat(StreamObserver<EchoResponse> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(EchoRequest value) {
          if (value.getText().equals("bye")) {
            // Ends the call while the client is still sending.
            out.onNext(EchoResponse.newBuilder().setText("bye").build());
            out.onCompleted();
            return;
          }
          out.onNext(EchoResponse.newBuilder().setText(value.getText()).build());
        }

        @Override
        public void onError(Throwable t) {
          events.add("chat-error:" + Status.fromThrowable(t).getCode());
        }

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }
}
