package dev.grpcspring.interop;

import dev.grpcspring.Context;
import dev.grpcspring.Metadata;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.interceptor.ForwardingServerCallListener;
import dev.grpcspring.interceptor.ServerInterceptor;

/**
 * Tells the service whether the request message it is handling arrived compressed, for the
 * {@code expect_compressed} checks. The interceptor notes each message's compressed flag (from
 * {@link ServerCall#isInboundMessageCompressed()}) as it is delivered, and runs every listener
 * callback with the note in the {@link Context}: streaming handlers read it while they get that
 * message, unary handlers (which run at half-close, after their one message) read the last one.
 */
public final class RequestCompression implements ServerInterceptor {
  private static final Context.Key<Note> NOTE = Context.key("interop-request-compression");

  /** Per call; written and read only from listener callbacks, which never overlap. */
  private static final class Note {
    volatile boolean lastMessageCompressed;
  }

  /**
   * Whether the last request message of the current call arrived compressed. False outside a call
   * served through this interceptor.
   */
  static boolean lastMessageCompressed() {
    Note note = NOTE.get();
    return note != null && note.lastMessageCompressed;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Note note = new Note();
    Context context = Context.current().withValue(NOTE, note);
    ServerCall.Listener<ReqT> delegate;
    Context previous = context.attach();
    try {
      delegate = next.startCall(call, headers);
    } finally {
      context.detach(previous);
    }
    return new ForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(ReqT message) {
        note.lastMessageCompressed = call.isInboundMessageCompressed();
        context.run(() -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        context.run(super::onHalfClose);
      }

      @Override
      public void onCancel() {
        context.run(super::onCancel);
      }

      @Override
      public void onComplete() {
        context.run(super::onComplete);
      }

      @Override
      public void onReady() {
        context.run(super::onReady);
      }
    };
  }
}
