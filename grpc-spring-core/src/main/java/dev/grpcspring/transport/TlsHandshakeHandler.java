package dev.grpcspring.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Sits between the {@link SslHandler} and the HTTP/2 handler until the TLS handshake is done. It
 * holds back everything the HTTP/2 handler writes (preface, SETTINGS), so nothing leaves before
 * the peer is verified and ALPN has selected {@code h2}; then it lets the writes go and leaves the
 * pipeline. When the handshake fails or the peer did not select {@code h2}, the held writes are
 * dropped: a client fails its connection with a message that says why, a server just closes it.
 */
final class TlsHandshakeHandler extends ChannelDuplexHandler {
  private static final Logger log = Logger.getLogger(TlsHandshakeHandler.class.getName());

  private final SslHandler ssl;
  private final boolean client;
  /** Who is at the other end, for messages ("localhost (/127.0.0.1:443)"). */
  private final String peer;
  private final Consumer<SSLSession> onSuccess;
  private @Nullable PendingWriteQueue pending;
  private @Nullable Throwable failure;

  TlsHandshakeHandler(SslHandler ssl, boolean client, String peer, Consumer<SSLSession> onSuccess) {
    this.ssl = ssl;
    this.client = client;
    this.peer = peer;
    this.onSuccess = onSuccess;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    pending = new PendingWriteQueue(ctx);
  }

  /** The writes held back until the handshake ends; made in handlerAdded. */
  private PendingWriteQueue pending() {
    return Objects.requireNonNull(pending, "the handler is not in a pipeline yet");
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (failure != null) {
      ReferenceCountUtil.release(msg);
      promise.setFailure(failure);
      return;
    }
    pending().add(msg, promise);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    // Held until the handshake is done; the writes are flushed then.
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (!(evt instanceof SslHandshakeCompletionEvent done)) {
      super.userEventTriggered(ctx, evt);
      return;
    }
    if (failure != null) {
      return;
    }
    if (!done.isSuccess()) {
      fail(ctx, handshakeFailure(done.cause()));
      return;
    }
    String protocol = ssl.applicationProtocol();
    if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      fail(ctx, new TlsFailure("Failed ALPN negotiation with " + peer + ": "
          + (protocol == null ? "no protocol was selected" : "\"" + protocol + "\" was selected")
          + ", but gRPC over TLS needs HTTP/2 (\"h2\"); is the " + (client ? "server" : "client")
          + " speaking gRPC over TLS?", null));
      return;
    }
    onSuccess.accept(ssl.engine().getSession());
    pending().removeAndWriteAll();
    ctx.flush();
    if (client) {
      // TLS 1.3 servers judge client certificates after the client's handshake is done: their
      // verdict arrives later, as an alert. Keep explaining TLS errors; reads and writes skip it.
      ctx.pipeline().replace(this, null, new TlsErrorTranslator(peer));
    } else {
      ctx.pipeline().remove(this);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (failure != null && isTls(cause)) {
      // The handshake failure, already reported through the completion event.
      log.log(Level.FINE, "TLS error after the failed handshake with " + peer, cause);
      return;
    }
    if (isTls(cause)) {
      fail(ctx, handshakeFailure(cause));
      return;
    }
    super.exceptionCaught(ctx, cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (failure == null) {
      failure = new ClosedChannelException();
    }
    pending().removeAndFailAll(failure);
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (!pending().isEmpty()) {
      pending().removeAndFailAll(failure != null ? failure : new ClosedChannelException());
    }
  }

  private void fail(ChannelHandlerContext ctx, TlsFailure cause) {
    failure = cause;
    pending().removeAndFailAll(cause);
    if (client) {
      // The HTTP/2 handler fails the connection with this as the reason, then closes it.
      ctx.fireExceptionCaught(cause);
    } else {
      log.log(Level.FINE, "Closing connection from {0}: {1}", new Object[] {peer, cause.getMessage()});
      ctx.close();
    }
  }

  private TlsFailure handshakeFailure(Throwable cause) {
    return failure("TLS handshake with " + peer + " failed: ", cause);
  }

  static TlsFailure failure(String prefix, Throwable cause) {
    Throwable root = cause;
    while (root instanceof DecoderException && root.getCause() != null) {
      root = root.getCause();
    }
    // The TLS library's message is often generic ("General OpenSslEngine problem", "validity
    // check failed"); the innermost cause says what was wrong (CertificateExpiredException, ...).
    Throwable innermost = root;
    while (innermost.getCause() != null && innermost.getCause() != innermost) {
      innermost = innermost.getCause();
    }
    String reason = root.getMessage();
    if (innermost != root) {
      reason += " (" + innermost.getClass().getSimpleName()
          + (innermost.getMessage() == null ? "" : ": " + innermost.getMessage()) + ")";
    }
    return new TlsFailure(prefix + reason, root);
  }

  static boolean isTls(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  /** A failed TLS negotiation; prints as its message alone, as it ends up in a status. */
  static final class TlsFailure extends SSLException {
    private static final long serialVersionUID = 1L;

    TlsFailure(String message, @Nullable Throwable cause) {
      super(message, cause);
    }

    @Override
    public String toString() {
      // The constructor's message is never null.
      return Objects.requireNonNull(getMessage(), "message");
    }
  }
}
