package dev.grpcspring.protocol;

import dev.grpcspring.Status;
import io.netty.buffer.ByteBuf;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A deframer listener for the protocol benchmarks: each message escapes into the blackhole (as a
 * real listener hands it to another thread, so the JIT cannot scalar-replace a slice made for it)
 * and is released; the stream never ends or fails.
 */
final class ConsumingListener implements MessageDeframer.Listener {
  private final Blackhole blackhole;

  ConsumingListener(Blackhole blackhole) {
    this.blackhole = blackhole;
  }

  @Override
  public void messageRead(ByteBuf message) {
    blackhole.consume(message);
    message.release();
  }

  @Override
  public void bytesRead(int numBytes) {
    blackhole.consume(numBytes);
  }

  @Override
  public void endOfStream() {
    throw new IllegalStateException("the benchmark stream never ends");
  }

  @Override
  public void deframeFailed(Status status) {
    throw new IllegalStateException("deframing failed: " + status);
  }
}
