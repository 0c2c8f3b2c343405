package dev.grpcspring.boot.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightCallsTest {

  /** A channel whose calls stay open until the test closes them. */
  static final class HeldChannel implements Channel {
    final List<ClientCall.Listener<?>> listeners = new ArrayList<>();
    final List<String> cancelled = new ArrayList<>();

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method,
        CallOptions callOptions) {
      return new ClientCall<>() {
        private Listener<RespT> listener;

        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          this.listener = listener;
          listeners.add(listener);
        }

        @Override
        public void request(int numMessages) {}

        @Override
        public void cancel(String message, Throwable cause) {
          cancelled.add(message);
          listener.onClose(Status.CANCELLED.withDescription(message), new Metadata());
        }

        @Override
        public void halfClose() {}

        @Override
        public void sendMessage(ReqT message) {}
      };
    }

    @Override
    public String authority() {
      return "held";
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void waitsForCallsThenCancelsTheRest() throws Exception {
    HeldChannel channel = new HeldChannel();
    InFlightCalls calls = new InFlightCalls();
    for (int i = 0; i < 2; i++) {
      calls.interceptCall(EchoServiceGrpc.getEchoMethod(), CallOptions.DEFAULT, channel)
          .start(new ClientCall.Listener<>() {}, new Metadata());
    }
    assertThat(calls.size()).isEqualTo(2);
    assertThat(calls.awaitDrained(Duration.ofMillis(50))).isFalse();

    ((ClientCall.Listener<Object>) channel.listeners.get(0)).onClose(Status.OK, new Metadata());
    assertThat(calls.size()).isEqualTo(1);

    calls.cancelAll("shutting down");
    assertThat(channel.cancelled).containsExactly("shutting down");
    assertThat(calls.awaitDrained(Duration.ofMillis(50))).isTrue();
  }
}
