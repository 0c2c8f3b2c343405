package dev.grpcspring.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** Proves the leak check would catch a leak: if this stopped failing, the suite's guard is gone. */
class LeakCheckExtensionTest {
  @Test
  void leakedBufferIsReported() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    leak();
    assertThat(LeakRecorder.collect()).anySatisfy(r -> assertThat(r).contains("LEAK"));
    // collect() cleared what it returned, so the class-level check stays green.
  }

  private static void leak() {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(32);
    buf.writeInt(42);
    // Dropped without release(): only the detector can notice.
  }
}
