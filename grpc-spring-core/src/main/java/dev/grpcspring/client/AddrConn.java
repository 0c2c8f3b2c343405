package dev.grpcspring.client;

import dev.grpcspring.ConnectivityState;
import dev.grpcspring.Status;
import dev.grpcspring.balancer.SubConn;
import dev.grpcspring.balancer.SubConnState;
import dev.grpcspring.balancer.SubConnStateListener;
import dev.grpcspring.channelz.ChannelTrace;
import dev.grpcspring.channelz.SocketEntity;
import dev.grpcspring.channelz.SubchannelEntity;
import dev.grpcspring.internal.ExponentialBackoff;
import dev.grpcspring.resolver.Address;
import dev.grpcspring.transport.ClientTransportListener;
import dev.grpcspring.transport.ClientTransportOptions;
import dev.grpcspring.transport.Http2ClientTransport;
import dev.grpcspring.transport.inprocess.InProcessClientTransport;
import dev.grpcspring.transport.inprocess.InProcessSocketAddress;
import dev.grpcspring.transport.ClientTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A subchannel (grpc-go's {@code addrConn}): one logical connection over a list of addresses. When
 * asked to connect it tries the addresses in order, each with a connect deadline of {@code
 * max(backoff, minConnectTimeout)}; a round in which all fail reports TRANSIENT_FAILURE and waits
 * an exponential, jittered backoff before going IDLE, ready for the next attempt. READY is reported
 * only once the server's SETTINGS arrive, and that resets the backoff. When a ready connection is
 * lost or receives GOAWAY the subchannel goes IDLE at once, so new calls wait for a new connection
 * while the old one's calls finish. State changes reach the listener through the channel's
 * callback serializer, in order.
 */
final class AddrConn implements SubConn {
  private static final Logger log = Logger.getLogger(AddrConn.class.getName());

  private final ClientConn cc;
  private final SubConnStateListener listener;
  private final ExponentialBackoff backoff;
  /** Every transport not yet terminated, so that shutdown can reach them. */
  private final Set<ClientTransport> transports = ConcurrentHashMap.newKeySet();

  // Guarded by this.
  private List<Address> addresses;
  private ConnectivityState state = ConnectivityState.IDLE;
  private ClientTransport connecting;
  private Address connectingAddress;
  private int addressIndex;
  private long connectDeadlineNanos;
  private long backoffDeadlineNanos;
  private ScheduledFuture<?> connectTimer;
  private ScheduledFuture<?> backoffTimer;
  private int failedRounds;
  private Status lastError = Status.OK;
  private Address connectedAddress;
  private volatile ClientTransport ready;
  private final SubchannelEntity channelzEntity;

  AddrConn(ClientConn cc, List<Address> addresses, SubConnStateListener listener,
      ExponentialBackoff backoff) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("A subchannel needs at least one address");
    }
    this.cc = cc;
    this.addresses = List.copyOf(addresses);
    this.listener = listener;
    this.backoff = backoff;
    this.channelzEntity = cc.options().channelz().addSubchannel(cc.channelz(),
        () -> describe(getAddresses()), this::state);
  }

  private static String describe(List<Address> addresses) {
    StringBuilder b = new StringBuilder();
    for (Address a : addresses) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(a.socketAddress());
    }
    return b.toString();
  }

  /** This subchannel in channelz. */
  SubchannelEntity channelz() {
    return channelzEntity;
  }

  @Override
  public void connect() {
    synchronized (this) {
      if (state != ConnectivityState.IDLE) {
        return;
      }
      startRound();
    }
  }

  @Override
  public synchronized List<Address> getAddresses() {
    return addresses;
  }

  @Override
  public void updateAddresses(List<Address> next) {
    if (next.isEmpty()) {
      throw new IllegalArgumentException("A subchannel needs at least one address");
    }
    ClientTransport drop = null;
    synchronized (this) {
      addresses = List.copyOf(next);
      if (state == ConnectivityState.READY && !addresses.contains(connectedAddress)) {
        // The connected address is gone: drain that connection and go IDLE for a new one.
        drop = ready;
        ready = null;
        connectedAddress = null;
        setState(ConnectivityState.IDLE, Status.OK);
      } else if (state == ConnectivityState.CONNECTING && !addresses.contains(connectingAddress)) {
        drop = connecting;
        connecting = null;
        cancelTimer(connectTimer);
        startRound();
      }
    }
    if (drop != null) {
      drop.shutdown(Status.UNAVAILABLE.withDescription("Address removed by the resolver"));
    }
  }

  @Override
  public void shutdown() {
    List<ClientTransport> toClose;
    synchronized (this) {
      if (state == ConnectivityState.SHUTDOWN) {
        return;
      }
      cancelTimer(connectTimer);
      cancelTimer(backoffTimer);
      connecting = null;
      ready = null;
      setState(ConnectivityState.SHUTDOWN, Status.OK);
      toClose = new ArrayList<>(transports);
    }
    channelzEntity.close();
    for (ClientTransport t : toClose) {
      // In-flight calls finish; a connection still handshaking is dropped.
      t.shutdown(Status.UNAVAILABLE.withDescription("Subchannel shut down"));
    }
    cc.removeSubConn(this);
  }

  /** Shuts down and fails every call on its transports now (the channel was closed hard). */
  void shutdownNow(Status status) {
    shutdown();
    for (ClientTransport t : new ArrayList<>(transports)) {
      t.shutdownNow(status);
    }
  }

  /** Skips the current backoff wait: reconnect now (grpc-go's {@code resetConnectBackoff}). */
  void resetBackoff() {
    synchronized (this) {
      failedRounds = 0;
      if (state == ConnectivityState.TRANSIENT_FAILURE && backoffTimer != null) {
        cancelTimer(backoffTimer);
        backoffTimer = null;
        startRound();
      }
    }
  }

  /** The connection calls may use, or null when not READY. */
  ClientTransport readyTransport() {
    return ready;
  }

  synchronized ConnectivityState state() {
    return state;
  }

  // ---- connecting (all under this) ----

  private void startRound() {
    addressIndex = 0;
    long backoffNanos = backoff.backoffNanos(failedRounds);
    connectDeadlineNanos = System.nanoTime() + backoff.connectTimeoutNanos(backoffNanos);
    // The next round may start no sooner than the backoff after this one started.
    backoffDeadlineNanos = System.nanoTime() + backoffNanos;
    setState(ConnectivityState.CONNECTING, Status.OK);
    tryNextAddress();
  }

  private void tryNextAddress() {
    if (addressIndex >= addresses.size()) {
      roundFailed();
      return;
    }
    Address addr = addresses.get(addressIndex++);
    long remaining = connectDeadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      remaining = TimeUnit.MILLISECONDS.toNanos(1);
    }
    String authority = addr.authority() != null ? addr.authority() : cc.authority();
    Listener l = new Listener(addr);
    ClientTransportOptions options = cc.transportOptions().withConnectTimeoutMillis(
        (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining) + 1));
    ClientTransport t = addr.socketAddress() instanceof InProcessSocketAddress inProcess
        ? new InProcessClientTransport(inProcess, authority, options, l)
        : new Http2ClientTransport(addr.socketAddress(), authority, options, l);
    l.transport = t;
    l.socket = cc.options().channelz().addClientSocket(channelzEntity,
        String.valueOf(addr.socketAddress()), t.channelzView());
    connecting = t;
    connectingAddress = addr;
    transports.add(t);
    cancelTimer(connectTimer);
    connectTimer = cc.scheduler().schedule(() -> connectTimedOut(t), remaining, TimeUnit.NANOSECONDS);
    t.start();
  }

  private void roundFailed() {
    connecting = null;
    connectingAddress = null;
    failedRounds++;
    setState(ConnectivityState.TRANSIENT_FAILURE, lastError);
    long wait = Math.max(0, backoffDeadlineNanos - System.nanoTime());
    backoffTimer = cc.scheduler().schedule(this::backoffDone, wait, TimeUnit.NANOSECONDS);
  }

  private void backoffDone() {
    synchronized (this) {
      if (state != ConnectivityState.TRANSIENT_FAILURE) {
        return;
      }
      backoffTimer = null;
      // grpc-go's addrConn goes IDLE after the backoff; the balancer decides when to connect.
      setState(ConnectivityState.IDLE, Status.OK);
    }
  }

  private void connectTimedOut(ClientTransport t) {
    synchronized (this) {
      if (connecting != t) {
        return;
      }
    }
    t.shutdownNow(Status.UNAVAILABLE.withDescription(
        "Connection to " + t.remoteAddress() + " was not ready within the connect timeout"));
  }

  private void setState(ConnectivityState next, Status error) {
    if (state == next && next != ConnectivityState.TRANSIENT_FAILURE) {
      return;
    }
    state = next;
    if (error.isOk()) {
      channelzEntity.trace().add("Subchannel state changed to " + next, ChannelTrace.Severity.INFO);
    } else {
      channelzEntity.trace().add("Subchannel state changed to " + next + ": " + error.getCode()
          + (error.getDescription() == null ? "" : ", " + error.getDescription()),
          ChannelTrace.Severity.WARNING);
    }
    SubConnState update = new SubConnState(next, error);
    if (!cc.serializer().trySchedule(() -> listener.onStateChange(update))) {
      log.log(Level.FINE, "Channel closed; dropping subchannel state {0}", next);
    }
  }

  private static void cancelTimer(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Events of one transport this subchannel made. */
  private final class Listener implements ClientTransportListener {
    private final Address address;
    /** Set right after the transport is made, before it starts. */
    private ClientTransport transport;
    private SocketEntity socket;

    Listener(Address address) {
      this.address = address;
    }

    @Override
    public void transportReady() {
      ClientTransport t = transport;
      boolean drop = false;
      synchronized (AddrConn.this) {
        if (state == ConnectivityState.CONNECTING && connecting == t) {
          cancelTimer(connectTimer);
          connecting = null;
          connectingAddress = null;
          failedRounds = 0;
          lastError = Status.OK;
          connectedAddress = address;
          ready = t;
          setState(ConnectivityState.READY, Status.OK);
        } else {
          drop = true; // shut down or superseded while handshaking
        }
      }
      if (drop) {
        t.shutdown(Status.UNAVAILABLE.withDescription("Subchannel no longer wants this connection"));
      }
    }

    @Override
    public void transportShutdown(Status status) {
      ClientTransport t = transport;
      synchronized (AddrConn.this) {
        if (connecting == t) {
          cancelTimer(connectTimer);
          lastError = status;
          connecting = null;
          if (state == ConnectivityState.CONNECTING) {
            tryNextAddress();
          }
        } else if (ready == t) {
          ready = null;
          connectedAddress = null;
          if (state == ConnectivityState.READY) {
            setState(ConnectivityState.IDLE, Status.OK);
          }
        }
      }
    }

    @Override
    public void transportTerminated() {
      transports.remove(transport);
      socket.close();
    }

  }
}
