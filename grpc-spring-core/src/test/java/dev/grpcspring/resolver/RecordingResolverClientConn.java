package dev.grpcspring.resolver;

import dev.grpcspring.Status;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a resolver reports, in order, from any thread. */
final class RecordingResolverClientConn implements ResolverClientConn {
  final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

  @Override
  public void updateState(ResolverState state) {
    events.add(state);
  }

  @Override
  public void reportError(Status error) {
    events.add(error);
  }

  /** The next report (a ResolverState or a Status), waiting up to 5 s. */
  Object next() throws InterruptedException {
    Object e = events.poll(5, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("The resolver reported nothing within 5 s");
    }
    return e;
  }

  ResolverState nextState() throws InterruptedException {
    Object e = next();
    if (!(e instanceof ResolverState s)) {
      throw new AssertionError("Expected a state, got " + e);
    }
    return s;
  }

  Status nextError() throws InterruptedException {
    Object e = next();
    if (!(e instanceof Status s)) {
      throw new AssertionError("Expected an error, got " + e);
    }
    return s;
  }
}
