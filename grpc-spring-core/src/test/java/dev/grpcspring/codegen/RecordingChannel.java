package dev.grpcspring.codegen;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A channel without a transport. It records every {@code newCall(method, callOptions)}; its calls
 * record what the stub does and, once the stub half-closes, answer with the scripted responses and
 * status, on the call options' executor when there is one (as real channels must).
 */
final class RecordingChannel implements Channel {
  final List<RecordingCall<?, ?>> calls = new ArrayList<>();
  private List<Object> responses = List.of();
  private Status status = Status.OK;

  /** What every following call answers once the client half-closes. */
  RecordingChannel answer(Status status, Object... responses) {
    this.status = status;
    this.responses = List.of(responses);
    return this;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    RecordingCall<ReqT, RespT> call = new RecordingCall<>(method, callOptions, responses, status);
    calls.add(call);
    return call;
  }

  @Override
  public String authority() {
    return "fake.test";
  }

  /** The only call made so far. */
  RecordingCall<?, ?> onlyCall() {
    if (calls.size() != 1) {
      throw new AssertionError("Expected exactly one call, got " + calls.size());
    }
    return calls.get(0);
  }

  /** One recorded call. */
  static final class RecordingCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
    final MethodDescriptor<ReqT, RespT> method;
    final CallOptions callOptions;
    final List<ReqT> sent = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    private final List<Object> responses;
    private final Status status;
    private Listener<RespT> listener;

    RecordingCall(MethodDescriptor<ReqT, RespT> method, CallOptions callOptions,
        List<Object> responses, Status status) {
      this.method = method;
      this.callOptions = callOptions;
      this.responses = responses;
      this.status = status;
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
      events.add("start");
      this.listener = listener;
    }

    @Override
    public void request(int numMessages) {
      events.add("request");
    }

    @Override
    public void cancel(String message, Throwable cause) {
      events.add("cancel");
    }

    @Override
    public void halfClose() {
      events.add("halfClose");
      Executor executor = callOptions.getExecutor() != null ? callOptions.getExecutor() : Runnable::run;
      executor.execute(this::answer);
    }

    @Override
    public void sendMessage(ReqT message) {
      events.add("sendMessage");
      sent.add(message);
    }

    @SuppressWarnings("unchecked")
    private void answer() {
      listener.onHeaders(new Metadata());
      for (Object response : responses) {
        listener.onMessage((RespT) response);
      }
      listener.onClose(status, new Metadata());
    }
  }
}
