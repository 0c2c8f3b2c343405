package dev.grpcspring.server;

import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCallHandler;
import java.util.Objects;

/**
 * A method and the handler that serves it.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
public final class ServerMethodDefinition<ReqT, RespT> {
  private final MethodDescriptor<ReqT, RespT> method;
  private final ServerCallHandler<ReqT, RespT> handler;

  private ServerMethodDefinition(
      MethodDescriptor<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> handler) {
    this.method = Objects.requireNonNull(method, "method");
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  public static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> create(
      MethodDescriptor<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> handler) {
    return new ServerMethodDefinition<>(method, handler);
  }

  public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
    return method;
  }

  public ServerCallHandler<ReqT, RespT> getServerCallHandler() {
    return handler;
  }

  /** The same method with another handler. */
  public ServerMethodDefinition<ReqT, RespT> withServerCallHandler(
      ServerCallHandler<ReqT, RespT> handler) {
    return new ServerMethodDefinition<>(method, handler);
  }
}
