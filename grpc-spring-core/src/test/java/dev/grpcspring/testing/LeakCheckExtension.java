package dev.grpcspring.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer while it (or, rarely, the class before it)
 * ran. Auto-registered for every test class through {@code META-INF/services}.
 */
public final class LeakCheckExtension implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) {
    List<String> leaks = LeakRecorder.collect();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          "Netty reported " + leaks.size() + " leaked resource(s) after "
              + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
    }
  }
}
