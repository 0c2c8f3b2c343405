package dev.grpcspring.client;

import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.balancer.PickInfo;
import dev.grpcspring.channelz.CallCounters;
import dev.grpcspring.transport.ClientStreamListener;
import dev.grpcspring.transport.ClientTransport;
import dev.grpcspring.transport.ClientTransportStream;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a call (grpc-go's {@code csAttempt}): a pick, then one HTTP/2 stream. The call's
 * {@link AttemptDriver} owns the request buffer and replays it on each new attempt; an attempt
 * only carries events back, tagged with itself so that events of a superseded attempt are dropped.
 */
final class CsAttempt implements PickerWrapper.PendingPick, ClientStreamListener {
  private final AttemptDriver call;
  private final PickInfo pickInfo;
  private final AtomicBoolean picked = new AtomicBoolean();
  /** How many attempts under the retry or hedging policy came before this one (transparent ones not counted). */
  final int previousAttempts;
  /** Its number in the call, from 1, counting attempts of every kind. */
  final int number;
  /** Set when the pick failed in a way no retry may follow (a drop, or a refused authority). */
  volatile boolean notRetryable;

  /** The subchannel's call counters once a stream started on it; then they hear how it ended. */
  private volatile @Nullable CallCounters subchannelCalls;
  private volatile @Nullable AddrConn subConn;

  // Guarded by the call's lock.
  @Nullable ClientTransportStream stream;
  @Nullable ClientTransport transport;

  CsAttempt(AttemptDriver call, PickInfo pickInfo, int previousAttempts, int number) {
    this.call = call;
    this.pickInfo = pickInfo;
    this.previousAttempts = previousAttempts;
    this.number = number;
  }

  /** Stops a queued pick from ever being answered (the call ended first). */
  boolean abandonPick() {
    return picked.compareAndSet(false, true);
  }

  @Override
  public PickInfo pickInfo() {
    return pickInfo;
  }

  @Override
  public boolean waitForReady() {
    return call.waitForReady();
  }

  @Override
  public void onPicked(AddrConn subConn, ClientTransport transport) {
    if (picked.compareAndSet(false, true)) {
      this.subConn = subConn;
      Status refused = call.checkCallAuthority(transport);
      if (refused != null) {
        notRetryable = true;
        call.attemptClosed(this, refused, new Metadata(), null);
        return;
      }
      call.attemptPicked(this, transport);
    }
  }

  @Override
  public void onPickFailed(Status status) {
    if (picked.compareAndSet(false, true)) {
      call.attemptClosed(this, status, new Metadata(), null);
    }
  }

  @Override
  public void onPickDropped(Status status) {
    if (picked.compareAndSet(false, true)) {
      notRetryable = true;
      call.attemptClosed(this, status, new Metadata(), null);
    }
  }

  @Override
  public void onHeaders(Metadata headers) {
    call.attemptHeaders(this, headers);
  }

  @Override
  public void onMessage(ByteBuf message) {
    onMessage(message, false);
  }

  @Override
  public void onMessage(ByteBuf message, boolean compressed) {
    call.attemptMessage(this, message, compressed);
  }

  @Override
  public void onReady() {
    call.attemptReady(this);
  }

  /** A stream was opened for this attempt on the picked subchannel: it counts as a call there. */
  void streamStarted() {
    AddrConn ac = subConn;
    if (ac != null) {
      CallCounters c = ac.channelz().calls();
      c.callStarted();
      subchannelCalls = c;
    }
  }

  @Override
  public void onClose(Status status, Metadata trailers, RpcProgress progress) {
    CallCounters c = subchannelCalls;
    if (c != null) {
      c.callEnded(status.isOk());
    }
    call.attemptClosed(this, status, trailers, progress);
  }
}
