package dev.grpcspring.client;

import dev.grpcspring.Attributes;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.balancer.PickInfo;
import dev.grpcspring.transport.CallHeader;
import dev.grpcspring.transport.ClientStreamListener.RpcProgress;
import dev.grpcspring.transport.ClientTransport;
import dev.grpcspring.transport.ClientTransportStream;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The attempt side of a {@link ClientCallImpl} (grpc-go's {@code clientStream} retry logic): which
 * attempt is current, the request kept for replay until the call commits, and what follows an
 * attempt that ended uncommitted (a transparent retry, or one under the method's {@link
 * RetryState}). The call keeps its surface: the listener, the deadline and the final close.
 *
 * <p>Everything here is guarded by the call's lock, except where a method says otherwise; picks
 * and the call's close are started with the lock released.
 */
final class AttemptDriver {
  private final ClientCallImpl<?, ?> call;
  private final ClientConn cc;
  private final String fullMethod;
  private final CallOptions callOptions;
  private final int maxRetryBuffer;
  private final ReplayBuffer replay;

  private boolean ended;
  private boolean committed;
  private boolean commitWhenStreamStarts;
  private int requested;
  private volatile CsAttempt attempt;
  private boolean serverRefusalRetried;
  /** Configured retries; made when the first attempt ends uncommitted. */
  private RetryState retryState;
  private ScheduledFuture<?> retryTimer;

  AttemptDriver(ClientCallImpl<?, ?> call, ClientConn cc, String fullMethod, CallOptions callOptions) {
    this.call = call;
    this.cc = cc;
    this.fullMethod = fullMethod;
    this.callOptions = callOptions;
    this.maxRetryBuffer = callOptions.getOption(ClientCallOptions.MAX_RETRY_RPC_BUFFER_SIZE);
    this.replay = new ReplayBuffer(cc.retryBuffer());
  }

  /** Makes the first attempt; the caller picks it once the lock is released. */
  CsAttempt firstAttemptLocked(CallHeader header) {
    return newAttemptLocked(header, 0);
  }

  private CsAttempt newAttemptLocked(CallHeader header, int previous) {
    CsAttempt a = new CsAttempt(this, new PickInfo(fullMethod, header.metadata(), callOptions), previous);
    attempt = a;
    return a;
  }

  /** Whether {@code a} is the attempt whose events reach the listener. Any thread. */
  boolean isCurrent(CsAttempt a) {
    return attempt == a;
  }

  // ---- the call's requests, sent to the attempt and kept for replay ----

  void requestLocked(int numMessages) {
    requested = (int) Math.min(Integer.MAX_VALUE, (long) requested + numMessages);
    ClientTransportStream s = attempt == null ? null : attempt.stream;
    if (s != null && !ended) {
      s.request(numMessages);
    }
  }

  /** Sends a framed message (taking ownership), keeping a copy while the call is uncommitted. */
  void sendLocked(ByteBuf framed) {
    ClientTransportStream s = attempt.stream;
    if (committed) {
      s.writeMessage(framed, true);
      return;
    }
    boolean fits = replay.addMessage(framed, maxRetryBuffer);
    if (s != null) {
      s.writeMessage(framed.retainedDuplicate(), true);
    }
    if (!fits) {
      if (s != null) {
        commitLocked();
      } else {
        commitWhenStreamStarts = true;
      }
    }
  }

  void halfCloseLocked() {
    if (!committed) {
      replay.addHalfClose();
    }
    ClientTransportStream s = attempt == null ? null : attempt.stream;
    if (s != null) {
      s.halfClose();
    }
  }

  boolean isReadyLocked() {
    ClientTransportStream s = attempt == null ? null : attempt.stream;
    return s != null && s.isReady();
  }

  Attributes transportAttributesLocked() {
    ClientTransport t = attempt == null ? null : attempt.transport;
    return t == null ? Attributes.EMPTY : t.attributes();
  }

  /** What the call is waiting for, for a deadline's message. */
  String pendingDescriptionLocked() {
    if (retryTimer != null && !retryTimer.isDone()) {
      return "; waiting to make attempt " + (attempt.previousAttempts + 1) + " of the retry policy";
    }
    if (attempt != null && attempt.stream == null) {
      return "; still waiting for a connection (last error: " + cc.lastConnectionError() + ")";
    }
    ClientTransport t = attempt == null ? null : attempt.transport;
    return t == null ? "" : "; remote_addr=" + t.attributes().get(Attributes.REMOTE_ADDRESS);
  }

  /** The call ends now: resets the attempt's stream or abandons its pick. */
  void cancelLocked(Status status) {
    CsAttempt a = attempt;
    if (a != null) {
      cancelAttemptLocked(a, status);
    }
  }

  private void cancelAttemptLocked(CsAttempt a, Status status) {
    if (a.stream != null) {
      a.stream.cancel(status);
    } else if (a.abandonPick()) {
      cc.pickerWrapper().remove(a);
    }
  }

  /** The call has closed: nothing is kept or retried any more. */
  void endLocked() {
    ended = true;
    committed = true;
    replay.release();
    if (retryTimer != null) {
      retryTimer.cancel(false);
    }
  }

  private void commitLocked() {
    if (committed) {
      return;
    }
    committed = true;
    commitWhenStreamStarts = false;
    replay.release();
  }

  // ---- attempt events (from CsAttempt) ----

  boolean waitForReady() {
    return call.waitForReady();
  }

  Status checkCallAuthority(ClientTransport transport) {
    return call.checkCallAuthority(transport);
  }

  void attemptPicked(CsAttempt a, ClientTransport transport) {
    synchronized (call.lock) {
      if (ended || attempt != a) {
        return;
      }
      int maxReceive = call.applyResolvedConfigLocked();
      a.streamStarted(); // before the stream exists, so that its end is always counted
      ClientTransportStream s = transport.newStream(
          RetryState.headerFor(call.headerLocked(), a.previousAttempts), a, maxReceive,
          call.clientSendsOneMessage());
      a.stream = s;
      a.transport = transport;
      replay.replayOn(s);
      if (requested > 0) {
        s.request(requested);
      }
      if (commitWhenStreamStarts) {
        commitLocked();
      }
    }
    call.streamStarted(transport);
  }

  void attemptHeaders(CsAttempt a, Metadata headers) {
    synchronized (call.lock) {
      if (ended || attempt != a) {
        return;
      }
      commitLocked();
    }
    call.deliverHeaders(headers);
  }

  void attemptMessage(CsAttempt a, ByteBuf message, boolean compressed) {
    call.deliverMessage(a, message, compressed);
  }

  void attemptReady(CsAttempt a) {
    call.deliverReady(a);
  }

  /** An attempt ended; {@code progress} null means its pick failed. */
  void attemptClosed(CsAttempt a, Status status, Metadata trailers, RpcProgress progress) {
    CsAttempt retry = null;
    synchronized (call.lock) {
      if (ended || attempt != a) {
        return;
      }
      boolean mayRetry = !committed && !cc.options().disableRetry() && !a.notRetryable;
      long delay;
      if (mayRetry && progress != null && (progress == RpcProgress.NOT_SENT
          || (progress == RpcProgress.REFUSED && !serverRefusalRetried))) {
        // Transparent retry (gRFC A6): the server never processed this attempt. It is not one of
        // the policy's attempts, so the count sent in grpc-previous-rpc-attempts stays.
        if (progress == RpcProgress.REFUSED) {
          serverRefusalRetried = true;
        }
        retry = newAttemptLocked(call.headerLocked(), a.previousAttempts);
        delay = 0;
      } else if (mayRetry
          && (delay = retryStateLocked().onAttemptFailed(status, trailers)) != RetryState.NO_RETRY) {
        retry = newAttemptLocked(call.headerLocked(), retryState.attempts() - 1);
      } else {
        commitLocked();
        delay = 0;
      }
      if (retry != null && delay > 0) {
        CsAttempt next = retry;
        retryTimer = cc.scheduler().schedule(
            () -> cc.pickerWrapper().pick(next), delay, TimeUnit.NANOSECONDS);
        return;
      }
    }
    if (retry != null) {
      cc.pickerWrapper().pick(retry);
      return;
    }
    call.closeCall(status, trailers);
  }

  private RetryState retryStateLocked() {
    if (retryState == null) {
      // The method config in use now: the channel has resolved by the time an attempt ends.
      retryState = new RetryState(cc.methodConfig(fullMethod).retryPolicy(),
          cc.options().maxCallAttempts(), cc.retryThrottler(), ThreadLocalRandom.current()::nextDouble);
    }
    return retryState;
  }
}
