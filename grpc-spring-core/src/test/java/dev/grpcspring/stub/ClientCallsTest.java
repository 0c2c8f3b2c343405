package dev.grpcspring.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.Status;
import dev.grpcspring.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientCallsTest {
  private static final Metadata.Key<String> TRAILER =
      Metadata.Key.of("x-trailer", Metadata.ASCII_STRING_MARSHALLER);

  private final ExecutorService transportThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void tearDown() throws InterruptedException {
    transportThread.shutdownNow();
    assertThat(transportThread.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * A call whose "server" is a script run on another thread once the client half-closes; callbacks
   * go through the executor from the call options, as a real channel does.
   */
  private final class ScriptedCall extends ClientCall<String, String> {
    final CallOptions options;
    final BiConsumer<List<String>, Listener<String>> script;
    final List<String> sent = new ArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Thread> callbackThreads = new CopyOnWriteArrayList<>();
    Listener<String> listener;

    ScriptedCall(CallOptions options, BiConsumer<List<String>, Listener<String>> script) {
      this.options = options;
      this.script = script;
    }

    @Override
    public void start(Listener<String> listener, Metadata headers) {
      this.listener = listener;
    }

    @Override
    public void request(int numMessages) {
      events.add("request " + numMessages);
    }

    @Override
    public void cancel(String message, Throwable cause) {
      events.add("cancel " + message);
      deliver(l -> l.onClose(Status.CANCELLED.withDescription(message), new Metadata()));
    }

    @Override
    public void halfClose() {
      events.add("halfClose");
      List<String> requests = List.copyOf(sent);
      transportThread.execute(() -> script.accept(requests, new ForwardingToExecutor()));
    }

    @Override
    public void sendMessage(String message) {
      sent.add(message);
    }

    void deliver(java.util.function.Consumer<Listener<String>> callback) {
      options.getExecutor().execute(() -> {
        callbackThreads.add(Thread.currentThread());
        callback.accept(listener);
      });
    }

    private final class ForwardingToExecutor extends Listener<String> {
      @Override
      public void onMessage(String message) {
        deliver(l -> l.onMessage(message));
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        deliver(l -> l.onClose(status, trailers));
      }
    }
  }

  private final class ScriptedChannel implements Channel {
    final BiConsumer<List<String>, ClientCall.Listener<String>> script;
    ScriptedCall last;

    ScriptedChannel(BiConsumer<List<String>, ClientCall.Listener<String>> script) {
      this.script = script;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
      last = new ScriptedCall(callOptions, script);
      return (ClientCall<ReqT, RespT>) last;
    }

    @Override
    public String authority() {
      return "test";
    }
  }

  private static final MethodDescriptor<String, String> UNARY = FakeMethods.method(MethodType.UNARY);
  private static final MethodDescriptor<String, String> SERVER_STREAMING =
      FakeMethods.method(MethodType.SERVER_STREAMING);

  @Test
  void blockingUnaryReturnsResponseAndRunsCallbacksOnCaller() {
    ScriptedChannel channel = new ScriptedChannel((reqs, l) -> {
      l.onMessage("hello " + reqs.get(0));
      l.onClose(Status.OK, new Metadata());
    });

    String response = ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "bob");

    assertThat(response).isEqualTo("hello bob");
    assertThat(channel.last.callbackThreads).containsOnly(Thread.currentThread());
    assertThat(channel.last.events).containsExactly("request 2", "halfClose");
  }

  @Test
  void blockingUnaryThrowsStatusWithTrailers() {
    ScriptedChannel channel = new ScriptedChannel((reqs, l) -> {
      Metadata trailers = new Metadata();
      trailers.put(TRAILER, "why");
      l.onClose(Status.NOT_FOUND.withDescription("no such thing"), trailers);
    });

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "x"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).isEqualTo("no such thing");
          assertThat(e.getTrailers().get(TRAILER)).isEqualTo("why");
        });
  }

  @Test
  void unaryWithTwoResponsesIsACardinalityViolation() {
    ScriptedChannel channel = new ScriptedChannel((reqs, l) -> {
      l.onMessage("one");
      l.onMessage("two");
    });

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "x"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Code.UNIMPLEMENTED));
    assertThat(channel.last.events).anySatisfy(ev -> assertThat(ev).startsWith("cancel"));
  }

  @Test
  void unaryWithNoResponseIsACardinalityViolation() {
    ScriptedChannel channel = new ScriptedChannel((reqs, l) -> l.onClose(Status.OK, new Metadata()));

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "x"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Code.UNIMPLEMENTED);
          assertThat(e.getStatus().getDescription()).contains("no response");
        });
  }

  @Test
  void interruptCancelsTheBlockingCall() throws Exception {
    ScriptedChannel channel = new ScriptedChannel((reqs, l) -> {});
    Thread caller = Thread.currentThread();
    transportThread.execute(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      caller.interrupt();
    });

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "x"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Code.CANCELLED));
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void blockingServerStreamingIteratesThenThrowsOnError() {
    ScriptedChannel channel = new ScriptedChannel((reqs, l) -> {
      l.onMessage("a");
      l.onMessage("b");
      l.onClose(Status.ABORTED.withDescription("stop"), new Metadata());
    });

    Iterator<String> it =
        ClientCalls.blockingServerStreamingCall(channel, SERVER_STREAMING, CallOptions.DEFAULT, "q");

    assertThat(it.next()).isEqualTo("a");
    assertThat(it.next()).isEqualTo("b");
    assertThatThrownBy(it::hasNext)
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Code.ABORTED));
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void cancellingTheFutureCancelsTheCall() {
    ScriptedChannel channel = new ScriptedChannel((reqs, l) -> {});
    ScriptedCall call =
        (ScriptedCall) (ClientCall<?, ?>) channel.newCall(UNARY, CallOptions.DEFAULT.withExecutor(Runnable::run));

    CompletableFuture<String> future = ClientCalls.futureUnaryCall(call, "x");
    assertThat(future.cancel(true)).isTrue();

    assertThat(call.events).anySatisfy(ev -> assertThat(ev).startsWith("cancel"));
  }

  @Test
  void asyncBidiDeliversToObserverAndSendsRequests() throws Exception {
    ScriptedChannel channel = new ScriptedChannel((reqs, l) -> {
      for (String r : reqs) {
        l.onMessage(r.toUpperCase());
      }
      l.onClose(Status.OK, new Metadata());
    });
    ClientCall<String, String> call =
        channel.newCall(FakeMethods.method(MethodType.BIDI_STREAMING),
            CallOptions.DEFAULT.withExecutor(Runnable::run));
    List<String> got = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);

    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<>() {
      @Override
      public void onNext(String value) {
        got.add(value);
      }

      @Override
      public void onError(Throwable t) {
        got.add("error " + t);
        done.countDown();
      }

      @Override
      public void onCompleted() {
        got.add("completed");
        done.countDown();
      }
    });
    requests.onNext("x");
    requests.onNext("y");
    requests.onCompleted();

    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(got).containsExactly("X", "Y", "completed");
    // One initial request, then one per delivered message.
    assertThat(channel.last.events).containsExactly("request 1", "halfClose", "request 1", "request 1");
  }

  @Test
  void futureAndObserverFailuresAreStatusRuntimeExceptionsAsInGrpcJava() throws Exception {
    ScriptedChannel channel = new ScriptedChannel(
        (reqs, l) -> l.onClose(Status.FAILED_PRECONDITION.withDescription("closed shop"), new Metadata()));

    CompletableFuture<String> future = ClientCalls.futureUnaryCall(
        channel.newCall(UNARY, CallOptions.DEFAULT.withExecutor(Runnable::run)), "x");
    assertThat(future).failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getDescription()).isEqualTo("closed shop"));

    CompletableFuture<Throwable> observed = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(channel.newCall(UNARY, CallOptions.DEFAULT.withExecutor(Runnable::run)),
        "x", new StreamObserver<String>() {
          @Override
          public void onNext(String value) {}

          @Override
          public void onError(Throwable t) {
            observed.complete(t);
          }

          @Override
          public void onCompleted() {
            observed.complete(null);
          }
        });
    assertThat(observed.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.FAILED_PRECONDITION));
  }

  @Test
  void beforeStartCanDisableAutoFlowControl() {
    ScriptedChannel channel = new ScriptedChannel((reqs, l) -> {});
    ClientCall<String, String> call =
        channel.newCall(FakeMethods.method(MethodType.BIDI_STREAMING), CallOptions.DEFAULT);

    ClientCalls.asyncBidiStreamingCall(call, new ClientResponseObserver<String, String>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<String> requestStream) {
        requestStream.disableAutoInboundFlowControl();
      }

      @Override
      public void onNext(String value) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });

    assertThat(channel.last.events).doesNotContain("request 1");
  }
}
