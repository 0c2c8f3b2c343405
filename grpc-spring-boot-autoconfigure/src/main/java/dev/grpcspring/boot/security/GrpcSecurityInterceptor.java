package dev.grpcspring.boot.security;

import dev.grpcspring.Metadata;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.Status;
import dev.grpcspring.interceptor.ForwardingServerCall;
import dev.grpcspring.interceptor.ServerInterceptor;
import java.util.List;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Authenticates and authorizes every call, then runs each of the call's callbacks with the
 * caller's {@link SecurityContext}.
 *
 * <p>Authentication happens once, when the call starts: the {@link GrpcAuthenticationReader}s
 * are asked in order, the first credentials found go to the {@link AuthenticationManager}, and a
 * call with none is anonymous. Then the {@link GrpcAuthorizationRules} decide. Failures end the
 * call before the service sees it, with the status of {@link GrpcSecurityStatuses}; the reason is
 * logged at debug only.
 *
 * <p>The context is set on the thread that runs each callback ({@code startCall}, every {@code
 * onMessage}, {@code onHalfClose}, {@code onReady}, {@code onCancel}, {@code onComplete}) and
 * taken off again when the callback returns, whatever thread pool or virtual thread runs it: a
 * pooled thread never carries one caller's context into another call. An {@link
 * AccessDeniedException} or {@link AuthenticationException} from the service (method security
 * such as {@code @PreAuthorize}) ends the call with the matching status, judged while the
 * caller's authentication is still known.
 */
public class GrpcSecurityInterceptor implements ServerInterceptor {

  private static final Log log = LogFactory.getLog(GrpcSecurityInterceptor.class);

  /** The key of the anonymous tokens this interceptor makes, as Spring Security's filters do. */
  static final String ANONYMOUS_KEY = "grpc-spring-anonymous";

  private final List<GrpcAuthenticationReader> readers;
  private final AuthenticationManager authenticationManager;
  private final GrpcAuthorizationRules rules;
  private final Supplier<SecurityContextHolderStrategy> strategy;

  /**
   * @param readers asked in order; the first non-null answer is checked
   * @param authenticationManager checks what a reader found; {@code null} refuses every
   *     credential (only anonymous calls to permitted methods pass)
   * @param rules what each method needs
   */
  public GrpcSecurityInterceptor(List<GrpcAuthenticationReader> readers,
      AuthenticationManager authenticationManager, GrpcAuthorizationRules rules) {
    this.readers = List.copyOf(readers);
    this.authenticationManager = authenticationManager;
    this.rules = rules;
    // Asked per call, so that a strategy the application sets after startup is the one used.
    this.strategy = SecurityContextHolder::getContextHolderStrategy;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Authentication caller;
    try {
      caller = authenticate(call, headers);
    } catch (AuthenticationException e) {
      return reject(call, e, null);
    }
    GrpcAccess access = rules.accessFor(method);
    if (!access.allows(caller)) {
      return reject(call, new AccessDeniedException(method + " needs " + access + "; caller '"
          + caller.getName() + "' has " + caller.getAuthorities()), caller);
    }
    SecurityContextHolderStrategy holder = strategy.get();
    SecurityContext context = holder.createEmptyContext();
    context.setAuthentication(caller);
    SecuredCall<ReqT, RespT> secured = new SecuredCall<>(call, caller);
    ServerCall.Listener<ReqT> listener;
    @Nullable SecurityContext previous = enter(holder, context);
    try {
      listener = next.startCall(secured, headers);
    } catch (AuthenticationException | AccessDeniedException e) {
      secured.deny(e);
      return new ServerCall.Listener<>() {};
    } finally {
      exit(holder, previous);
    }
    return new SecuredListener<>(listener, secured, context, holder);
  }

  private Authentication authenticate(ServerCall<?, ?> call, Metadata headers) {
    for (GrpcAuthenticationReader reader : readers) {
      Authentication found = reader.readAuthentication(call, headers);
      if (found == null) {
        continue;
      }
      if (authenticationManager == null) {
        throw new ProviderNotFoundException("No AuthenticationManager can check "
            + found.getClass().getSimpleName() + " credentials: define a JwtDecoder,"
            + " UserDetailsService or AuthenticationManager bean");
      }
      Authentication result = authenticationManager.authenticate(found);
      if (result == null || !result.isAuthenticated()) {
        throw new BadCredentialsException("The AuthenticationManager did not accept "
            + found.getClass().getSimpleName() + " credentials");
      }
      return result;
    }
    return new AnonymousAuthenticationToken(ANONYMOUS_KEY, "anonymousUser",
        AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
  }

  private static <ReqT> ServerCall.Listener<ReqT> reject(ServerCall<ReqT, ?> call,
      RuntimeException reason, @Nullable Authentication caller) {
    Status status = GrpcSecurityStatuses.statusFor(reason, caller);
    logDenied(call, status, reason);
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private static void logDenied(ServerCall<?, ?> call, Status status, RuntimeException reason) {
    String message = call.getMethodDescriptor().getFullMethodName() + " ends with "
        + status.getCode() + ": " + reason.getMessage();
    if (status.getCode() == dev.grpcspring.Code.UNAVAILABLE) {
      log.warn(message, reason);
    } else if (log.isDebugEnabled()) {
      log.debug(message);
    }
  }

  /** Sets {@code context}; returns what was there, or null when the thread had none. */
  private static @Nullable SecurityContext enter(SecurityContextHolderStrategy holder,
      SecurityContext context) {
    SecurityContext previous = holder.getContext();
    holder.setContext(context);
    // An empty context is what the holder makes up when there is none: do not put it back.
    return previous.getAuthentication() == null ? null : previous;
  }

  private static void exit(SecurityContextHolderStrategy holder,
      @Nullable SecurityContext previous) {
    if (previous == null) {
      holder.clearContext();
    } else {
      // A direct executor runs callbacks on the thread of whoever delivered them (an in-process
      // client with its own context, say): give that thread its own context back.
      holder.setContext(previous);
    }
  }

  /** Maps security failures the service reports through {@code close}, once. */
  private static final class SecuredCall<ReqT, RespT> extends ForwardingServerCall<ReqT, RespT> {
    private final Authentication caller;
    private volatile boolean denied;
    private volatile boolean closed;

    SecuredCall(ServerCall<ReqT, RespT> delegate, Authentication caller) {
      super(delegate);
      this.caller = caller;
    }

    @Override
    public void close(Status status, Metadata trailers) {
      Throwable cause = status.getCause();
      if (!status.isOk() && cause instanceof RuntimeException e
          && GrpcSecurityStatuses.isSecurityException(e)) {
        // A service passed method security's exception to onError.
        deny(e);
        return;
      }
      closed = true;
      super.close(status, trailers);
    }

    void deny(RuntimeException reason) {
      if (closed) {
        log.debug("Security exception in " + getMethodDescriptor().getFullMethodName()
            + " after the call was closed: " + reason.getMessage());
        return;
      }
      denied = true;
      closed = true;
      Status status = GrpcSecurityStatuses.statusFor(reason, caller);
      logDenied(this, status, reason);
      super.close(status, new Metadata());
    }

    boolean denied() {
      return denied;
    }
  }

  /** Runs each callback with the caller's context, and maps security failures it throws. */
  private static final class SecuredListener<ReqT> extends ServerCall.Listener<ReqT> {
    private final ServerCall.Listener<ReqT> delegate;
    private final SecuredCall<ReqT, ?> call;
    private final SecurityContext context;
    private final SecurityContextHolderStrategy holder;

    SecuredListener(ServerCall.Listener<ReqT> delegate, SecuredCall<ReqT, ?> call,
        SecurityContext context, SecurityContextHolderStrategy holder) {
      this.delegate = delegate;
      this.call = call;
      this.context = context;
      this.holder = holder;
    }

    @Override
    public void onMessage(ReqT message) {
      if (!call.denied()) {
        run(() -> delegate.onMessage(message));
      }
    }

    @Override
    public void onHalfClose() {
      if (!call.denied()) {
        run(delegate::onHalfClose);
      }
    }

    @Override
    public void onReady() {
      if (!call.denied()) {
        run(delegate::onReady);
      }
    }

    @Override
    public void onCancel() {
      run(delegate::onCancel);
    }

    @Override
    public void onComplete() {
      run(delegate::onComplete);
    }

    private void run(Runnable callback) {
      @Nullable SecurityContext previous = enter(holder, context);
      try {
        callback.run();
      } catch (AuthenticationException | AccessDeniedException e) {
        call.deny(e);
      } finally {
        exit(holder, previous);
      }
    }
  }
}
