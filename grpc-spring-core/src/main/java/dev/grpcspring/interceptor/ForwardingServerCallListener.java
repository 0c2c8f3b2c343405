package dev.grpcspring.interceptor;

import dev.grpcspring.ServerCall;

/**
 * A {@link ServerCall.Listener} that passes everything to another.
 *
 * @param <ReqT> the request message type
 */
public class ForwardingServerCallListener<ReqT> extends ServerCall.Listener<ReqT> {
  private final ServerCall.Listener<ReqT> delegate;

  public ForwardingServerCallListener(ServerCall.Listener<ReqT> delegate) {
    this.delegate = delegate;
  }

  protected ServerCall.Listener<ReqT> delegate() {
    return delegate;
  }

  @Override
  public void onMessage(ReqT message) {
    delegate.onMessage(message);
  }

  @Override
  public void onHalfClose() {
    delegate.onHalfClose();
  }

  @Override
  public void onCancel() {
    delegate.onCancel();
  }

  @Override
  public void onComplete() {
    delegate.onComplete();
  }

  @Override
  public void onReady() {
    delegate.onReady();
  }
}
