package dev.grpcspring.etcd;

import com.google.protobuf.ByteString;
import dev.grpcspring.Code;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.etcd.v3.DeleteRangeRequest;
import dev.grpcspring.etcd.v3.KVGrpc;
import dev.grpcspring.etcd.v3.LeaseGrantRequest;
import dev.grpcspring.etcd.v3.LeaseGrantResponse;
import dev.grpcspring.etcd.v3.LeaseKeepAliveRequest;
import dev.grpcspring.etcd.v3.LeaseGrpc;
import dev.grpcspring.etcd.v3.LeaseKeepAliveResponse;
import dev.grpcspring.etcd.v3.LeaseRevokeRequest;
import dev.grpcspring.etcd.v3.PutRequest;
import dev.grpcspring.internal.ExponentialBackoff;
import dev.grpcspring.resolver.HostPort;
import dev.grpcspring.stub.ClientCallStreamObserver;
import dev.grpcspring.stub.ClientResponseObserver;
import dev.grpcspring.stub.StreamObserver;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Registers a server's addresses in etcd the way grpc-go's etcd naming does, so that {@code
 * etcd:///<service>} clients (ours or grpc-go's) find it: one lease of {@code ttl}, one key
 * {@code <keyPrefix><service>/<host:port>} per address holding {@link EtcdEndpoint} JSON, attached
 * to the lease and kept alive every ttl/3 on one LeaseKeepAlive stream.
 *
 * <ul>
 *   <li>If the process dies, the keepalives stop and etcd deletes the keys when the lease expires
 *       (at most {@code ttl} later; etcd raises TTLs below its minimum, about 2 s).
 *   <li>If etcd says the lease is gone, or the stream or a call fails, it grants a new lease and
 *       writes the keys again, after a backoff (1 s growing to 30 s).
 *   <li>{@link #deregister()} deletes the keys and revokes the lease, waiting at most the
 *       deregister timeout (1 s by default) for etcd: an etcd that is down or hung holds up no
 *       server shutdown for longer, and the keys then go when the lease expires. Run it before
 *       the server sends GOAWAY, as a {@link dev.grpcspring.server.ServerBuilder#addShutdownHook
 *       shutdown hook}, so clients stop picking it before it stops taking calls.
 * </ul>
 *
 * Thread-safe.
 */
public final class EtcdRegistration implements AutoCloseable {
  private static final Logger log = Logger.getLogger(EtcdRegistration.class.getName());
  /**
   * How long {@link #deregister()} waits for etcd unless told otherwise: ample for a delete and a
   * revoke on a live cluster, short enough not to stall a shutdown when etcd is gone.
   */
  public static final Duration DEFAULT_DEREGISTER_TIMEOUT = Duration.ofSeconds(1);
  private static final ExponentialBackoff BACKOFF =
      ExponentialBackoff.newBuilder().maxBackoff(Duration.ofSeconds(30)).build();

  private final EtcdClient client;
  private final String service;
  private final String keyPrefix;
  private final Duration ttl;
  private final @Nullable Object metadata;
  private final @Nullable String advertiseHost;
  private final Duration deregisterTimeout;
  private final ScheduledExecutorService timers;

  private final Object lock = new Object();
  private List<Entry> entries = List.of(); // guarded by lock
  private boolean started; // guarded by lock
  private boolean closed; // guarded by lock
  private int generation; // guarded by lock
  private long leaseId; // guarded by lock
  private boolean registered; // guarded by lock
  private int failures; // guarded by lock
  private @Nullable ClientCallStreamObserver<LeaseKeepAliveRequest> keepAliveCall; // guarded by lock
  private @Nullable Future<?> timer; // guarded by lock

  private EtcdRegistration(Builder b) {
    this.client = b.client;
    this.service = b.service;
    this.keyPrefix = b.keyPrefix;
    this.ttl = b.ttl;
    this.metadata = b.metadata;
    this.advertiseHost = b.advertiseHost;
    this.deregisterTimeout = b.deregisterTimeout;
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
        new DefaultThreadFactory("grpc-etcd-registration", true));
    t.setRemoveOnCancelPolicy(true);
    this.timers = t;
  }

  /**
   * A registration of {@code service} (the path of {@code etcd:///<service>}) with {@code
   * client}; nothing is written until {@link #register}.
   */
  public static Builder newBuilder(EtcdClient client, String service) {
    return new Builder(client, service);
  }

  /**
   * Registers these addresses (a started server's {@link dev.grpcspring.server.Server#getListenAddresses()}):
   * wildcard addresses are advertised as the configured host; in-process and Unix addresses are
   * skipped. Returns at once; the keys appear as soon as etcd answers.
   *
   * @throws IllegalArgumentException when no TCP address is left to register
   * @throws IllegalStateException when already registered or deregistered
   */
  public EtcdRegistration register(List<? extends SocketAddress> addresses) {
    List<String> hostPorts = new ArrayList<>();
    for (SocketAddress a : addresses) {
      if (a instanceof InetSocketAddress inet) {
        String host = inet.getAddress() != null && inet.getAddress().isAnyLocalAddress()
            ? advertiseHost() : inet.getHostString();
        hostPorts.add(HostPort.format(host, inet.getPort()));
      }
    }
    return registerHostPorts(hostPorts);
  }

  /** Registers {@code host:port} strings as they are; see {@link #register(List)}. */
  public EtcdRegistration registerHostPorts(List<String> hostPorts) {
    if (hostPorts.isEmpty()) {
      throw new IllegalArgumentException("Nothing to register in etcd for service '" + service
          + "': the server has no TCP address");
    }
    List<Entry> list = new ArrayList<>();
    for (String hostPort : hostPorts) {
      String key = keyPrefix + service + "/" + hostPort;
      list.add(new Entry(ByteString.copyFromUtf8(key),
          ByteString.copyFromUtf8(new EtcdEndpoint(hostPort, metadata).toJson())));
    }
    synchronized (lock) {
      if (started || closed) {
        throw new IllegalStateException(closed ? "This registration was deregistered" : "Already registered");
      }
      started = true;
      entries = List.copyOf(list);
      grantLocked();
    }
    return this;
  }

  /** The keys this registration writes (after {@link #register}). */
  public List<String> keys() {
    synchronized (lock) {
      return entries.stream().map(e -> e.key().toStringUtf8()).toList();
    }
  }

  /** Whether the keys are in etcd with a live lease, as far as this registration knows. */
  public boolean isRegistered() {
    synchronized (lock) {
      return registered;
    }
  }

  /**
   * Stops the keepalives, deletes the keys and revokes the lease, waiting at most the deregister
   * timeout for etcd. If etcd does not confirm in time (down, hung, unreachable), this says so in
   * a warning and returns: the lease expires on its own within the TTL. Idempotent.
   */
  public void deregister() {
    long lease;
    List<Entry> keys;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      generation++;
      lease = registered || leaseId != 0 ? leaseId : 0;
      keys = entries;
      registered = false;
      cancelLocked("deregistering");
    }
    timers.shutdownNow();
    if (lease == 0) {
      return;
    }
    // Deletes and revoke at once (the revoke alone would delete the keys; the deletes make them go
    // even if the lease is somehow not ours any more), each bounded by the timeout, so that the
    // wait below is the only wait.
    long timeoutMillis = deregisterTimeout.toMillis();
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (Entry e : keys) {
      calls.add(KVGrpc.newFutureStub(client.channel())
          .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
          .deleteRange(DeleteRangeRequest.newBuilder().setKey(e.key()).build()));
    }
    calls.add(LeaseGrpc.newFutureStub(client.channel())
        .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
        .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build()));
    String names = keys.stream().map(e -> e.key().toStringUtf8()).toList().toString();
    String fallback = "; clients drop this server when its lease expires, within " + ttl.toSeconds() + " s";
    try {
      CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]))
          .get(timeoutMillis, TimeUnit.MILLISECONDS);
      log.log(Level.FINE, "Deregistered {0} from etcd", names);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warning("Interrupted while deregistering " + names + " from etcd" + fallback);
    } catch (TimeoutException e) {
      log.warning(notConfirmed(names, timeoutMillis) + fallback);
    } catch (ExecutionException e) {
      Status status = e.getCause() instanceof StatusException se ? se.getStatus() : null;
      log.warning((status != null && status.getCode() == Code.DEADLINE_EXCEEDED
          ? notConfirmed(names, timeoutMillis)
          : "Could not deregister " + names + " from etcd at " + client.endpoints() + ": "
              + (status != null ? status.getCode() + " " + status.getDescription() : e.getCause()))
          + fallback);
    }
  }

  private String notConfirmed(String names, long timeoutMillis) {
    return "etcd at " + client.endpoints() + " did not confirm the deregistration of " + names
        + " within " + timeoutMillis + " ms (down, hung or unreachable)";
  }

  /**
   * Stops keepalives and retries without telling etcd, as if the process had died: the keys stay
   * until the lease expires. For tests of expiry.
   */
  void halt() {
    synchronized (lock) {
      closed = true;
      generation++;
      registered = false;
      cancelLocked("halted");
    }
    timers.shutdownNow();
  }

  /** {@link #deregister()}. */
  @Override
  public void close() {
    deregister();
  }

  private String advertiseHost() {
    if (advertiseHost != null) {
      return advertiseHost;
    }
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("The server listens on a wildcard address and this host's "
          + "address is unknown (" + e.getMessage() + "); set an advertise host", e);
    }
  }

  private void grantLocked() {
    int gen = ++generation;
    client.leaseFuture()
        .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(Math.max(1, ttl.toSeconds())).build())
        .thenCompose(grant -> putAll(gen, grant))
        .whenComplete((grant, error) -> onRegistered(gen, grant, error));
  }

  private CompletableFuture<LeaseGrantResponse> putAll(int gen, LeaseGrantResponse grant) {
    if (!grant.getError().isEmpty()) {
      throw new CompletionException(new IllegalStateException("etcd refused the lease: " + grant.getError()));
    }
    List<Entry> list;
    synchronized (lock) {
      if (closed || gen != generation) {
        return CompletableFuture.completedFuture(grant);
      }
      leaseId = grant.getID();
      list = entries;
    }
    List<CompletableFuture<?>> puts = new ArrayList<>();
    for (Entry e : list) {
      puts.add(client.kvFuture().put(PutRequest.newBuilder()
          .setKey(e.key()).setValue(e.value()).setLease(grant.getID()).build()));
    }
    return CompletableFuture.allOf(puts.toArray(new CompletableFuture<?>[0])).thenApply(v -> grant);
  }

  private void onRegistered(int gen, LeaseGrantResponse grant, Throwable error) {
    synchronized (lock) {
      if (closed || gen != generation) {
        return;
      }
      if (error != null) {
        failLocked("registering", error);
        return;
      }
      registered = true;
      failures = 0;
      log.log(Level.FINE, "Registered {0} in etcd with lease {1} (TTL {2} s)",
          new Object[] {keys(), Long.toHexString(grant.getID()), grant.getTTL()});
      startKeepAliveLocked(gen, grant.getID(), grant.getTTL());
    }
  }

  private void startKeepAliveLocked(int gen, long id, long grantedTtl) {
    StreamObserver<LeaseKeepAliveRequest> requests = client.lease().leaseKeepAlive(
        new ClientResponseObserver<LeaseKeepAliveRequest, LeaseKeepAliveResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<LeaseKeepAliveRequest> requestStream) {
            keepAliveCall = requestStream; // runs inside leaseKeepAlive(), under our lock
          }

          @Override
          public void onNext(LeaseKeepAliveResponse response) {
            if (response.getTTL() <= 0) {
              synchronized (lock) {
                if (!closed && gen == generation) {
                  failLocked("etcd says lease " + Long.toHexString(id) + " is gone", null);
                }
              }
            }
          }

          @Override
          public void onError(Throwable t) {
            synchronized (lock) {
              if (!closed && gen == generation) {
                keepAliveCall = null;
                failLocked("keeping the lease alive", t);
              }
            }
          }

          @Override
          public void onCompleted() {
            onError(Status.UNAVAILABLE.withDescription("etcd ended the keepalive stream").asException());
          }
        });
    long periodMillis = Math.max(500, TimeUnit.SECONDS.toMillis(grantedTtl) / 3);
    LeaseKeepAliveRequest ping = LeaseKeepAliveRequest.newBuilder().setID(id).build();
    timer = timers.scheduleAtFixedRate(() -> {
      synchronized (lock) {
        if (!closed && gen == generation) {
          requests.onNext(ping);
        }
      }
    }, 0, periodMillis, TimeUnit.MILLISECONDS);
  }

  private void failLocked(String what, @Nullable Throwable error) {
    registered = false;
    generation++;
    cancelLocked("starting over");
    if (error instanceof CompletionException && error.getCause() != null) {
      error = error.getCause();
    }
    if (error instanceof StatusException se) {
      client.onCallFailed(se.getStatus());
    }
    long delay = BACKOFF.backoffNanos(failures++);
    log.log(Level.WARNING, "etcd registration of " + keys() + " at " + client.endpoints() + " failed while "
        + what + "; registering again in " + TimeUnit.NANOSECONDS.toMillis(delay) + " ms", error);
    timer = timers.schedule(() -> {
      synchronized (lock) {
        if (!closed) {
          client.channel().resetConnectBackoff();
          grantLocked();
        }
      }
    }, delay, TimeUnit.NANOSECONDS);
  }

  private void cancelLocked(String why) {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    if (keepAliveCall != null) {
      keepAliveCall.cancel(why, null);
      keepAliveCall = null;
    }
  }

  @Override
  public String toString() {
    return "EtcdRegistration{" + keyPrefix + service + " at " + client.endpoints() + "}";
  }

  private record Entry(ByteString key, ByteString value) {}

  /** Builds an {@link EtcdRegistration}. */
  public static final class Builder {
    private final EtcdClient client;
    private final String service;
    private String keyPrefix = "";
    private Duration ttl = Duration.ofSeconds(10);
    private @Nullable Object metadata;
    private @Nullable String advertiseHost;
    private Duration deregisterTimeout = DEFAULT_DEREGISTER_TIMEOUT;

    private Builder(EtcdClient client, String service) {
      this.client = Objects.requireNonNull(client, "client");
      Objects.requireNonNull(service, "service");
      String s = service.strip();
      while (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      if (s.isEmpty()) {
        throw new IllegalArgumentException("The etcd service name must not be empty");
      }
      this.service = s;
    }

    /** Put before the service name, as in {@link EtcdResolverBuilder}; empty by default. */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    /** The lease's time to live (10 s by default; whole seconds, at least 1). */
    public Builder ttl(Duration ttl) {
      if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("etcd lease TTL must be at least 1 s, got " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /** The endpoints' {@code Metadata}: JSON-like values (maps, lists, strings, numbers, booleans). */
    public Builder metadata(@Nullable Object metadata) {
      this.metadata = metadata;
      return this;
    }

    /**
     * How long {@link EtcdRegistration#deregister()} waits for etcd to confirm ({@link
     * #DEFAULT_DEREGISTER_TIMEOUT} by default); a shutdown is held up no longer than this.
     */
    public Builder deregisterTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("The deregister timeout must be positive, got " + timeout);
      }
      this.deregisterTimeout = timeout;
      return this;
    }

    /** The host to advertise for wildcard listen addresses; this host's address by default. */
    public Builder advertiseHost(@Nullable String host) {
      this.advertiseHost = host;
      return this;
    }

    public EtcdRegistration build() {
      if (metadata != null) {
        new EtcdEndpoint("check:1", metadata).toJson(); // fails now, naming the bad type
      }
      return new EtcdRegistration(this);
    }
  }
}
