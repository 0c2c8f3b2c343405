package dev.grpcspring.boot.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which {@link GrpcAccess} each method needs, by patterns on the full method name: {@code
 * package.Service/Method} for one method, {@code package.Service/*} for every method of a service,
 * {@code *} for all. The first rule that matches decides; methods no rule matches get the default.
 * Build one with {@link #builder()} and declare it as a bean to replace the rules from
 * {@code grpc.server.security.*}.
 */
public final class GrpcAuthorizationRules {

  private record Rule(String pattern, GrpcAccess access) {
    boolean matches(String fullMethodName) {
      if (pattern.equals("*")) {
        return true;
      }
      if (pattern.endsWith("/*")) {
        return fullMethodName.length() > pattern.length() - 1
            && fullMethodName.startsWith(pattern.substring(0, pattern.length() - 1));
      }
      return pattern.equals(fullMethodName);
    }
  }

  private final List<Rule> rules;
  private final GrpcAccess defaultAccess;

  private GrpcAuthorizationRules(List<Rule> rules, GrpcAccess defaultAccess) {
    this.rules = List.copyOf(rules);
    this.defaultAccess = defaultAccess;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The access {@code fullMethodName} ({@code package.Service/Method}) needs. */
  public GrpcAccess accessFor(String fullMethodName) {
    for (Rule rule : rules) {
      if (rule.matches(fullMethodName)) {
        return rule.access();
      }
    }
    return defaultAccess;
  }

  /**
   * Checks that {@code pattern} is {@code *}, {@code Service/*} or {@code Service/Method}.
   *
   * @throws IllegalArgumentException with what is wrong and how it should look
   */
  public static String checkPattern(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    int slash = pattern.indexOf('/');
    boolean valid = pattern.equals("*")
        || (slash > 0 && slash == pattern.lastIndexOf('/') && slash < pattern.length() - 1
            && (pattern.indexOf('*') < 0 || pattern.indexOf('*') == pattern.length() - 1
                && slash == pattern.length() - 2));
    if (!valid) {
      throw new IllegalArgumentException("'" + pattern + "' is not a gRPC method pattern: use"
          + " package.Service/Method, package.Service/* or *");
    }
    return pattern;
  }

  /** Builds {@link GrpcAuthorizationRules}; rules apply in the order they are added. */
  public static final class Builder {
    private final List<Rule> rules = new ArrayList<>();
    private GrpcAccess defaultAccess = GrpcAccess.authenticated();

    private Builder() {}

    /** Methods matching any of {@code patterns} need {@code access}. */
    public Builder rule(GrpcAccess access, String... patterns) {
      return rule(access, List.of(patterns));
    }

    /** Methods matching any of {@code patterns} need {@code access}. */
    public Builder rule(GrpcAccess access, List<String> patterns) {
      Objects.requireNonNull(access, "access");
      for (String pattern : patterns) {
        rules.add(new Rule(checkPattern(pattern), access));
      }
      return this;
    }

    /** Methods matching {@code patterns} are open to anyone. */
    public Builder permitAll(String... patterns) {
      return rule(GrpcAccess.permitAll(), patterns);
    }

    /** The access of methods no rule matches; {@link GrpcAccess#authenticated()} unless set. */
    public Builder defaultAccess(GrpcAccess access) {
      this.defaultAccess = Objects.requireNonNull(access, "access");
      return this;
    }

    public GrpcAuthorizationRules build() {
      return new GrpcAuthorizationRules(rules, defaultAccess);
    }
  }
}
