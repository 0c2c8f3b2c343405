package dev.grpcspring.transport.inprocess;

import dev.grpcspring.channelz.FlowControlWindows;
import dev.grpcspring.channelz.SocketStats;
import dev.grpcspring.channelz.SocketView;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/** One side of an in-process connection in channelz: counters and the server's name; no windows. */
record InProcessSocketView(SocketStats stats, SocketAddress localAddress,
    SocketAddress remoteAddress) implements SocketView {
  @Override
  public CompletableFuture<FlowControlWindows> flowControlWindows() {
    return CompletableFuture.completedFuture(null);
  }
}
