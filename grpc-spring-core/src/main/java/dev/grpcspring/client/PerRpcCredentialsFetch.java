package dev.grpcspring.client;

import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.credentials.PerRpcCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Gathers the metadata of a call's per-RPC credentials (channel's first, then the call's). */
final class PerRpcCredentialsFetch {
  private PerRpcCredentialsFetch() {}

  /** All credentials' metadata, merged in order; fails with the first failure. */
  static CompletableFuture<Metadata> fetch(List<PerRpcCredentials> creds, PerRpcCredentials.RequestInfo info) {
    List<CompletableFuture<Metadata>> futures = new ArrayList<>(creds.size());
    for (PerRpcCredentials c : creds) {
      try {
        futures.add(c.getRequestMetadata(info).toCompletableFuture());
      } catch (RuntimeException e) {
        futures.add(CompletableFuture.failedFuture(e));
      }
    }
    return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      Metadata all = new Metadata();
      for (CompletableFuture<Metadata> f : futures) {
        Metadata md = f.join();
        if (md != null) {
          all.merge(md);
        }
      }
      return all;
    });
  }

  /**
   * The status a credentials failure fails the call with: its own, else UNAUTHENTICATED. Codes
   * that only a server may produce become INTERNAL (gRFC A54), so that a client-side failure is
   * never mistaken for the server's answer.
   */
  static Status statusOf(Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    Status s = Status.fromThrowable(cause);
    if (s.getCode() == Code.UNKNOWN) {
      return Status.UNAUTHENTICATED.withDescription("Per-RPC credentials failed: " + cause).withCause(cause);
    }
    if (reservedForServer(s.getCode())) {
      return Status.INTERNAL.withDescription("Per-RPC credentials failed with " + s.getCode()
          + (s.getDescription() == null ? "" : ": " + s.getDescription())
          + " (a code reserved for servers; gRFC A54)").withCause(cause);
    }
    return s;
  }

  private static boolean reservedForServer(Code code) {
    return switch (code) {
      case OK, INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED,
          OUT_OF_RANGE, DATA_LOSS -> true;
      default -> false;
    };
  }
}
