package dev.grpcspring.transport.inprocess;

import dev.grpcspring.Deadline;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.codec.CompressorRegistry;
import dev.grpcspring.credentials.TransportCredentials;
import dev.grpcspring.inprocess.InProcessSocketAddress;
import dev.grpcspring.protocol.CallHeader;
import dev.grpcspring.protocol.MessageFramer;
import dev.grpcspring.transport.ClientTransportListener;
import dev.grpcspring.transport.ClientTransportOptions;
import dev.grpcspring.transport.ClientTransportStream;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultEventLoopGroup;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link InProcessClientTransport} used directly, without a channel: for what only the
 * transport shows (its life events, the server's own deadline timer).
 */
final class TransportFixture implements AutoCloseable, ClientTransportListener {
  final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  /** Required by the options record; the in-process transport never uses it. */
  private final DefaultEventLoopGroup unusedGroup = new DefaultEventLoopGroup(1);
  private final ExecutorService offload = Executors.newCachedThreadPool();
  final InProcessClientTransport transport;

  TransportFixture(String name) throws InterruptedException {
    ClientTransportOptions options = new ClientTransportOptions(unusedGroup, null,
        TransportCredentials.insecure(), 20_000,
        1024 * 1024, 1024 * 1024, false, 8192, CompressorRegistry.getDefaultInstance(), offload);
    transport = new InProcessClientTransport(new InProcessSocketAddress(name), "localhost", options,
        this);
    transport.start();
    String first = events.poll(10, TimeUnit.SECONDS);
    if (!"ready".equals(first)) {
      throw new AssertionError("Transport not ready: " + first);
    }
  }

  /** Starts a call sending {@code request} and half-closing; the listener requests everything. */
  <ReqT> RecordingStreamListener call(MethodDescriptor<ReqT, ?> method, ReqT request,
      Deadline deadline) throws Exception {
    RecordingStreamListener l = new RecordingStreamListener();
    ClientTransportStream s = transport.newStream(l, Integer.MAX_VALUE, true);
    new CallHeader(method.getPath(), "localhost", deadline, null, null, null, "test", new Metadata())
        .writeTo(s.requestHeaders(), false);
    s.start();
    s.writeMessage(new MessageFramer(ByteBufAllocator.DEFAULT, Integer.MAX_VALUE)
        .frame(request, method.getRequestMarshaller()), true);
    s.halfClose();
    s.request(Integer.MAX_VALUE);
    return l;
  }

  @Override
  public void transportReady() {
    events.add("ready");
  }

  @Override
  public void transportShutdown(Status status) {
    events.add("shutdown:" + status.getCode());
  }

  @Override
  public void transportTerminated() {
    events.add("terminated");
  }

  @Override
  public void close() {
    transport.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
    unusedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    offload.shutdown();
  }
}
