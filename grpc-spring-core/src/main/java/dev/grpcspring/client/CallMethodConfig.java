package dev.grpcspring.client;

import java.time.Duration;

/**
 * The parts of a method config a call applies: timeout, wait-for-ready, and message size limits;
 * null where the config says nothing.
 */
record CallMethodConfig(
    Duration timeout, Boolean waitForReady, Integer maxRequestBytes, Integer maxResponseBytes) {
  static final CallMethodConfig NONE = new CallMethodConfig(null, null, null, null);
}
