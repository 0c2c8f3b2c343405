package dev.grpcspring.transport;

import dev.grpcspring.Status;
import dev.grpcspring.proxy.HttpConnectProxy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Opens an HTTP CONNECT tunnel through a proxy, alone in a client pipeline. When the proxy answers
 * 2xx it replaces itself with the connection's own handlers (TLS, HTTP/2) and fires {@code
 * channelActive} for them, so they start exactly as on a direct connection; they are not in the
 * pipeline before, because the HTTP/2 handler sends its preface on any event once the socket is
 * connected. Bytes that arrive with the answer (the server's SETTINGS) are passed on. Any other
 * answer, or a closed connection, is reported once to {@code onFailure} as UNAVAILABLE and closes
 * the channel.
 *
 * <p>Netty's {@code HttpProxyHandler} (netty-handler-proxy, not a dependency) would need the same
 * care about when the HTTP/2 handler may start; this handler is small enough to own.
 */
final class HttpConnectHandler extends ChannelInboundHandlerAdapter {
  /** Longest proxy answer head we read; a real one is a few hundred bytes. */
  static final int MAX_RESPONSE_HEAD = 8192;

  private final HttpConnectProxy proxy;
  private final String target;
  private final ChannelHandler next;
  private final Consumer<Status> onFailure;
  private final Runnable onClosed;
  private @Nullable ByteBuf head;
  private boolean failed;

  /**
   * @param target {@code host:port} as the proxy should connect to it, the host unresolved
   * @param next the connection's handler (or initializer), added once the tunnel is open
   * @param onFailure hears why the tunnel could not be opened (on the event loop)
   * @param onClosed runs when the connection closes before the tunnel was open
   */
  HttpConnectHandler(HttpConnectProxy proxy, String target, ChannelHandler next,
      Consumer<Status> onFailure, Runnable onClosed) {
    this.proxy = proxy;
    this.target = target;
    this.next = next;
    this.onFailure = onFailure;
    this.onClosed = onClosed;
  }

  /** The {@code host:port} this handler asks the proxy for. */
  String target() {
    return target;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    StringBuilder request = new StringBuilder(128)
        .append("CONNECT ").append(target).append(" HTTP/1.1\r\n")
        .append("Host: ").append(target).append("\r\n");
    String authorization = proxy.authorization();
    if (authorization != null) {
      request.append("Proxy-Authorization: ").append(authorization).append("\r\n");
    }
    request.append("\r\n");
    ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), request));
    head = ctx.alloc().buffer(256);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (failed) {
      io.netty.util.ReferenceCountUtil.release(msg); // the rest of a refusal we already reported
      return;
    }
    ByteBuf in = (ByteBuf) msg;
    try {
      // Made in channelActive; dropped only on failure (handled above) or once the tunnel is open.
      Objects.requireNonNull(head, "no CONNECT sent yet").writeBytes(in);
    } finally {
      in.release();
    }
    int end = ByteBufUtil.indexOf(HEAD_END, head);
    if (end < 0) {
      if (head.readableBytes() > MAX_RESPONSE_HEAD) {
        fail(ctx, "answered CONNECT with more than " + MAX_RESPONSE_HEAD
            + " bytes of headers; is it an HTTP proxy?");
      }
      return;
    }
    String statusLine = head.toString(0, Math.max(0, lineEnd(end)), StandardCharsets.ISO_8859_1);
    int code = statusCode(statusLine);
    if (code < 200 || code > 299) {
      String hint = code == 407
          ? " (the proxy wants credentials: give them as http://user:password@host:port)" : "";
      fail(ctx, "refused the tunnel: " + (code < 0 ? "unreadable answer '" + statusLine + "'"
          : statusLine) + hint);
      return;
    }
    head.skipBytes(end + HEAD_END.readableBytes());
    ByteBuf rest = head.isReadable() ? head.retainedSlice() : null;
    releaseHead();
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.replace(this, null, next);
    pipeline.fireChannelActive();
    if (rest != null) {
      pipeline.fireChannelRead(rest);
    }
    pipeline.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(ctx, "closed the connection before answering CONNECT");
    // The connection's own handler, which would report the end, never joined the pipeline.
    onClosed.run();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseHead();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, "failed before the tunnel was open: " + cause);
  }

  private void fail(ChannelHandlerContext ctx, String what) {
    if (failed) {
      return;
    }
    failed = true;
    releaseHead();
    onFailure.accept(Status.UNAVAILABLE.withDescription(
        "HTTP CONNECT proxy " + proxy + " for " + target + " " + what));
    ctx.close();
  }

  private void releaseHead() {
    if (head != null) {
      head.release();
      head = null;
    }
  }

  private int lineEnd(int headEnd) {
    int cr = ByteBufUtil.indexOf(CRLF, head);
    return cr < 0 || cr > headEnd ? headEnd : cr;
  }

  /** The status code of {@code HTTP/1.x NNN reason}, or -1. */
  private static int statusCode(String line) {
    if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
      return -1;
    }
    String code = line.substring(9, 12);
    return code.chars().allMatch(Character::isDigit) ? Integer.parseInt(code) : -1;
  }

  private static final ByteBuf HEAD_END = io.netty.buffer.Unpooled.unreleasableBuffer(
      io.netty.buffer.Unpooled.copiedBuffer("\r\n\r\n", StandardCharsets.US_ASCII));
  private static final ByteBuf CRLF = io.netty.buffer.Unpooled.unreleasableBuffer(
      io.netty.buffer.Unpooled.copiedBuffer("\r\n", StandardCharsets.US_ASCII));
}
