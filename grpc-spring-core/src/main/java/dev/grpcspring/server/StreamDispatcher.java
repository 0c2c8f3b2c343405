package dev.grpcspring.server;

import dev.grpcspring.Context;
import dev.grpcspring.Deadline;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.channelz.CallCounters;
import dev.grpcspring.channelz.SocketEntity;
import dev.grpcspring.transport.ServerTransport;
import dev.grpcspring.transport.ServerTransportListener;
import dev.grpcspring.transport.ServerTransportStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Serves the streams of one connection (grpc-go's {@code Server.handleStream}): finds each
 * stream's method by {@code :path}, gives it a {@link Context} with the client's deadline, and starts
 * the (intercepted) handler on the server's executor. What grpc-go's {@code processRPC} does (one
 * function since grpc-go merged {@code processUnaryRPC} and {@code processStreamingRPC}) is split,
 * as in grpc-java, between {@link ServerCallImpl} (the call) and the stub layer's {@code
 * ServerCalls} handlers (one request or a stream of them).
 */
final class StreamDispatcher implements ServerTransportListener {
  private final Server server;
  private final CallCounters calls;
  private @Nullable ServerTransport transport;
  private @Nullable SocketEntity socket;
  private final ReadBatch batch;

  StreamDispatcher(Server server, CallCounters calls) {
    this.server = server;
    this.calls = calls;
    this.batch = new ReadBatch(server.executor(), !server.isDirectExecutor());
  }

  void setTransport(ServerTransport transport) {
    this.transport = transport;
  }

  void setSocket(SocketEntity socket) {
    this.socket = socket;
  }

  @Override
  public void handleStream(ServerTransportStream stream, String fullMethodName, Metadata headers) {
    calls.callStarted();
    ServerMethodDefinition<?, ?> method = server.lookupMethod(fullMethodName);
    if (method == null) {
      calls.callEnded(false);
      stream.closeWithError(
          Status.UNIMPLEMENTED.withDescription("Method not found: " + fullMethodName), null);
      return;
    }
    start(stream, method, headers);
  }

  private <ReqT, RespT> void start(ServerTransportStream stream,
      ServerMethodDefinition<ReqT, RespT> method, Metadata headers) {
    long timeoutNanos = stream.timeoutNanos();
    Context.CancellableContext context = timeoutNanos >= 0
        ? Context.ROOT.withDeadline(
            Deadline.after(timeoutNanos, TimeUnit.NANOSECONDS), stream.scheduler())
        : Context.ROOT.withCancellation();
    ServerCallImpl<ReqT, RespT> call = new ServerCallImpl<>(stream,
        method.getMethodDescriptor(), context, batch,
        server.compressors(), calls);
    stream.setListener(call);
    if (timeoutNanos >= 0) {
      context.addListener(c -> {
        if (c.cancellationCause() instanceof TimeoutException) {
          stream.cancel(Status.DEADLINE_EXCEEDED.withDescription(
              "deadline exceeded after " + formatSeconds(timeoutNanos) + "s"));
        }
      }, Runnable::run);
    }
    call.start(method.getServerCallHandler(), headers);
  }

  private static String formatSeconds(long nanos) {
    return nanos / 1_000_000_000L + "." + String.format("%09d", nanos % 1_000_000_000L);
  }

  @Override
  public void readStarted() {
    batch.readStarted();
  }

  @Override
  public void readComplete() {
    batch.readComplete();
  }

  @Override
  public void transportTerminated() {
    if (socket != null) {
      socket.close();
    }
    server.connectionClosed(transport);
  }
}
