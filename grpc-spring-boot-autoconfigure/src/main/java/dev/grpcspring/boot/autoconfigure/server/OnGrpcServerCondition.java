package dev.grpcspring.boot.autoconfigure.server;

import java.util.Objects;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@link GrpcServerStartRule} starts the server; {@link NoServer} matches in the
 * opposite case. Evaluated when beans are registered, so that every bean definition of the
 * application is visible.
 */
class OnGrpcServerCondition extends SpringBootCondition implements ConfigurationCondition {

  private final boolean expectStart;

  OnGrpcServerCondition() {
    this(true);
  }

  OnGrpcServerCondition(boolean expectStart) {
    this.expectStart = expectStart;
  }

  @Override
  public ConfigurationPhase getConfigurationPhase() {
    return ConfigurationPhase.REGISTER_BEAN;
  }

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context,
      AnnotatedTypeMetadata metadata) {
    GrpcServerStartRule rule =
        GrpcServerStartRule.evaluate(
            // Conditions on auto-configuration classes are evaluated against an application
            // context's bean factory; only a bare registry without one would leave it null.
            Objects.requireNonNull(context.getBeanFactory(), "condition needs a bean factory"),
            context.getEnvironment());
    ConditionMessage message =
        ConditionMessage.forCondition("gRPC server").because(rule.describe());
    return rule.start() == expectStart ? ConditionOutcome.match(message)
        : ConditionOutcome.noMatch(message);
  }

  /** Matches when the server does not start. */
  static final class NoServer extends OnGrpcServerCondition {
    NoServer() {
      super(false);
    }
  }
}
