package dev.grpcspring.client;

import dev.grpcspring.Status;
import dev.grpcspring.resolver.Resolver;
import dev.grpcspring.resolver.ResolverBuildOptions;
import dev.grpcspring.resolver.ResolverClientConn;
import dev.grpcspring.resolver.ResolverRegistry;
import dev.grpcspring.resolver.ResolverState;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The channel as its resolver sees it (grpc-go's {@code ccResolverWrapper}): updates from any
 * thread are handed to the channel's callback serializer; one built for a channel generation
 * (idleness rebuilds it) ignores updates once closed.
 */
final class ResolverWrapper implements ResolverClientConn {
  private static final Logger log = Logger.getLogger(ResolverWrapper.class.getName());

  private final ClientConn cc;
  private volatile boolean closed;
  private @Nullable Resolver resolver;

  ResolverWrapper(ClientConn cc) {
    this.cc = cc;
  }

  /** Builds the resolver; runs in the serializer. */
  void start(ResolverRegistry.ParsedTarget target, ResolverBuildOptions options) {
    try {
      Resolver r = target.builder().build(target.target(), this, options);
      if (closed) {
        r.close();
      } else {
        resolver = r;
      }
    } catch (RuntimeException e) {
      log.log(Level.FINE, "Resolver for " + target.target() + " failed to start", e);
      reportError(Status.UNAVAILABLE.withDescription(
          "Failed to build the resolver for " + target.target() + ": " + e.getMessage()).withCause(e));
    }
  }

  @Override
  public void updateState(ResolverState state) {
    if (closed) {
      return;
    }
    cc.serializer().trySchedule(() -> {
      if (!closed) {
        cc.updateResolverState(state);
      }
    });
  }

  @Override
  public void reportError(Status error) {
    if (closed) {
      return;
    }
    cc.serializer().trySchedule(() -> {
      if (!closed) {
        cc.resolverError(error);
      }
    });
  }

  /** Runs in the serializer. */
  void resolveNow() {
    if (!closed && resolver != null) {
      resolver.resolveNow();
    }
  }

  /** Runs in the serializer. */
  void close() {
    closed = true;
    if (resolver != null) {
      resolver.close();
      resolver = null;
    }
  }
}
