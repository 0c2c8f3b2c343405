package dev.grpcspring.interceptor;

import dev.grpcspring.Attributes;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ClientCall} that passes everything to another; override what an interceptor changes.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
public class ForwardingClientCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
  private final ClientCall<ReqT, RespT> delegate;

  public ForwardingClientCall(ClientCall<ReqT, RespT> delegate) {
    this.delegate = delegate;
  }

  protected ClientCall<ReqT, RespT> delegate() {
    return delegate;
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    delegate.start(listener, headers);
  }

  @Override
  public void request(int numMessages) {
    delegate.request(numMessages);
  }

  @Override
  public void cancel(@Nullable String message, @Nullable Throwable cause) {
    delegate.cancel(message, cause);
  }

  @Override
  public void halfClose() {
    delegate.halfClose();
  }

  @Override
  public void sendMessage(ReqT message) {
    delegate.sendMessage(message);
  }

  @Override
  public boolean isReady() {
    return delegate.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delegate.setMessageCompression(enabled);
  }

  @Override
  public boolean isInboundMessageCompressed() {
    return delegate.isInboundMessageCompressed();
  }

  @Override
  public Attributes getAttributes() {
    return delegate.getAttributes();
  }
}
