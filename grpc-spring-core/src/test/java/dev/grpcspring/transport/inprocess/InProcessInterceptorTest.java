package dev.grpcspring.transport.inprocess;

import static dev.grpcspring.transport.inprocess.InProcessHarness.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.interceptor.ForwardingClientCall;
import dev.grpcspring.interceptor.ServerInterceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Client and server interceptors run around in-process calls as around HTTP/2 ones. */
class InProcessInterceptorTest {
  static final Metadata.Key<String> TOKEN = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  static ClientInterceptor clientStep(List<String> order, String name, String token) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
          CallOptions callOptions, Channel next) {
        order.add(name);
        return new ForwardingClientCall<>(next.newCall(method, callOptions)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            if (token != null) {
              headers.put(TOKEN, token);
            }
            super.start(listener, headers);
          }
        };
      }
    };
  }

  static ServerInterceptor serverStep(List<String> order, String name) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
          Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        order.add(name);
        return next.startCall(call, headers);
      }
    };
  }

  /** Rejects calls without the right token, before the handler runs. */
  static final ServerInterceptor AUTH = new ServerInterceptor() {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
        Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      if (!"Bearer ok".equals(headers.get(TOKEN))) {
        call.close(Status.UNAUTHENTICATED.withDescription("bad token"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  };

  @Test
  void interceptorsRunInOrderOnBothSides() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    try (InProcessHarness h = new InProcessHarness(
        b -> b.intercept(serverStep(order, "server-1")).intercept(serverStep(order, "server-2")),
        b -> b.interceptors(clientStep(order, "client-1", null), clientStep(order, "client-2", null)))) {
      assertThat(h.blocking().echo(req("x")).getText()).isEqualTo("x");
      assertThat(order).containsExactly("client-1", "client-2", "server-1", "server-2");
    }
  }

  @Test
  void serverInterceptorCanRejectACall() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    try (InProcessHarness h = new InProcessHarness(b -> b.intercept(AUTH), b -> {})) {
      assertThatThrownBy(() -> h.blocking().echo(req("x")))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAUTHENTICATED);
            assertThat(e.getStatus().getDescription()).isEqualTo("bad token");
          });
      assertThat(h.blocking().withInterceptors(clientStep(order, "auth", "Bearer ok"))
          .echo(req("x")).getText()).isEqualTo("x");
      assertThat(h.service.events).isEmpty();
    }
  }
}
