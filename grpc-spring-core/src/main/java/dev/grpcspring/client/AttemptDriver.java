package dev.grpcspring.client;

import dev.grpcspring.Attributes;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.balancer.PickInfo;
import dev.grpcspring.protocol.CallHeader;
import dev.grpcspring.channelz.AttemptCounters;
import dev.grpcspring.client.CallAttemptListener.Kind;
import dev.grpcspring.serviceconfig.HedgingPolicy;
import dev.grpcspring.serviceconfig.MethodConfig;
import dev.grpcspring.transport.ClientStreamListener.RpcProgress;
import dev.grpcspring.transport.ClientTransport;
import dev.grpcspring.transport.ClientTransportStream;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The attempt side of a {@link ClientCallImpl} (grpc-go's {@code clientStream} retry logic and
 * grpc-java's hedging): the attempts still out, the request kept for replay until the call commits
 * to one of them, and what follows an attempt that ended uncommitted: a transparent retry, a retry
 * under the method's {@link RetryState}, or the next hedge under its {@link HedgingState}. The call
 * keeps its surface: the listener, the deadline and the final close.
 *
 * <p>The call commits to an attempt when that attempt receives response headers, ends with a
 * status nothing follows, or when the request outgrows the replay buffer (then to the oldest
 * attempt with a stream); the other attempts are cancelled (RST_STREAM CANCEL). With a hedging
 * policy, attempts are sent {@code hedgingDelay} apart, counted from the first one's stream.
 *
 * <p>Everything here is guarded by the call's lock, except where a method says otherwise; picks
 * and the call's close are started with the lock released.
 */
final class AttemptDriver {
  private static final Status LOST = Status.CANCELLED.withDescription(
      "Another attempt of the call was committed (hedging or retry)");

  private final ClientCallImpl<?, ?> call;
  private final ClientConn cc;
  private final String fullMethod;
  private final CallOptions callOptions;
  private final int maxRetryBuffer;
  private final ReplayBuffer replay;
  private final AttemptCounters counters;
  private final @Nullable CallAttemptListener listener;

  private boolean ended;
  private volatile boolean committed;
  private boolean commitWhenStreamStarts;
  private int requested;
  /** The latest attempt made, or once committed, the committed one. */
  private volatile @Nullable CsAttempt attempt;
  /** Attempts not yet ended, cancelled or superseded, oldest first; only the winner once committed. */
  private final List<CsAttempt> live = new ArrayList<>(2);
  private int attemptsMade;
  private boolean serverRefusalRetried;
  /** Whether the method config was read for a retry or hedging policy. */
  private boolean policyRead;
  private @Nullable RetryState retryState;
  private @Nullable HedgingState hedging;
  private @Nullable ScheduledFuture<?> retryTimer;
  private @Nullable ScheduledFuture<?> hedgeTimer;
  /** The last non-fatal failure of a hedge: the call's status if nothing better comes. */
  private @Nullable Status lastFailure;
  private @Nullable Metadata lastFailureTrailers;

  AttemptDriver(ClientCallImpl<?, ?> call, ClientConn cc, String fullMethod, CallOptions callOptions) {
    this.call = call;
    this.cc = cc;
    this.fullMethod = fullMethod;
    this.callOptions = callOptions;
    // The key has a default; ClientCallOptions only ever sets an int for it.
    this.maxRetryBuffer = Objects.requireNonNull(
        callOptions.getOption(ClientCallOptions.MAX_RETRY_RPC_BUFFER_SIZE), "maxRetryRpcBufferSize");
    this.replay = new ReplayBuffer(cc.retryBuffer());
    this.counters = cc.channelz().attempts();
    this.listener = callOptions.getOption(ClientCallOptions.ATTEMPT_LISTENER);
  }

  /** Makes the first attempt; the caller picks it once the lock is released. */
  CsAttempt firstAttemptLocked() {
    return newAttemptLocked(Kind.FIRST, 0);
  }

  private CsAttempt newAttemptLocked(Kind kind, int previous) {
    int number = ++attemptsMade;
    CsAttempt a = new CsAttempt(this,
        new PickInfo(fullMethod, call.metadataLocked(), callOptions), previous, number);
    attempt = a;
    live.add(a);
    counters.attemptMade();
    switch (kind) {
      case TRANSPARENT_RETRY -> counters.transparentRetry();
      case RETRY -> counters.retry();
      case HEDGE -> counters.hedge();
      case FIRST -> { }
    }
    if (listener != null) {
      listener.attemptStarted(number, kind, previous);
    }
    return a;
  }

  /** Whether {@code a} is the attempt whose messages reach the listener. Any thread. */
  boolean isCurrent(CsAttempt a) {
    return attempt == a;
  }

  /** Reads the retry or hedging policy once, when the channel has resolved (a pick or an end). */
  private void readPolicyLocked() {
    if (policyRead) {
      return;
    }
    policyRead = true;
    MethodConfig mc = call.methodConfigLocked();
    int cap = cc.options().maxCallAttempts();
    HedgingPolicy hedgingPolicy = mc.hedgingPolicy();
    if (hedgingPolicy != null && !cc.options().disableRetry()) {
      hedging = new HedgingState(hedgingPolicy, cap, cc.serviceConfigs().throttler());
    } else {
      retryState = new RetryState(mc.retryPolicy(), cap, cc.serviceConfigs().throttler(),
          ThreadLocalRandom.current()::nextDouble);
    }
  }

  // ---- the call's requests, sent to the live attempts and kept for replay ----

  void requestLocked(int numMessages) {
    requested = (int) Math.min(Integer.MAX_VALUE, (long) requested + numMessages);
    if (ended) {
      return;
    }
    for (int i = 0; i < live.size(); i++) { // indexed: no iterator per call
      CsAttempt a = live.get(i);
      if (a.stream != null) {
        a.stream.request(numMessages);
      }
    }
  }

  /** Sends a framed message (taking ownership), keeping a copy while the call is uncommitted. */
  void sendLocked(ByteBuf framed) {
    if (committed) {
      ClientTransportStream s = attempt().stream;
      if (s == null) {
        framed.release(); // committed to a failed pick: the call is closing with its status
      } else {
        s.writeMessage(framed, true);
      }
      return;
    }
    boolean fits = replay.addMessage(framed, maxRetryBuffer);
    CsAttempt oldestStarted = null;
    for (int i = 0; i < live.size(); i++) { // indexed: no iterator per call
      CsAttempt a = live.get(i);
      if (a.stream != null) {
        // The frame's headroom may go to one stream only (ClientTransportStream#writeMessage):
        // the first gets a duplicate that reaches it, every other a slice that does not.
        a.stream.writeMessage(
            oldestStarted == null ? framed.retainedDuplicate() : framed.retainedSlice(), true);
        oldestStarted = oldestStarted == null ? a : oldestStarted;
      }
    }
    if (!fits) {
      if (oldestStarted != null) {
        commitLocked(oldestStarted);
      } else {
        commitWhenStreamStarts = true;
      }
    }
  }

  void halfCloseLocked() {
    if (!committed) {
      replay.addHalfClose();
    }
    for (int i = 0; i < live.size(); i++) { // indexed: no iterator per call
      CsAttempt a = live.get(i);
      if (a.stream != null) {
        a.stream.halfClose();
      }
    }
  }

  boolean isReadyLocked() {
    for (int i = 0; i < live.size(); i++) { // indexed: no iterator per call
      CsAttempt a = live.get(i);
      if (a.stream != null && a.stream.isReady()) {
        return true;
      }
    }
    return false;
  }

  Attributes transportAttributesLocked() {
    ClientTransport t = attempt == null ? null : attempt.transport;
    return t == null ? Attributes.EMPTY : t.attributes();
  }

  /** The latest attempt: the first is made as the call starts, and it is never cleared. */
  private CsAttempt attempt() {
    return Objects.requireNonNull(attempt, "attempt");
  }

  /** What the call is waiting for, for a deadline's message. */
  String pendingDescriptionLocked() {
    if (retryTimer != null && !retryTimer.isDone()) {
      return "; waiting to make attempt " + (attempt().previousAttempts + 1) + " of the retry policy";
    }
    StringBuilder b = new StringBuilder();
    if (live.size() > 1) {
      b.append("; ").append(live.size()).append(" hedged attempts out");
    }
    if (attempt != null && attempt.stream == null) {
      return b + "; still waiting for a connection (last error: " + cc.lastConnectionError() + ")";
    }
    ClientTransport t = attempt == null ? null : attempt.transport;
    return t == null ? b.toString() : b + "; remote_addr=" + t.attributes().get(Attributes.REMOTE_ADDRESS);
  }

  /** The call ends now: resets the live attempts' streams or abandons their picks. */
  void cancelLocked(Status status) {
    for (CsAttempt a : List.copyOf(live)) {
      cancelAttemptLocked(a, status);
    }
  }

  private void cancelAttemptLocked(CsAttempt a, Status status) {
    live.remove(a);
    if (a.stream != null) {
      a.stream.cancel(status);
    } else if (a.abandonPick()) {
      cc.pickerWrapper().remove(a);
    }
    if (listener != null) {
      listener.attemptEnded(a.number, status, committed && a == attempt);
    }
  }

  /** The call has closed: nothing is kept, retried or hedged any more. */
  void endLocked() {
    ended = true;
    committed = true;
    replay.release();
    cancelTimer(retryTimer);
    cancelTimer(hedgeTimer);
  }

  private static void cancelTimer(@Nullable ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Commits to {@code winner}: the others are cancelled and the request is no longer kept. */
  private void commitLocked(CsAttempt winner) {
    if (committed) {
      return;
    }
    committed = true;
    commitWhenStreamStarts = false;
    replay.release();
    cancelTimer(hedgeTimer);
    attempt = winner;
    if (live.size() == 1 && live.get(0) == winner) {
      return; // the usual case: one attempt, nothing to cancel (and no copy of the list made)
    }
    for (CsAttempt a : List.copyOf(live)) {
      if (a != winner) {
        cancelAttemptLocked(a, LOST);
      }
    }
  }

  // ---- hedges ----

  /** Runs the hedging timer from now: {@code delayNanos} until the next hedge. */
  private void armHedgeLocked(long delayNanos) {
    cancelTimer(hedgeTimer);
    hedgeTimer = cc.scheduler().schedule(this::hedgeDue, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void hedgeDue() {
    CsAttempt next;
    boolean giveUp = false;
    Status failure;
    Metadata failureTrailers;
    synchronized (call.lock) {
      if (ended || committed) {
        return;
      }
      next = hedgeLocked();
      // Throttled with nothing out: the last non-fatal failure is the call's result.
      giveUp = next == null && live.isEmpty();
      failure = lastFailure;
      failureTrailers = lastFailureTrailers;
    }
    if (next != null) {
      cc.pickerWrapper().pick(next);
    } else if (giveUp && failure != null) {
      // lastFailureTrailers is set together with lastFailure.
      call.closeCall(failure, Objects.requireNonNull(failureTrailers, "failure trailers"));
    }
  }

  /** Makes the next hedge if the policy and the throttle allow, and arms the timer for the one after. */
  private @Nullable CsAttempt hedgeLocked() {
    // Hedges are made only under a hedging policy.
    HedgingState hedging = Objects.requireNonNull(this.hedging, "hedging");
    if (hedging.exhausted()) {
      return null;
    }
    if (hedging.throttled()) {
      counters.throttled();
      if (listener != null) {
        listener.throttled();
      }
      return null;
    }
    CsAttempt a = newAttemptLocked(Kind.HEDGE, hedging.hedgeSent());
    if (!hedging.exhausted()) {
      armHedgeLocked(hedging.delayNanos());
    }
    return a;
  }

  // ---- attempt events (from CsAttempt) ----

  boolean waitForReady() {
    return call.waitForReady();
  }

  @Nullable Status checkCallAuthority(ClientTransport transport) {
    return call.checkCallAuthority(transport);
  }

  void attemptPicked(CsAttempt a, ClientTransport transport) {
    synchronized (call.lock) {
      if (ended || !live.contains(a)) {
        return;
      }
      int maxReceive = call.applyResolvedConfigLocked();
      readPolicyLocked();
      a.streamStarted(); // before the stream exists, so that its end is always counted
      // Top-down: the protocol layer's header is made, the transport makes a stream, the header
      // is written into it, and only then is the stream sent.
      CallHeader header = RetryState.headerFor(call.headerLocked(), a.previousAttempts);
      ClientTransportStream s = transport.newStream(a, maxReceive, call.clientSendsOneMessage());
      header.writeTo(s.requestHeaders(), cc.credentials().isSecure());
      call.capturePeer(transport);
      s.start();
      a.stream = s;
      a.transport = transport;
      replay.replayOn(s);
      if (requested > 0) {
        s.request(requested);
      }
      if (commitWhenStreamStarts) {
        commitLocked(a);
      } else if (hedging != null && a.number == 1 && !committed && !hedging.exhausted()) {
        armHedgeLocked(hedging.delayNanos()); // the first attempt is out: the hedging delay starts
      }
    }
    call.streamStarted();
  }

  void attemptHeaders(CsAttempt a, Metadata headers) {
    synchronized (call.lock) {
      if (ended || !live.contains(a)) {
        return;
      }
      commitLocked(a);
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
  void attemptClosed(
      CsAttempt a, Status status, Metadata trailers, @Nullable RpcProgress progress) {
    CsAttempt next = null;
    synchronized (call.lock) {
      if (ended || !live.remove(a)) {
        return; // cancelled as a loser, or the call is over
      }
      if (listener != null) {
        listener.attemptEnded(a.number, status, committed);
      }
      if (!committed) {
        readPolicyLocked();
        boolean mayRetry = !cc.options().disableRetry() && !a.notRetryable;
        if (mayRetry && progress != null && (progress == RpcProgress.NOT_SENT
            || (progress == RpcProgress.REFUSED && !serverRefusalRetried))) {
          // Transparent retry (gRFC A6): the server never processed this attempt. It is not one of
          // the policy's attempts, so the count sent in grpc-previous-rpc-attempts stays.
          if (progress == RpcProgress.REFUSED) {
            serverRefusalRetried = true;
          }
          next = newAttemptLocked(Kind.TRANSPARENT_RETRY, a.previousAttempts);
        } else if (hedging != null) {
          if (!hedgeAfterFailureLocked(a, status, trailers, mayRetry)) {
            return; // other attempts are out, or a hedge is due
          }
          next = attempt == a ? null : attempt;
        } else {
          // readPolicyLocked() above made a retry state, since there is no hedging state.
          RetryState retryState = Objects.requireNonNull(this.retryState, "retryState");
          long delay = mayRetry ? retryState.onAttemptFailed(status, trailers) : RetryState.NO_RETRY;
          if (delay != RetryState.NO_RETRY) {
            next = newAttemptLocked(Kind.RETRY, retryState.attempts() - 1);
            if (delay > 0) {
              CsAttempt n = next;
              retryTimer = cc.scheduler().schedule(
                  () -> cc.pickerWrapper().pick(n), delay, TimeUnit.NANOSECONDS);
              return;
            }
          } else {
            if (retryState.lastThrottled()) {
              counters.throttled();
              if (listener != null) {
                listener.throttled();
              }
            }
            commitLocked(a);
          }
        }
      }
    }
    if (next != null) {
      cc.pickerWrapper().pick(next);
      return;
    }
    call.closeCall(status, trailers);
  }

  /**
   * A hedge failed before the call committed. Returns false when the call waits (other attempts
   * out, or a hedge is due later); true when it goes on now: with a new hedge as {@link #attempt},
   * or with {@code a} committed and its status the call's.
   */
  private boolean hedgeAfterFailureLocked(CsAttempt a, Status status, Metadata trailers,
      boolean mayHedge) {
    // Called only when readPolicyLocked() made a hedging state.
    HedgingState hedging = Objects.requireNonNull(this.hedging, "hedging");
    long delay = mayHedge ? hedging.onAttemptFailed(status, trailers) : HedgingState.FATAL;
    if (delay == HedgingState.FATAL) {
      commitLocked(a);
      return true;
    }
    lastFailure = status;
    lastFailureTrailers = trailers;
    if (delay > 0) {
      armHedgeLocked(delay); // the server's pushback
      return false;
    }
    if (delay == 0) {
      CsAttempt h = hedgeLocked();
      if (h != null) {
        return true;
      }
    }
    if (!live.isEmpty()) {
      return false;
    }
    commitLocked(a);
    return true;
  }
}
