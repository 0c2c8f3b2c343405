package dev.grpcspring.boot.autoconfigure.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may call which method of the gRPC server, when Spring Security is on the class path. Rules
 * name methods as {@code package.Service/Method}, {@code package.Service/*} or {@code *}; the
 * {@code permit-all} list is checked first, then the rules in order, then the default access.
 */
@ConfigurationProperties("grpc.server.security")
public class GrpcServerSecurityProperties {

  /** Method patterns anyone may call without credentials. */
  private List<String> permitAll = new ArrayList<>(List.of(
      "grpc.health.v1.Health/*",
      "grpc.reflection.v1.ServerReflection/*",
      "grpc.reflection.v1alpha.ServerReflection/*"));

  /** Access of methods that neither permit-all nor a rule matches. */
  private Access defaultAccess = Access.AUTHENTICATED;

  /** Access rules by method pattern; the first one that matches a method decides. */
  private List<Rule> rules = new ArrayList<>();

  public List<String> getPermitAll() {
    return permitAll;
  }

  public void setPermitAll(List<String> permitAll) {
    this.permitAll = permitAll;
  }

  public Access getDefaultAccess() {
    return defaultAccess;
  }

  public void setDefaultAccess(Access defaultAccess) {
    this.defaultAccess = defaultAccess;
  }

  public List<Rule> getRules() {
    return rules;
  }

  public void setRules(List<Rule> rules) {
    this.rules = rules;
  }

  /** Who may call. */
  public enum Access {
    /** Anyone, with or without credentials. */
    PERMIT_ALL,
    /** Callers whose credentials were checked. */
    AUTHENTICATED,
    /** Nobody. */
    DENY_ALL
  }

  /** One access rule. */
  public static class Rule {

    /** Method patterns this rule applies to. */
    private List<String> methods = new ArrayList<>();

    /** Who may call these methods; roles or authorities narrow authenticated callers further. */
    private Access access = Access.AUTHENTICATED;

    /** Roles, of which callers need at least one ({@code ADMIN} for {@code ROLE_ADMIN}). */
    private List<String> roles = new ArrayList<>();

    /** Authorities, of which callers need at least one (such as {@code SCOPE_read}). */
    private List<String> authorities = new ArrayList<>();

    public List<String> getMethods() {
      return methods;
    }

    public void setMethods(List<String> methods) {
      this.methods = methods;
    }

    public Access getAccess() {
      return access;
    }

    public void setAccess(Access access) {
      this.access = access;
    }

    public List<String> getRoles() {
      return roles;
    }

    public void setRoles(List<String> roles) {
      this.roles = roles;
    }

    public List<String> getAuthorities() {
      return authorities;
    }

    public void setAuthorities(List<String> authorities) {
      this.authorities = authorities;
    }
  }
}
