package dev.grpcspring.boot.autoconfigure.server;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;

/**
 * Present when the gRPC server does not start: says so in the startup log, with the reason, once
 * every singleton exists. If {@code @GrpcService} beans turn up that were registered too late to
 * count (after {@link GrpcServerAutoConfiguration} was processed), it warns that they are not
 * served and how to fix that.
 */
public class GrpcServerNotStartedReporter implements SmartInitializingSingleton {

  private static final Log log = LogFactory.getLog(GrpcServerNotStartedReporter.class);

  private final ConfigurableListableBeanFactory beanFactory;
  private final Environment environment;

  public GrpcServerNotStartedReporter(ConfigurableListableBeanFactory beanFactory,
      Environment environment) {
    this.beanFactory = beanFactory;
    this.environment = environment;
  }

  @Override
  public void afterSingletonsInstantiated() {
    GrpcServerStartRule now = GrpcServerStartRule.evaluate(beanFactory, environment);
    if (!now.start()) {
      log.info(now.describe());
      return;
    }
    log.warn("grpc-spring server not started, but @GrpcService beans " + now.serviceBeans()
        + " were registered after GrpcServerAutoConfiguration decided there were none: they are"
        + " not served. Order the configuration that declares them before"
        + " GrpcServerAutoConfiguration, or set " + GrpcServerStartRule.ENABLED_PROPERTY + "=true");
  }
}
