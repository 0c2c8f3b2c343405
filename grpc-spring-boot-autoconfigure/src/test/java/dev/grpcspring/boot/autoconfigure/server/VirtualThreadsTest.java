package dev.grpcspring.boot.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.server.ElasticPool;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * spring.threads.virtual.enabled: virtual threads for handlers on Java 21+, a platform pool (and
 * one log line) on Java 17. Runs either way, asserting what the running JVM supports.
 */
class VirtualThreadsTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(GrpcServerAutoConfiguration.class))
      // No services here: the property starts the server anyway.
      .withPropertyValues("grpc.server.port=0", "grpc.server.enabled=true");

  private static boolean runsOnVirtualThread(Executor executor) throws Exception {
    CompletableFuture<Thread> thread = new CompletableFuture<>();
    executor.execute(() -> thread.complete(Thread.currentThread()));
    Thread t = thread.get(5, TimeUnit.SECONDS);
    if (Runtime.version().feature() < 21) {
      return false;
    }
    Method isVirtual = Thread.class.getMethod("isVirtual");
    return (boolean) isVirtual.invoke(t);
  }

  @Test
  void handlersFollowTheVirtualThreadsProperty() {
    runner.withPropertyValues("spring.threads.virtual.enabled=true").run(ctx -> {
      Executor executor = ctx.getBean(GrpcServerExecutorProvider.class).getExecutor();
      if (Runtime.version().feature() >= 21) {
        assertThat(runsOnVirtualThread(executor)).isTrue();
      } else {
        assertThat(executor).isInstanceOf(ElasticPool.class);
        assertThat(runsOnVirtualThread(executor)).isFalse();
      }
    });
  }

  @Test
  void platformThreadsWithoutTheProperty() {
    runner.run(ctx -> {
      Executor executor = ctx.getBean(GrpcServerExecutorProvider.class).getExecutor();
      assertThat(executor).isInstanceOf(ElasticPool.class);
      assertThat(runsOnVirtualThread(executor)).isFalse();
    });
  }
}
