package dev.grpcspring.boot.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.test.context.TestPropertySource;

/**
 * The same callers with handlers on virtual threads (Java 21+): every callback still sees its own
 * caller, and the threads that ran them hold no context afterwards.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
@TestPropertySource(properties = "spring.threads.virtual.enabled=true")
class GrpcSecurityVirtualThreadsTest extends GrpcSecurityEndToEndTest {

  @Override
  void assertNoContextOnHandlerThreads() throws InterruptedException {
    CompletableFuture<Boolean> virtual = new CompletableFuture<>();
    executors.getExecutor().execute(() -> {
      try {
        virtual.complete((Boolean) Thread.class.getMethod("isVirtual")
            .invoke(Thread.currentThread()));
      } catch (ReflectiveOperationException e) {
        virtual.completeExceptionally(e);
      }
    });
    try {
      assertThat(virtual.get(10, TimeUnit.SECONDS)).as("handlers run on virtual threads").isTrue();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
    super.assertNoContextOnHandlerThreads();
  }
}
