package dev.grpcspring.boot.autoconfigure.client;

import org.jspecify.annotations.Nullable;

/**
 * Credentials a channel sends on every call. At most one kind may be set; a channel inherits the
 * default channel's key by key, so a channel that uses another kind clears the inherited one with
 * an empty value. Credentials go only over TLS unless {@code allow-plaintext} is set.
 */
public class ChannelAuthProperties {

  /** Static bearer token sent as "authorization: Bearer <token>". */
  private @Nullable String bearerToken;

  /**
   * Name of a BearerTokenSupplier bean that supplies the bearer token of each call (asked off the
   * I/O threads, so it may block).
   */
  private @Nullable String tokenSupplier;

  /** HTTP Basic credentials. */
  private final Basic basic = new Basic();

  /** OAuth2 client-credentials grant (needs spring-security-oauth2-client). */
  private final OAuth2 oauth2 = new OAuth2();

  /**
   * Whether the credentials may also go over a plaintext connection (a sidecar on loopback, a
   * test); otherwise a plaintext channel with credentials fails to start.
   */
  private boolean allowPlaintext;

  public @Nullable String getBearerToken() {
    return bearerToken;
  }

  public void setBearerToken(@Nullable String bearerToken) {
    this.bearerToken = bearerToken;
  }

  public @Nullable String getTokenSupplier() {
    return tokenSupplier;
  }

  public void setTokenSupplier(@Nullable String tokenSupplier) {
    this.tokenSupplier = tokenSupplier;
  }

  public Basic getBasic() {
    return basic;
  }

  public OAuth2 getOauth2() {
    return oauth2;
  }

  public boolean isAllowPlaintext() {
    return allowPlaintext;
  }

  public void setAllowPlaintext(boolean allowPlaintext) {
    this.allowPlaintext = allowPlaintext;
  }

  /** HTTP Basic user and password. */
  public static class Basic {

    /** User name. */
    private @Nullable String username;

    /** Password. */
    private @Nullable String password;

    public @Nullable String getUsername() {
      return username;
    }

    public void setUsername(@Nullable String username) {
      this.username = username;
    }

    public @Nullable String getPassword() {
      return password;
    }

    public void setPassword(@Nullable String password) {
      this.password = password;
    }
  }

  /** OAuth2 client credentials. */
  public static class OAuth2 {

    /**
     * Registration id of the ClientRegistration whose client-credentials grant supplies the
     * bearer tokens; tokens are cached and renewed shortly before they expire.
     */
    private @Nullable String clientRegistrationId;

    public @Nullable String getClientRegistrationId() {
      return clientRegistrationId;
    }

    public void setClientRegistrationId(@Nullable String clientRegistrationId) {
      this.clientRegistrationId = clientRegistrationId;
    }
  }
}
