package dev.grpcspring.stub;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;

/**
 * Base of generated async stubs: every method takes a {@link StreamObserver}.
 *
 * @param <S> the concrete stub type
 */
public abstract class AbstractAsyncStub<S extends AbstractAsyncStub<S>> extends AbstractStub<S> {
  protected AbstractAsyncStub(Channel channel, CallOptions callOptions) {
    super(channel, callOptions);
  }
}
