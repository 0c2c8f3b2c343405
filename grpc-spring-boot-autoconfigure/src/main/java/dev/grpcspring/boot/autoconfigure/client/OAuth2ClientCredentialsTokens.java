package dev.grpcspring.boot.autoconfigure.client;

import dev.grpcspring.boot.client.BearerTokenSupplier;
import dev.grpcspring.Status;
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
 * so calls never carry a token about to expire. Its own class, loaded only when
 * spring-security-oauth2-client is present.
 */
final class OAuth2ClientCredentialsTokens {
  private OAuth2ClientCredentialsTokens() {}

  static BearerTokenSupplier create(BeanFactory beans, String prefix, String registrationId) {
    OAuth2AuthorizedClientManager manager =
        beans.getBeanProvider(OAuth2AuthorizedClientManager.class).getIfUnique();
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
      OAuth2AuthorizedClientService clients =
          beans.getBeanProvider(OAuth2AuthorizedClientService.class)
              .getIfUnique(() -> new InMemoryOAuth2AuthorizedClientService(registrations));
      AuthorizedClientServiceOAuth2AuthorizedClientManager made =
          new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, clients);
      made.setAuthorizedClientProvider(
          OAuth2AuthorizedClientProviderBuilder.builder().clientCredentials().build());
      manager = made;
    }
    OAuth2AuthorizedClientManager authorizer = manager;
    // The grant has no user: the channel's registration stands as the principal (the cache key).
    OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest.withClientRegistrationId(registrationId)
        .principal("grpc-client:" + registrationId).build();
    return () -> {
      OAuth2AuthorizedClient client = authorizer.authorize(request);
      if (client == null || client.getAccessToken() == null) {
        throw Status.UNAUTHENTICATED.withDescription("OAuth2 registration '" + registrationId
            + "' gave no access token (is it a client_credentials registration?)").asException();
      }
      return client.getAccessToken().getTokenValue();
    };
  }
}
