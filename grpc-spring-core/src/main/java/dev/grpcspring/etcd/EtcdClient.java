package dev.grpcspring.etcd;

import com.google.protobuf.ByteString;
import dev.grpcspring.Code;
import dev.grpcspring.Status;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.credentials.TlsChannelCredentials;
import dev.grpcspring.credentials.TransportCredentials;
import dev.grpcspring.etcd.v3.KVGrpc;
import dev.grpcspring.etcd.v3.LeaseGrpc;
import dev.grpcspring.etcd.v3.WatchGrpc;
import dev.grpcspring.resolver.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A connection to an etcd cluster's v3 API, made with this library's own channel (no etcd client
 * library): a channel over the configured endpoints (pick_first, so it fails
 * over to the next member when one goes away), HTTP/2 keepalive every 10 s while a call is open
 * (etcd's default {@code --grpc-keepalive-min-time} is 5 s, so this earns no GOAWAY and detects a
 * hung member under an idle watch), optional user/password authentication, and plaintext or TLS
 * ({@link Builder#transportCredentials}: trust roots, and a client certificate for etcd's {@code
 * --client-cert-auth}). Over TLS each member's certificate is checked against that member's own
 * host name as written in the endpoints. Shared by any number of {@link EtcdResolverBuilder etcd
 * resolvers} and {@link EtcdRegistration registrations}; thread-safe.
 */
public final class EtcdClient implements AutoCloseable {
  /** The HTTP/2 keepalive interval: twice etcd's default minimum, our channel's own minimum. */
  public static final Duration KEEPALIVE_TIME = Duration.ofSeconds(10);
  /** How long unary calls to etcd may take. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final ClientConn conn;
  private final List<String> endpoints;
  private final @Nullable EtcdAuthCredentials auth;
  private final TransportCredentials transport;

  private EtcdClient(Builder b, TransportCredentials transport) {
    this.endpoints = List.copyOf(b.endpoints);
    this.transport = transport;
    // credentials() sets both or neither.
    this.auth = b.username == null || b.password == null
        ? null : new EtcdAuthCredentials(b.username, b.password);
    EtcdMembersResolverBuilder members = new EtcdMembersResolverBuilder(endpoints);
    DialOptions.Builder dial = DialOptions.newBuilder();
    if (b.dialOptions != null) {
      b.dialOptions.accept(dial);
    }
    // Set after the customizer: the endpoints' scheme and the builder's credentials decide this.
    dial.transportCredentials(transport).resolver(members);
    dial.keepAliveTime(KEEPALIVE_TIME)
        .keepAliveTimeout(Duration.ofSeconds(5))
        .keepAliveWithoutCalls(false)
        // Our calls to etcd manage their own retries (re-list, re-grant); a channel retry of a
        // Put or a stream would only hide what happened.
        .disableRetry();
    if (auth != null) {
      dial.perRpcCredentials(auth);
    }
    this.conn = ClientConn.dial(members.target(), dial.build());
    if (auth != null) {
      auth.attach(conn);
    }
  }

  /** A builder; at least one endpoint is required. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** The endpoints, {@code host:port} each. */
  public List<String> endpoints() {
    return endpoints;
  }

  /** Whether the connections to etcd use TLS. */
  public boolean isSecure() {
    return transport.isSecure();
  }

  /** The channel to etcd, for calls of your own. */
  public ClientConn channel() {
    return conn;
  }

  /** Asynchronous key-value calls. */
  public KVGrpc.KVStub kv() {
    return KVGrpc.newStub(conn);
  }

  /** Key-value calls returning futures, each with {@link #CALL_TIMEOUT}. */
  public KVGrpc.KVFutureStub kvFuture() {
    return KVGrpc.newFutureStub(conn).withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Watch streams; no deadline, they live as long as their watcher. */
  public WatchGrpc.WatchStub watch() {
    return WatchGrpc.newStub(conn);
  }

  /** Lease calls returning futures, each with {@link #CALL_TIMEOUT}. */
  public LeaseGrpc.LeaseFutureStub leaseFuture() {
    return LeaseGrpc.newFutureStub(conn).withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Lease keepalive streams; no deadline. */
  public LeaseGrpc.LeaseStub lease() {
    return LeaseGrpc.newStub(conn);
  }

  /**
   * Tells the client a call failed, so that an expired auth token is fetched again (etcd answers
   * UNAUTHENTICATED with "invalid auth token" once it has expired).
   */
  public void onCallFailed(Status status) {
    if (auth != null && status.getCode() == Code.UNAUTHENTICATED) {
      auth.invalidate();
    }
  }

  /**
   * The end of the key range holding every key that starts with {@code prefix}: the prefix with
   * its last byte that is not 0xff increased by one (etcd's {@code WithPrefix}).
   */
  public static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if ((end[i] & 0xff) != 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    // Only 0xff bytes (or none): every key from the prefix on; etcd spells that "\0".
    return ByteString.copyFrom(new byte[] {0});
  }

  /** Closes the channel; open watches and keepalives fail with CANCELLED or UNAVAILABLE. */
  @Override
  public void close() {
    conn.close();
  }

  @Override
  public String toString() {
    return "EtcdClient" + endpoints + (transport.isSecure() ? " over TLS" : "");
  }

  /** Builds an {@link EtcdClient}. */
  public static final class Builder {
    private final List<String> endpoints = new ArrayList<>();
    private @Nullable String username;
    private @Nullable String password;
    private @Nullable Consumer<DialOptions.Builder> dialOptions;
    private @Nullable TransportCredentials transport;
    private final List<String> httpEndpoints = new ArrayList<>();
    private final List<String> httpsEndpoints = new ArrayList<>();

    private Builder() {}

    /**
     * Adds etcd endpoints as {@code host:port}, {@code http://host:port} or {@code
     * https://host:port}, as in etcd's {@code --endpoints}. The scheme must agree with the
     * {@link #transportCredentials transport credentials}: {@code https://} endpoints without
     * credentials use TLS with the JDK's trust roots.
     */
    public Builder endpoints(List<String> endpoints) {
      for (String e : endpoints) {
        this.endpoints.add(normalize(e));
      }
      return this;
    }

    /**
     * How connections to etcd are secured: {@link TlsChannelCredentials} with the CA that signed
     * the members' certificates, and a client certificate when etcd runs with {@code
     * --client-cert-auth}. Plaintext unless set (or unless the endpoints say {@code https://}).
     */
    public Builder transportCredentials(TransportCredentials credentials) {
      this.transport = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** Adds endpoints; see {@link #endpoints(List)}. */
    public Builder endpoints(String... endpoints) {
      return endpoints(List.of(endpoints));
    }

    /** Authenticates as this etcd user; both null for none. */
    public Builder credentials(@Nullable String username, @Nullable String password) {
      if ((username == null) != (password == null)) {
        throw new IllegalArgumentException("etcd user name and password go together: set both or neither");
      }
      this.username = username;
      this.password = password;
      return this;
    }

    /**
     * Adjusts the options of the channel to etcd (an executor, an event loop group, connect
     * backoff); keepalive, retry, the target and transport credentials are always set as
     * described on {@link EtcdClient}.
     */
    public Builder dialOptions(Consumer<DialOptions.Builder> customizer) {
      this.dialOptions = customizer;
      return this;
    }

    /**
     * Dials etcd (lazily: the first call connects).
     *
     * @throws IllegalArgumentException when there is no endpoint, or the endpoints' schemes
     *     disagree with each other or with the transport credentials
     */
    public EtcdClient build() {
      if (endpoints.isEmpty()) {
        throw new IllegalArgumentException("etcd needs at least one endpoint (host:port)");
      }
      if (!httpEndpoints.isEmpty() && !httpsEndpoints.isEmpty()) {
        throw new IllegalArgumentException("etcd endpoints " + httpEndpoints + " use http and "
            + httpsEndpoints + " https: one client talks to all members the same way");
      }
      TransportCredentials t = transport;
      if (t == null) {
        t = httpsEndpoints.isEmpty() ? TransportCredentials.insecure() : TlsChannelCredentials.create();
      } else if (t.isSecure() && !httpEndpoints.isEmpty()) {
        throw new IllegalArgumentException("etcd endpoints " + httpEndpoints + " say http, but "
            + "TLS credentials are set: write https:// or host:port");
      } else if (!t.isSecure() && !httpsEndpoints.isEmpty()) {
        throw new IllegalArgumentException("etcd endpoints " + httpsEndpoints + " say https, but "
            + "the transport credentials are plaintext: set TLS credentials or write http://");
      }
      return new EtcdClient(this, t);
    }

    private String normalize(String endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String e = endpoint.strip();
      if (e.regionMatches(true, 0, "https://", 0, 8)) {
        httpsEndpoints.add(endpoint);
        e = e.substring(8);
      } else if (e.regionMatches(true, 0, "http://", 0, 7)) {
        httpEndpoints.add(endpoint);
        e = e.substring(7);
      }
      if (e.endsWith("/")) {
        e = e.substring(0, e.length() - 1);
      }
      try {
        HostPort.parse(e, -1);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("Bad etcd endpoint '" + endpoint + "': " + ex.getMessage()
            + "; write host:port", ex);
      }
      return e;
    }
  }
}
