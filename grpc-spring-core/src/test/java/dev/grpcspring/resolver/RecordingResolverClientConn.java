package dev.grpcspring.resolver;

import dev.grpcspring.Status;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a resolver reports, in order, from any thread (shared by the resolver tests). */
public final class RecordingResolverClientConn implements ResolverClientConn {
  public final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

  @Override
  public void updateState(ResolverState state) {
    events.add(state);
  }

  @Override
  public void reportError(Status error) {
    events.add(error);
  }

  /** The next report (a ResolverState or a Status), waiting up to 10 s. */
  public Object next() throws InterruptedException {
    Object e = events.poll(10, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("The resolver reported nothing within 10 s");
    }
    return e;
  }

  public ResolverState nextState() throws InterruptedException {
    Object e = next();
    if (!(e instanceof ResolverState s)) {
      throw new AssertionError("Expected a state, got " + e);
    }
    return s;
  }

  public Status nextError() throws InterruptedException {
    Object e = next();
    if (!(e instanceof Status s)) {
      throw new AssertionError("Expected an error, got " + e);
    }
    return s;
  }

  /** The next state, skipping errors reported before it. */
  public ResolverState nextStateAfterErrors() throws InterruptedException {
    Object e = next();
    while (e instanceof Status) {
      e = next();
    }
    return (ResolverState) e;
  }

  /** host:port of each address, in order. */
  public static List<String> hostPorts(ResolverState state) {
    return state.addresses().stream().map(Address::socketAddress)
        .map(a -> ((InetSocketAddress) a).getHostString() + ":" + ((InetSocketAddress) a).getPort())
        .toList();
  }
}
