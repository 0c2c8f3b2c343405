package dev.grpcspring.interceptor;

import dev.grpcspring.Attributes;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCall;
import dev.grpcspring.Status;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ServerCall} that passes everything to another; override what an interceptor changes.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
public class ForwardingServerCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
  private final ServerCall<ReqT, RespT> delegate;

  public ForwardingServerCall(ServerCall<ReqT, RespT> delegate) {
    this.delegate = delegate;
  }

  protected ServerCall<ReqT, RespT> delegate() {
    return delegate;
  }

  @Override
  public void request(int numMessages) {
    delegate.request(numMessages);
  }

  @Override
  public void sendHeaders(Metadata headers) {
    delegate.sendHeaders(headers);
  }

  @Override
  public void sendMessage(RespT message) {
    delegate.sendMessage(message);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    delegate.close(status, trailers);
  }

  @Override
  public boolean isCancelled() {
    return delegate.isCancelled();
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
  public void setCompression(String compressorName) {
    delegate.setCompression(compressorName);
  }

  @Override
  public boolean isInboundMessageCompressed() {
    return delegate.isInboundMessageCompressed();
  }

  @Override
  public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
    return delegate.getMethodDescriptor();
  }

  @Override
  public @Nullable String getAuthority() {
    return delegate.getAuthority();
  }

  @Override
  public Attributes getAttributes() {
    return delegate.getAttributes();
  }
}
