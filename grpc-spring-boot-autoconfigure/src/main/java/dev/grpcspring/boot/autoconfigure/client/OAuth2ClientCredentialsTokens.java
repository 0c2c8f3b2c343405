package dev.grpcspring.boot.autoconfigure.client;

import dev.grpcspring.boot.client.BearerTokenSupplier;
import dev.grpcspring.Status;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * Bearer tokens from an OAuth2 client-credentials grant through Spring Security's
 * {@link OAuth2AuthorizedClientManager}: the application's, or one made over its
 * {@link ClientRegistrationRepository} that works outside servlet requests. The manager caches
 * the token and asks for a new one when it expires within a minute (the provider's clock skew),
 * so calls never carry a token about to expire; a token the server refuses (UNAUTHENTICATED) is
 * dropped, so the next call fetches a new one. Its own class, loaded only when
 * spring-security-oauth2-client is present.
 */
final class OAuth2ClientCredentialsTokens {
  private static final Log log = LogFactory.getLog(OAuth2ClientCredentialsTokens.class);
  private static final long DROP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private OAuth2ClientCredentialsTokens() {}

  static BearerTokenSupplier create(BeanFactory beans, String prefix, String registrationId) {
    OAuth2AuthorizedClientManager manager =
        beans.getBeanProvider(OAuth2AuthorizedClientManager.class).getIfUnique();
    // Where the manager keeps its tokens, so that one the server refuses can be dropped.
    OAuth2AuthorizedClientService clients =
        beans.getBeanProvider(OAuth2AuthorizedClientService.class).getIfUnique();
    if (manager == null) {
      ClientRegistrationRepository registrations =
          beans.getBeanProvider(ClientRegistrationRepository.class).getIfUnique();
      if (registrations == null) {
        throw new InvalidConfigurationPropertyValueException(
            prefix + ".oauth2.client-registration-id", registrationId,
            "There is no ClientRegistrationRepository bean to find the registration in; declare"
                + " one (or an OAuth2AuthorizedClientManager).");
      }
      if (registrations.findByRegistrationId(registrationId) == null) {
        throw new InvalidConfigurationPropertyValueException(
            prefix + ".oauth2.client-registration-id", registrationId,
            "The ClientRegistrationRepository has no registration of that id.");
      }
      if (clients == null) {
        clients = new InMemoryOAuth2AuthorizedClientService(registrations);
      }
      AuthorizedClientServiceOAuth2AuthorizedClientManager made =
          new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, clients);
      made.setAuthorizedClientProvider(
          OAuth2AuthorizedClientProviderBuilder.builder().clientCredentials().build());
      manager = made;
    }
    return new Tokens(manager, clients, registrationId);
  }

  /** The tokens of one registration; the grant has no user, so the registration is the principal. */
  private static final class Tokens implements BearerTokenSupplier {
    private final OAuth2AuthorizedClientManager manager;
    private final @Nullable OAuth2AuthorizedClientService clients;
    private final String registrationId;
    private final String principal;
    private final OAuth2AuthorizeRequest request;
    private final AtomicLong lastDrop = new AtomicLong(System.nanoTime() - DROP_INTERVAL_NANOS);

    Tokens(OAuth2AuthorizedClientManager manager, @Nullable OAuth2AuthorizedClientService clients,
        String registrationId) {
      this.manager = manager;
      this.clients = clients;
      this.registrationId = registrationId;
      this.principal = "grpc-client:" + registrationId;
      this.request = OAuth2AuthorizeRequest.withClientRegistrationId(registrationId)
          .principal(principal).build();
    }

    @Override
    public String get() {
      OAuth2AuthorizedClient client = manager.authorize(request);
      if (client == null || client.getAccessToken() == null) {
        throw Status.UNAUTHENTICATED.withDescription("OAuth2 registration '" + registrationId
            + "' gave no access token (is it a client_credentials registration?)").asException();
      }
      return client.getAccessToken().getTokenValue();
    }

    /**
     * Drops the cached token, as Spring Security's
     * {@code RemoveAuthorizedClientOAuth2AuthorizationFailureHandler} does on a 401, at most once
     * a second: the calls that were in flight with a revoked token all fail together, and a server
     * that refuses every token should not turn each call into a token request. Without an
     * {@link OAuth2AuthorizedClientService} (an application's manager that keeps tokens elsewhere)
     * there is nothing this side can drop.
     */
    @Override
    public void rejected(Instant callStarted) {
      if (clients == null) {
        log.debug("gRPC call with OAuth2 registration '" + registrationId + "' was refused"
            + " (UNAUTHENTICATED); no OAuth2AuthorizedClientService bean to drop the token from");
        return;
      }
      long now = System.nanoTime();
      long last = lastDrop.get();
      if (now - last < DROP_INTERVAL_NANOS || !lastDrop.compareAndSet(last, now)) {
        return;
      }
      if (clients.loadAuthorizedClient(registrationId, principal) != null) {
        log.info("gRPC server refused the OAuth2 token of registration '" + registrationId
            + "' (UNAUTHENTICATED); the next call fetches a new one");
        clients.removeAuthorizedClient(registrationId, principal);
      }
    }

    @Override
    public String toString() {
      return "OAuth2 client credentials of '" + registrationId + "'";
    }
  }
}
