package dev.grpcspring.internal;

/**
 * Implemented by a server call listener whose {@code onComplete} does nothing the transport's
 * thread must not do. The server then completes a call that ended well on the thread that saw its
 * trailers go out, instead of handing the completion to the handler executor: for a unary call,
 * that hand-off was one pool task of two.
 *
 * <p>The stub layer's listeners say yes once the service method has returned without installing
 * an on-close handler; a listener wrapped by an interceptor never implements this, so its
 * {@code onComplete} keeps running on the executor.
 */
public interface InlineCompletion {
  /** Whether {@code onComplete}, called now, would do nothing that may block or take long. */
  boolean completesInline();
}
