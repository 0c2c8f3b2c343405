package dev.grpcspring.client;

import dev.grpcspring.transport.ClientTransportStream;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * What a call has sent so far (framed messages and the half-close), kept until the call commits
 * to an attempt, so that a new attempt can be given the same request (grpc-go's {@code
 * bufferForRetryLocked}). Owns one reference to each buffer. Its bytes count against the call's
 * limit and the channel's {@link RetryBufferBudget} (gRFC A6). Guarded by its call's lock.
 */
final class ReplayBuffer {
  private static final Object HALF_CLOSE = new Object();

  private final List<Object> ops = new ArrayList<>();
  private final RetryBufferBudget channelBudget;
  private long bytes;
  private long reserved;

  ReplayBuffer(RetryBufferBudget channelBudget) {
    this.channelBudget = channelBudget;
  }

  /**
   * Keeps a message (taking ownership of {@code framed}); false when the call's limit or the
   * channel's is now exceeded, and the call must commit.
   */
  boolean addMessage(ByteBuf framed, long callLimit) {
    ops.add(framed);
    long n = framed.readableBytes();
    bytes += n;
    if (bytes > callLimit || !channelBudget.tryReserve(n)) {
      return false;
    }
    reserved += n;
    return true;
  }

  void addHalfClose() {
    ops.add(HALF_CLOSE);
  }

  /** Sends everything kept, in order, on a new attempt's stream; the buffer keeps its copies. */
  void replayOn(ClientTransportStream stream) {
    for (int i = 0; i < ops.size(); i++) { // indexed: no iterator per attempt
      Object op = ops.get(i);
      if (op == HALF_CLOSE) {
        stream.halfClose();
      } else {
        // A slice: the frame's headroom is the first attempt's (ClientTransportStream#writeMessage).
        stream.writeMessage(((ByteBuf) op).retainedSlice(), true);
      }
    }
  }

  /** Drops everything (the call committed or ended). */
  void release() {
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i) instanceof ByteBuf b) {
        b.release();
      }
    }
    ops.clear();
    bytes = 0;
    channelBudget.release(reserved);
    reserved = 0;
  }
}
