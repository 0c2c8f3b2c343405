package dev.grpcspring.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Turns a TLS error on an established client connection (an alert such as {@code
 * certificate_required} from a TLS 1.3 server that refused our certificate) into a failure that
 * names the server and the TLS reason, instead of a decoder exception. It handles only
 * exceptions, so Netty skips it for reads and writes.
 */
final class TlsErrorTranslator extends ChannelInboundHandlerAdapter {
  private final String peer;

  TlsErrorTranslator(String peer) {
    this.peer = peer;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof TlsHandshakeHandler.TlsFailure) && TlsHandshakeHandler.isTls(cause)) {
      ctx.fireExceptionCaught(TlsHandshakeHandler.failure("TLS with " + peer + " failed: ", cause));
      return;
    }
    ctx.fireExceptionCaught(cause);
  }
}
