package dev.grpcspring.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Attributes;
import dev.grpcspring.Context;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.channelz.CallCounters;
import dev.grpcspring.codec.CompressorRegistry;
import dev.grpcspring.transport.ServerStreamListener;
import dev.grpcspring.transport.ServerTransportStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/**
 * A handler's request(n) after it closed the call asks the stream for nothing: on the event loop
 * (direct executor) the stream hands a request to its deframer at once, which would deliver a
 * buffered message to a handler that has already closed.
 */
class ServerCallRequestAfterCloseTest {
  @Test
  void requestAfterCloseIsNotPassedToTheStream() {
    RecordingStream stream = new RecordingStream();
    ServerCallImpl<?, ?> call = new ServerCallImpl<>(stream, EchoService.BIDI,
        Context.ROOT.withCancellation(), new ReadBatch(Runnable::run, false), CompressorRegistry.getDefaultInstance(),
        new CallCounters());

    call.request(1);
    call.close(Status.OK, new Metadata());
    call.request(1);

    assertThat(stream.events).containsExactly("request 1", "close OK");
  }

  /** Records what the call asks of its stream. */
  private static final class RecordingStream implements ServerTransportStream {
    final List<String> events = new ArrayList<>();

    @Override
    public void setListener(ServerStreamListener listener) {}

    @Override
    public String authority() {
      return null;
    }

    @Override
    public long timeoutNanos() {
      return -1;
    }

    @Override
    public CharSequence acceptEncoding() {
      return null;
    }

    @Override
    public Attributes attributes() {
      return Attributes.EMPTY;
    }

    @Override
    public ScheduledExecutorService scheduler() {
      throw new UnsupportedOperationException("no deadline in this test");
    }

    @Override
    public ByteBufAllocator alloc() {
      return UnpooledByteBufAllocator.DEFAULT;
    }

    @Override
    public void request(int n) {
      events.add("request " + n);
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void writeHeaders(Metadata metadata, String encoding, boolean flush) {
      events.add("headers");
    }

    @Override
    public void writeMessage(ByteBuf frame, boolean flush) {
      frame.release();
      events.add("message");
    }

    @Override
    public void close(Status status, Metadata trailers) {
      events.add("close " + status.getCode());
    }

    @Override
    public void closeWithError(Status status, Metadata trailers) {
      events.add("closeWithError " + status.getCode());
    }

    @Override
    public void cancel(Status status) {
      events.add("cancel " + status.getCode());
    }
  }
}
