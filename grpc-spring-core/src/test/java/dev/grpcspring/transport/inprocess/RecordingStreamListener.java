package dev.grpcspring.transport.inprocess;

import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.transport.ClientStreamListener;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Records a transport stream's close; releases messages at once. */
final class RecordingStreamListener implements ClientStreamListener {
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Status status;

  @Override
  public void onHeaders(Metadata headers) {}

  @Override
  public void onMessage(ByteBuf message) {
    message.release();
  }

  @Override
  public void onReady() {}

  @Override
  public void onClose(Status status, Metadata trailers, RpcProgress progress) {
    this.status = status;
    closed.countDown();
  }

  Status awaitClose() throws InterruptedException {
    if (!closed.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("The stream did not close within 30 s");
    }
    return status;
  }
}
