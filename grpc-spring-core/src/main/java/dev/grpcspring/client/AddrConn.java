package dev.grpcspring.client;

import dev.grpcspring.ConnectivityState;
import dev.grpcspring.Status;
import dev.grpcspring.balancer.SubConn;
import dev.grpcspring.balancer.SubConnState;
import dev.grpcspring.balancer.SubConnStateListener;
import dev.grpcspring.channelz.ChannelTrace;
import dev.grpcspring.channelz.SocketEntity;
import dev.grpcspring.channelz.SubchannelEntity;
import dev.grpcspring.inprocess.InProcessSocketAddress;
import dev.grpcspring.internal.ExponentialBackoff;
import dev.grpcspring.resolver.Address;
import dev.grpcspring.transport.ClientTransport;
import dev.grpcspring.transport.ClientTransportListener;
import dev.grpcspring.transport.ClientTransportOptions;
import dev.grpcspring.transport.Http2Client;
import dev.grpcspring.transport.inprocess.InProcessClientTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A subchannel (grpc-go's {@code addrConn}): one logical connection over a list of addresses. When
 * asked to connect it tries the addresses in order, each with a connect deadline of {@code
 * max(backoff, minConnectTimeout)}; a round in which all fail reports TRANSIENT_FAILURE and waits
 * an exponential, jittered backoff before going IDLE, ready for the next attempt. READY is reported
 * only once the server's SETTINGS arrive, and that resets the backoff. When a ready connection is
 * lost or receives GOAWAY the subchannel goes IDLE at once, so new calls wait for a new connection
 * while the old one's calls finish. State changes reach the listener through the channel's
 * callback serializer, in order.
 *
 * <p>With health checking on (the balancer asked for it, the service config names a service, the
 * dial options do not disable it), a new connection is not reported READY at once: a {@link
 * HealthWatch} asks the backend, and the state reported to the balancer (and shown in channelz) is
 * CONNECTING until the first answer, then READY while the backend is SERVING and
 * TRANSIENT_FAILURE, with the reason, while it is not (gRFC A17). The connection itself stays up
 * either way: only the balancer's view changes.
 */
final class AddrConn implements SubConn, HealthWatch.Listener {
  private static final Logger log = Logger.getLogger(AddrConn.class.getName());

  private final ClientConn cc;
  private final SubConnStateListener listener;
  private final ExponentialBackoff backoff;
  private final boolean healthCheckEnabled;
  /** Every transport not yet terminated, so that shutdown can reach them. */
  private final Set<ClientTransport> transports = ConcurrentHashMap.newKeySet();

  // Guarded by this.
  private List<Address> addresses;
  private ConnectivityState state = ConnectivityState.IDLE;
  private @Nullable ClientTransport connecting;
  private @Nullable Address connectingAddress;
  private int addressIndex;
  private long connectDeadlineNanos;
  private long backoffDeadlineNanos;
  private @Nullable ScheduledFuture<?> connectTimer;
  private @Nullable ScheduledFuture<?> backoffTimer;
  private int failedRounds;
  private Status lastError = Status.OK;
  private @Nullable Address connectedAddress;
  private volatile @Nullable ClientTransport ready;
  /** What the listener last heard: the state, or the health state while READY and watched. */
  private ConnectivityState reported = ConnectivityState.IDLE;
  /** The watch of the ready connection, or null; stopped whenever the state leaves READY. */
  private @Nullable HealthWatch health;
  /** The service name checked on the ready connection; null when it is not checked. */
  private @Nullable String healthServiceName;
  private @Nullable ConnectivityState healthState;
  private boolean unimplementedLogged;
  private final SubchannelEntity channelzEntity;

  AddrConn(ClientConn cc, List<Address> addresses, SubConnStateListener listener,
      ExponentialBackoff backoff, boolean healthCheckEnabled) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("A subchannel needs at least one address");
    }
    this.cc = cc;
    this.addresses = List.copyOf(addresses);
    this.listener = listener;
    this.backoff = backoff;
    this.healthCheckEnabled = healthCheckEnabled;
    this.channelzEntity = cc.options().channelz().addSubchannel(cc.channelz(),
        () -> describe(getAddresses()), this::reportedState);
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
  @Nullable ClientTransport readyTransport() {
    return ready;
  }

  synchronized ConnectivityState state() {
    return state;
  }

  /** The state the balancer sees: while READY and health-checked, the backend's health. */
  synchronized ConnectivityState reportedState() {
    return reported;
  }

  // ---- health checking ----

  /**
   * The service config changed: starts, stops or replaces the health watch of a ready connection
   * when the service name to check changed. The balancer keeps its current view of this
   * subchannel until the new watch answers.
   */
  void healthConfigChanged() {
    HealthWatch started;
    synchronized (this) {
      if (state != ConnectivityState.READY) {
        return;
      }
      String name = healthCheckEnabled ? cc.serviceConfigs().healthCheckServiceName() : null;
      if (Objects.equals(name, healthServiceName)) {
        return;
      }
      stopHealthWatch();
      // READY is set together with ready, in transportReady.
      started = startHealthWatch(Objects.requireNonNull(ready, "ready transport"), name);
      if (started == null) {
        report(ConnectivityState.READY, Status.OK);
      }
    }
    if (started != null) {
      started.start();
    }
  }

  /** Makes (not starts) the watch for {@code name}; null when {@code name} is null. */
  private @Nullable HealthWatch startHealthWatch(ClientTransport t, @Nullable String name) {
    healthServiceName = name;
    if (name == null) {
      return null;
    }
    channelzEntity.trace().add("Health checking service '" + name + "' on " + t.remoteAddress(),
        ChannelTrace.Severity.INFO);
    health = new HealthWatch(cc, t, name, this, backoff);
    return health;
  }

  private void stopHealthWatch() {
    HealthWatch h = health;
    health = null;
    healthServiceName = null;
    healthState = null;
    if (h != null) {
      h.stop(); // calls nothing back, so safe under this lock
    }
  }

  @Override
  public void healthChanged(HealthWatch watch, ConnectivityState next, Status reason) {
    synchronized (this) {
      if (health != watch || state != ConnectivityState.READY) {
        return;
      }
      healthState = next;
      report(next, reason);
    }
  }

  @Override
  public void healthUnimplemented(HealthWatch watch, Status status) {
    boolean firstTime;
    synchronized (this) {
      if (health != watch || state != ConnectivityState.READY) {
        return;
      }
      health = null; // healthServiceName stays: a config update naming it again changes nothing
      healthState = null;
      firstTime = !unimplementedLogged;
      unimplementedLogged = true;
      channelzEntity.trace().add("Health check of service '" + watch.serviceName() + "' is "
          + "UNIMPLEMENTED by the backend; treating it as healthy", ChannelTrace.Severity.WARNING);
      report(ConnectivityState.READY, Status.OK);
    }
    if (firstTime) {
      log.warning("Backend " + describe(getAddresses()) + " of " + cc.target() + " has no "
          + "grpc.health.v1.Health/Watch (UNIMPLEMENTED: " + status.getDescription() + "); "
          + "treating it as healthy. Serve the health service there, or remove healthCheckConfig "
          + "from the service config");
    }
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
        : new Http2Client(addr.socketAddress(), authority, options, l);
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
    if (next != ConnectivityState.READY) {
      stopHealthWatch();
    }
    report(next == ConnectivityState.READY && healthState != null ? healthState : next, error);
  }

  /** Tells the listener (and channelz) of the state the balancer should see. */
  private void report(ConnectivityState next, Status error) {
    if (reported == next && next != ConnectivityState.TRANSIENT_FAILURE) {
      return;
    }
    reported = next;
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

  private static void cancelTimer(@Nullable ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Events of one transport this subchannel made. */
  private final class Listener implements ClientTransportListener {
    private final Address address;
    /** Set right after the transport is made, before it starts. */
    private @Nullable ClientTransport transport;
    private @Nullable SocketEntity socket;

    Listener(Address address) {
      this.address = address;
    }

    @Override
    public void transportReady() {
      ClientTransport t = transport();
      boolean drop = false;
      HealthWatch watch = null;
      synchronized (AddrConn.this) {
        if (state == ConnectivityState.CONNECTING && connecting == t) {
          cancelTimer(connectTimer);
          connecting = null;
          connectingAddress = null;
          failedRounds = 0;
          lastError = Status.OK;
          connectedAddress = address;
          ready = t;
          watch = startHealthWatch(t,
              healthCheckEnabled ? cc.serviceConfigs().healthCheckServiceName() : null);
          healthState = watch == null ? null : ConnectivityState.CONNECTING;
          setState(ConnectivityState.READY, Status.OK);
        } else {
          drop = true; // shut down or superseded while handshaking
        }
      }
      if (drop) {
        t.shutdown(Status.UNAVAILABLE.withDescription("Subchannel no longer wants this connection"));
      } else if (watch != null) {
        watch.start();
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
      // Set with transport, before it starts, so before it can terminate.
      Objects.requireNonNull(socket, "socket").close();
    }

    /** The transport; set before it starts, so before any of its events. */
    private ClientTransport transport() {
      return Objects.requireNonNull(transport, "transport");
    }

  }
}
