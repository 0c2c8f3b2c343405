package dev.grpcspring.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs {@link LeakRecorder} when the test launcher starts, before any test class can touch a
 * Netty buffer. Registered through {@code META-INF/services}.
 */
public final class LeakDetectionSessionListener implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    LeakRecorder.install();
  }
}
