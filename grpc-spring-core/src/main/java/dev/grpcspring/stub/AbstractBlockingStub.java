package dev.grpcspring.stub;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;

/**
 * Base of generated blocking stubs: unary calls return the response, server-streaming calls an iterator.
 *
 * @param <S> the concrete stub type
 */
public abstract class AbstractBlockingStub<S extends AbstractBlockingStub<S>> extends AbstractStub<S> {
  protected AbstractBlockingStub(Channel channel, CallOptions callOptions) {
    super(channel, callOptions);
  }
}
