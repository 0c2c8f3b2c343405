package dev.grpcspring.client;

import dev.grpcspring.Code;
import dev.grpcspring.ConnectivityState;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.credentials.PerRpcCredentials;
import dev.grpcspring.health.v1.HealthCheckRequest;
import dev.grpcspring.health.v1.HealthCheckResponse;
import dev.grpcspring.health.v1.HealthGrpc;
import dev.grpcspring.internal.ExponentialBackoff;
import dev.grpcspring.protocol.CallHeader;
import dev.grpcspring.transport.ClientStreamListener;
import dev.grpcspring.transport.ClientTransport;
import dev.grpcspring.transport.ClientTransportStream;
import dev.grpcspring.protocol.GrpcHeaders;
import dev.grpcspring.protocol.MessageFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Client-side health checking of one connection (gRFC A17): a {@code grpc.health.v1.Health/Watch}
 * stream for one service name, opened on the connection itself rather than through a pick, so it
 * always asks the backend it judges. Each response becomes a state for the subchannel: READY while
 * SERVING, TRANSIENT_FAILURE with the status otherwise. A stream that ends with UNIMPLEMENTED means
 * the backend has no health service: it counts as healthy and the watch stops. A stream that ends
 * any other way is TRANSIENT_FAILURE and is opened again, at once if it had delivered a response,
 * else after an exponential backoff; the new stream reports CONNECTING until it answers. The
 * channel's per-RPC credentials go with the stream (A17); its interceptors do not, as the stream is
 * not an application call.
 *
 * <p>The watcher never calls its {@link Listener} while holding its own lock, so the subchannel may
 * stop it under the subchannel's lock.
 */
final class HealthWatch {
  /** Where a watch reports; called on transport or timer threads, one report at a time. */
  interface Listener {
    /** The backend's health as a subchannel state: READY, CONNECTING or TRANSIENT_FAILURE. */
    void healthChanged(HealthWatch watch, ConnectivityState state, Status reason);

    /** The backend answered UNIMPLEMENTED: it has no health service; the watch has stopped. */
    void healthUnimplemented(HealthWatch watch, Status status);
  }

  private static final CharSequence PATH = GrpcHeaders.path(HealthGrpc.getWatchMethod());
  /** Health responses are a few bytes; anything near this is not a health response. */
  private static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  private final ClientTransport transport;
  private final String serviceName;
  private final Listener listener;
  private final ExponentialBackoff backoff;
  private final ScheduledExecutorService scheduler;
  private final String userAgent;
  /** Whether the channel's connections are TLS, for the request's {@code :scheme}. */
  private final boolean secure;
  private final List<PerRpcCredentials> credentials;
  private final PerRpcCredentials.RequestInfo requestInfo;

  private final Object lock = new Object();
  // Guarded by lock.
  private boolean stopped;
  private @Nullable ClientTransportStream stream;
  private @Nullable ScheduledFuture<?> retryTimer;
  /** Streams in a row that ended without a response: the backoff exponent. */
  private int failedStreams;

  HealthWatch(ClientConn cc, ClientTransport transport, String serviceName, Listener listener,
      ExponentialBackoff backoff) {
    this.transport = transport;
    this.serviceName = serviceName;
    this.listener = listener;
    this.backoff = backoff;
    this.scheduler = cc.scheduler();
    this.userAgent = cc.userAgent();
    this.secure = cc.credentials().isSecure();
    this.credentials = cc.channelCredentials();
    this.requestInfo = new PerRpcCredentials.RequestInfo(transport.authority(),
        HealthGrpc.getWatchMethod().getFullMethodName(),
        cc.credentials().securityProtocol(),
        cc.credentials().securityLevel());
  }

  /** The service name this watch asks about ({@code ""} is the whole server). */
  String serviceName() {
    return serviceName;
  }

  /** Opens the first stream. */
  void start() {
    openStream();
  }

  /** Cancels the stream and any pending retry; no report follows. */
  void stop() {
    ClientTransportStream s;
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
      s = stream;
      stream = null;
      if (retryTimer != null) {
        retryTimer.cancel(false);
      }
    }
    if (s != null) {
      s.cancel(Status.CANCELLED.withDescription("Health check no longer needed"));
    }
  }

  private void openStream() {
    if (credentials.isEmpty()) {
      openStream(new Metadata());
      return;
    }
    PerRpcCredentialsFetch.fetch(credentials, requestInfo).whenComplete((md, err) -> {
      if (err != null) {
        streamEnded(PerRpcCredentialsFetch.statusOf(err)
            .augmentDescription("fetching per-RPC credentials for the health check"), false);
      } else {
        openStream(md);
      }
    });
  }

  private void openStream(Metadata metadata) {
    ByteBuf request;
    try {
      request = new MessageFramer(ByteBufAllocator.DEFAULT, Integer.MAX_VALUE).frame(
          HealthCheckRequest.newBuilder().setService(serviceName).build(),
          HealthGrpc.getWatchMethod().getRequestMarshaller());
    } catch (StatusException e) {
      // A request of one short string always frames; if it does not, say so and retry later.
      streamEnded(e.getStatus(), false);
      return;
    }
    StreamListener l = new StreamListener();
    ClientTransportStream s;
    synchronized (lock) {
      if (stopped) {
        request.release();
        return;
      }
      // No grpc-accept-encoding: health responses are tiny and need no compression.
      CallHeader header = new CallHeader(PATH, transport.authority(), null, null, null, null,
          userAgent, metadata);
      s = transport.newStream(l, MAX_RESPONSE_BYTES, true);
      header.writeTo(s.requestHeaders(), secure);
      s.start();
      l.stream = s;
      stream = s;
    }
    // Outside the lock: an in-process server may answer on this thread, and answers reach the
    // listener, which must never be called under the lock. A stop in between cancelled the stream,
    // which then drops these.
    s.writeMessage(request, false);
    s.halfClose();
    s.request(1);
  }

  /** A stream ended (or could not start): report and schedule the next one. */
  private void streamEnded(Status status, boolean gotResponse) {
    long delayNanos;
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stream = null;
      if (gotResponse) {
        failedStreams = 0;
      }
      delayNanos = gotResponse ? 0 : backoff.backoffNanos(failedStreams++);
    }
    if (status.getCode() == Code.UNIMPLEMENTED) {
      synchronized (lock) {
        stopped = true;
      }
      listener.healthUnimplemented(this, status);
      return;
    }
    listener.healthChanged(this, ConnectivityState.TRANSIENT_FAILURE, Status.UNAVAILABLE
        .withDescription("Health check stream for service '" + serviceName + "' ended with "
            + status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription())
            + "; retrying")
        .withCause(status.getCause()));
    synchronized (lock) {
      if (stopped) {
        return;
      }
      retryTimer = scheduler.schedule(this::retry, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void retry() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      retryTimer = null;
    }
    listener.healthChanged(this, ConnectivityState.CONNECTING, Status.OK);
    openStream();
  }

  private void response(HealthCheckResponse response) {
    HealthCheckResponse.ServingStatus s = response.getStatus();
    if (s == HealthCheckResponse.ServingStatus.SERVING) {
      listener.healthChanged(this, ConnectivityState.READY, Status.OK);
    } else {
      listener.healthChanged(this, ConnectivityState.TRANSIENT_FAILURE, Status.UNAVAILABLE
          .withDescription("Backend " + transport.remoteAddress() + " reports " + s
              + " for health-checked service '" + serviceName + "'"));
    }
  }

  /** Events of one Watch stream; those of a stream no longer current are ignored. */
  private final class StreamListener implements ClientStreamListener {
    /** Set right after the stream is made, before it can deliver anything. */
    volatile @Nullable ClientTransportStream stream;
    private boolean gotResponse;

    private boolean current() {
      synchronized (lock) {
        return !stopped && HealthWatch.this.stream == stream;
      }
    }

    @Override
    public void onHeaders(Metadata headers) {}

    @Override
    public void onMessage(ByteBuf message) {
      HealthCheckResponse response;
      try (ByteBufInputStream in = new ByteBufInputStream(message, true)) {
        response = HealthCheckResponse.parseFrom(in);
      } catch (IOException e) {
        stream().cancel(Status.INTERNAL.withDescription("Unparseable health check response: " + e)
            .withCause(e));
        return;
      }
      if (!current()) {
        return;
      }
      gotResponse = true;
      response(response);
      stream().request(1);
    }

    /** The stream; set before it can deliver anything, so always set in its callbacks. */
    private ClientTransportStream stream() {
      return Objects.requireNonNull(stream, "stream");
    }

    @Override
    public void onReady() {}

    @Override
    public void onClose(Status status, Metadata trailers, RpcProgress progress) {
      if (current()) {
        streamEnded(status.isOk()
            ? Status.UNAVAILABLE.withDescription("the server ended the Watch stream with OK") : status,
            gotResponse);
      }
    }
  }
}
