package dev.grpcspring.etcd;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Metadata;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.credentials.PerRpcCredentials;
import dev.grpcspring.etcd.v3.AuthGrpc;
import dev.grpcspring.etcd.v3.AuthenticateRequest;
import dev.grpcspring.stub.ClientCalls;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * etcd's user/password authentication as per-call credentials: one {@code Auth/Authenticate}
 * call gets a token, which every other call carries in the {@code token} header until {@link
 * #invalidate} drops it (etcd answers UNAUTHENTICATED once a token expires; the next call then
 * authenticates again). Calls that start while a token is being fetched share that fetch.
 */
final class EtcdAuthCredentials implements PerRpcCredentials {
  private static final String AUTHENTICATE = AuthGrpc.getAuthenticateMethod().getFullMethodName();

  private final String username;
  private final String password;
  private volatile @Nullable ClientConn conn;
  private final Object lock = new Object();
  private @Nullable CompletableFuture<String> token; // guarded by lock

  EtcdAuthCredentials(String username, String password) {
    this.username = username;
    this.password = password;
  }

  /** The channel the credentials authenticate on: their own, set once it is dialed. */
  void attach(ClientConn conn) {
    this.conn = conn;
  }

  @Override
  public CompletionStage<Metadata> getRequestMetadata(RequestInfo info) {
    if (AUTHENTICATE.equals(info.fullMethodName())) {
      return CompletableFuture.completedFuture(new Metadata());
    }
    CompletableFuture<String> current;
    synchronized (lock) {
      if (token == null || token.isCompletedExceptionally()) {
        token = authenticate();
      }
      current = token;
    }
    return current.thenApply(t -> {
      Metadata m = new Metadata();
      m.putAscii("token", t);
      return m;
    });
  }

  /** Drops the token, so that the next call authenticates again. */
  void invalidate() {
    synchronized (lock) {
      token = null;
    }
  }

  private CompletableFuture<String> authenticate() {
    AuthenticateRequest request =
        AuthenticateRequest.newBuilder().setName(username).setPassword(password).build();
    // EtcdClient attaches the channel right after dialing it, before any call can ask for metadata.
    ClientConn attached =
        Objects.requireNonNull(conn, "credentials used before their channel was attached");
    return ClientCalls.futureUnaryCall(
            attached.newCall(AuthGrpc.getAuthenticateMethod(),
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)),
            request)
        .thenApply(r -> r.getToken());
  }

  /** etcd accepts passwords on plaintext connections; refusing them would make auth unusable there. */
  @Override
  public boolean requireTransportSecurity() {
    return false;
  }
}
