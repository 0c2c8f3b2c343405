package dev.grpcspring.interop;

import com.google.protobuf.ByteString;
import dev.grpcspring.Status;
import dev.grpcspring.interop.testing.Payload;
import dev.grpcspring.interop.testing.PayloadType;
import dev.grpcspring.interop.testing.ResponseParameters;
import dev.grpcspring.interop.testing.StreamingOutputCallResponse;
import dev.grpcspring.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The responses of one streaming test call, sent strictly in the order they were asked for, each
 * after its {@code interval_us}, and only while the call is ready for more (flow control). Waiting
 * happens on a scheduler or in the call's onReady, never on the thread that delivered the request,
 * so a slow stream never holds up the server's executor.
 *
 * <p>Every touch of the response observer happens under this object's lock: requests arrive on the
 * server's executor, delayed sends run on the scheduler, and a server call must not be used from two
 * threads at once.
 */
final class ResponseStream {
  private static final Logger logger = Logger.getLogger(ResponseStream.class.getName());

  private final ServerCallStreamObserver<StreamingOutputCallResponse> observer;
  private final ScheduledExecutorService scheduler;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  /** A delayed send is waiting on the scheduler. */
  private ScheduledFuture<?> pending;
  /** The client will send no more requests. */
  private boolean inputDone;
  /** The call has ended: status sent, or cancelled. Nothing more goes out. */
  private boolean finished;

  ResponseStream(
      ServerCallStreamObserver<StreamingOutputCallResponse> observer,
      ScheduledExecutorService scheduler) {
    this.observer = observer;
    this.scheduler = scheduler;
    // Responses are compressed only when a request asks for it, message by message; the call
    // offers gzip so that it can (the client decides whether it accepts gzip at all).
    observer.setCompression("gzip");
    observer.setOnCancelHandler(this::cancelled);
    // Respect flow control: when the transport is backed up, stop and resume once it drains.
    observer.setOnReadyHandler(this::resume);
  }

  /** Queues one response per parameter entry, after whatever is already queued. */
  synchronized void enqueue(Iterable<ResponseParameters> parameters) {
    if (finished) {
      return; // The call already ended; a late request has nothing left to answer.
    }
    for (ResponseParameters p : parameters) {
      if (p.getSize() < 0 || p.getIntervalUs() < 0) {
        failNow(Status.INVALID_ARGUMENT.withDescription(
            "response_parameters need size >= 0 and interval_us >= 0, got size " + p.getSize()
                + " and interval_us " + p.getIntervalUs()));
        return;
      }
      queue.add(p);
    }
    drain();
  }

  /** Ends the call with {@code status} once the responses queued before it have gone out. */
  synchronized void enqueueStatus(Status status) {
    if (finished) {
      return;
    }
    queue.add(status);
    drain();
  }

  /** The client half-closed: complete once the queue is empty. */
  synchronized void inputDone() {
    inputDone = true;
    drain();
  }

  /** Ends the call now with {@code status}, dropping what is queued. */
  synchronized void failNow(Status status) {
    if (finished) {
      return;
    }
    finished = true;
    queue.clear();
    cancelPending();
    observer.onError(status.asException());
  }

  /** The client's request stream failed (cancellation, deadline, or a broken request). */
  synchronized void requestStreamFailed(Throwable t) {
    logger.log(Level.FINE, "request stream ended with an error", t);
    finished = true;
    queue.clear();
    cancelPending();
  }

  private synchronized void cancelled() {
    finished = true;
    queue.clear();
    cancelPending();
  }

  private void cancelPending() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }

  /** Sends what can go now; schedules the next send that must wait. Holds the lock. */
  private void drain() {
    while (!finished && pending == null) {
      Object head = queue.peek();
      if (head == null) {
        if (inputDone) {
          finished = true;
          observer.onCompleted();
        }
        return;
      }
      if (head instanceof Status status) {
        queue.poll();
        finished = true;
        queue.clear();
        if (status.isOk()) {
          observer.onCompleted();
        } else {
          observer.onError(status.asException());
        }
        return;
      }
      ResponseParameters p = (ResponseParameters) head;
      if (p.getIntervalUs() > 0) {
        // Clear the interval so that the entry is sent, not delayed again, when the timer fires.
        queue.poll();
        queue.addFirst(p.toBuilder().setIntervalUs(0).build());
        pending = scheduler.schedule(this::sendDelayed, p.getIntervalUs(), TimeUnit.MICROSECONDS);
        return;
      }
      if (!observer.isReady()) {
        return; // resume() continues once the call can take more.
      }
      queue.poll();
      send(p);
    }
  }

  private synchronized void resume() {
    drain();
  }

  private synchronized void sendDelayed() {
    pending = null;
    try {
      drain();
    } catch (RuntimeException e) {
      // Nobody up the stack would see this: end the call instead of leaving it hanging.
      logger.log(Level.WARNING, "sending a delayed response failed", e);
      failNow(Status.INTERNAL.withDescription("sending a response failed: " + e).withCause(e));
    }
  }

  private void send(ResponseParameters p) {
    observer.setMessageCompression(p.hasCompressed() && p.getCompressed().getValue());
    observer.onNext(StreamingOutputCallResponse.newBuilder()
        .setPayload(zeros(p.getSize()))
        .build());
  }

  /** A payload of {@code size} zero bytes: the COMPRESSABLE kind. */
  static Payload zeros(int size) {
    return Payload.newBuilder()
        .setType(PayloadType.COMPRESSABLE)
        .setBody(size == 0 ? ByteString.EMPTY : ByteString.copyFrom(new byte[size]))
        .build();
  }
}
