package dev.grpcspring.boot.client;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.interceptor.ForwardingClientCall;
import dev.grpcspring.interceptor.ForwardingClientCallListener;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tracks the calls of one channel between start and close, so that closing the channel can wait
 * for them up to a grace period and then cancel the rest.
 */
public final class InFlightCalls implements ClientInterceptor {

  private final Set<ClientCall<?, ?>> calls = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    return new ForwardingClientCall<>(next.newCall(method, callOptions)) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        ClientCall<ReqT, RespT> self = this;
        calls.add(self);
        try {
          super.start(new ForwardingClientCallListener<>(listener) {
            @Override
            public void onClose(Status status, Metadata trailers) {
              try {
                super.onClose(status, trailers);
              } finally {
                remove(self);
              }
            }
          }, headers);
        } catch (RuntimeException | Error e) {
          remove(self);
          throw e;
        }
      }
    };
  }

  private void remove(ClientCall<?, ?> call) {
    calls.remove(call);
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  /** Number of calls started and not yet closed. */
  public int size() {
    return calls.size();
  }

  /**
   * Waits until no call is in flight or {@code timeout} passes.
   *
   * @return whether every call finished
   */
  public boolean awaitDrained(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!calls.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  /** Cancels every call still in flight. */
  public void cancelAll(String reason) {
    for (ClientCall<?, ?> call : calls.toArray(new ClientCall<?, ?>[0])) {
      call.cancel(reason, null);
    }
  }
}
