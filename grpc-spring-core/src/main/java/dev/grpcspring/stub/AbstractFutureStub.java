package dev.grpcspring.stub;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;

/**
 * Base of generated future stubs: unary calls return a {@link java.util.concurrent.CompletableFuture}.
 *
 * @param <S> the concrete stub type
 */
public abstract class AbstractFutureStub<S extends AbstractFutureStub<S>> extends AbstractStub<S> {
  protected AbstractFutureStub(Channel channel, CallOptions callOptions) {
    super(channel, callOptions);
  }
}
