package dev.grpcspring.boot.autoconfigure.client;

import dev.grpcspring.boot.client.BasicAuthCredentials;
import dev.grpcspring.boot.client.BearerTokenCredentials;
import dev.grpcspring.boot.client.BearerTokenSupplier;
import dev.grpcspring.credentials.PerRpcCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ClassUtils;

/**
 * The per-RPC credentials of a channel from {@code grpc.client.channel.<name>.auth.*}. Suppliers
 * that may block (token-supplier beans, OAuth2) are asked on a small pool of token threads that
 * this factory owns, never on an I/O thread.
 */
final class ChannelCredentialsFactory implements AutoCloseable {

  private static final Log log = LogFactory.getLog(ChannelCredentialsFactory.class);

  private static final boolean OAUTH2_CLIENT = ClassUtils.isPresent(
      "org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager",
      ChannelCredentialsFactory.class.getClassLoader());

  private final BeanFactory beanFactory;
  private volatile @Nullable ExecutorService tokenThreads;

  ChannelCredentialsFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  /**
   * The credentials for channel {@code name}, or {@code null} when it sets none.
   *
   * @param tls whether the channel uses TLS (for the warning about plaintext)
   */
  @Nullable PerRpcCredentials create(String name, ChannelAuthProperties auth, boolean tls) {
    String prefix = "grpc.client.channel." + name + ".auth";
    List<String> kinds = new ArrayList<>();
    if (hasText(auth.getBearerToken())) {
      kinds.add("bearer-token");
    }
    if (hasText(auth.getTokenSupplier())) {
      kinds.add("token-supplier");
    }
    if (hasText(auth.getBasic().getUsername()) || hasText(auth.getBasic().getPassword())) {
      kinds.add("basic");
    }
    if (hasText(auth.getOauth2().getClientRegistrationId())) {
      kinds.add("oauth2");
    }
    if (kinds.isEmpty()) {
      return null;
    }
    if (kinds.size() > 1) {
      throw new InvalidConfigurationPropertyValueException(prefix, kinds,
          "Set only one kind of credentials per channel (a channel inherits the default"
              + " channel's; clear an inherited one with an empty value).");
    }
    boolean requireTls = !auth.isAllowPlaintext();
    if (!tls && requireTls) {
      throw new InvalidConfigurationPropertyValueException(prefix + "." + kinds.get(0),
          "<hidden>", "Channel '" + name + "' is plaintext and would send these credentials"
              + " unencrypted: turn TLS on (grpc.client.channel." + name + ".ssl.bundle), or set "
              + prefix + ".allow-plaintext=true for a peer on loopback or a trusted sidecar.");
    }
    if (!tls) {
      log.warn("gRPC channel '" + name + "' sends its " + kinds.get(0) + " credentials over"
          + " plaintext (" + prefix + ".allow-plaintext=true): anyone on the path can read them."
          + " Use TLS unless the peer is on loopback or a trusted sidecar.");
    }
    // Each kind was chosen above because its property has text, so the one read here is set.
    return switch (kinds.get(0)) {
      case "bearer-token" -> BearerTokenCredentials.of(
          Objects.requireNonNull(auth.getBearerToken(), "bearer-token"), requireTls);
      case "token-supplier" -> {
        String bean = Objects.requireNonNull(auth.getTokenSupplier(), "token-supplier");
        yield new BearerTokenCredentials(supplier(prefix, bean), tokenThreads(), requireTls,
            "token-supplier bean '" + bean + "'");
      }
      case "basic" -> basic(prefix, auth.getBasic(), requireTls);
      default -> oauth2(prefix, Objects.requireNonNull(
          auth.getOauth2().getClientRegistrationId(), "client-registration-id"), requireTls);
    };
  }

  private BearerTokenSupplier supplier(String prefix, String bean) {
    try {
      return beanFactory.getBean(bean, BearerTokenSupplier.class);
    } catch (NoSuchBeanDefinitionException e) {
      throw new InvalidConfigurationPropertyValueException(prefix + ".token-supplier", bean,
          "There is no BearerTokenSupplier bean of that name.");
    }
  }

  private static PerRpcCredentials basic(String prefix, ChannelAuthProperties.Basic basic,
      boolean requireTls) {
    String username = basic.getUsername();
    String password = basic.getPassword();
    if (username == null || !hasText(username) || password == null) {
      throw new InvalidConfigurationPropertyValueException(prefix + ".basic", "",
          "Basic credentials need both basic.username and basic.password.");
    }
    try {
      return new BasicAuthCredentials(username, password, requireTls);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(prefix + ".basic.username",
          username, e.getMessage());
    }
  }

  private PerRpcCredentials oauth2(String prefix, String registrationId, boolean requireTls) {
    if (!OAUTH2_CLIENT) {
      throw new InvalidConfigurationPropertyValueException(prefix + ".oauth2.client-registration-id",
          registrationId, "The client-credentials grant needs spring-security-oauth2-client on"
              + " the class path.");
    }
    return new BearerTokenCredentials(
        OAuth2ClientCredentialsTokens.create(beanFactory, prefix, registrationId), tokenThreads(),
        requireTls, "OAuth2 client credentials of '" + registrationId + "'");
  }

  private ExecutorService tokenThreads() {
    ExecutorService threads = tokenThreads;
    if (threads == null) {
      synchronized (this) {
        threads = tokenThreads;
        if (threads == null) {
          AtomicInteger n = new AtomicInteger();
          ThreadFactory factory = r -> {
            Thread t = new Thread(r, "grpc-token-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          };
          // Up to four fetches at once; idle threads end after a minute.
          ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(), factory);
          pool.allowCoreThreadTimeOut(true);
          tokenThreads = threads = pool;
        }
      }
    }
    return threads;
  }

  private static boolean hasText(@Nullable String s) {
    return s != null && !s.isBlank();
  }

  @Override
  public void close() {
    ExecutorService threads = tokenThreads;
    if (threads != null) {
      threads.shutdownNow();
    }
  }
}
