package dev.grpcspring.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientStreamTracer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.ClientCalls;
import io.grpc.testing.integration.Messages.BoolValue;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.TestServiceGrpc;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What grpc-java's interop client cannot assert: that our server compresses exactly the responses
 * the request asks to have compressed (server_compressed_unary, server_compressed_streaming). A
 * grpc-java stream tracer reports each response's size on the wire; zeros compress to a small
 * fraction of their size, so a compressed response is unmistakable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class ServerCompressionWireTest {
  private InteropServer server;
  private ManagedChannel channel;

  @BeforeAll
  void start() throws Exception {
    server = InteropServer.start(0);
    channel = Grpc.newChannelBuilderForAddress(
        "localhost", server.port(), InsecureChannelCredentials.create()).build();
  }

  @AfterAll
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void unaryResponseIsCompressedOnTheWireOnlyWhenAsked() {
    assertThat(unaryWireSize(true)).isLessThan(314159 / 10);
    assertThat(unaryWireSize(false)).isGreaterThanOrEqualTo(314159);
  }

  @Test
  void streamedResponsesAreCompressedMessageByMessage() {
    WireSizes sizes = new WireSizes();
    StreamingOutputCallRequest request = StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(31415)
            .setCompressed(BoolValue.newBuilder().setValue(true)))
        .addResponseParameters(ResponseParameters.newBuilder().setSize(92653)
            .setCompressed(BoolValue.newBuilder().setValue(false)))
        .build();
    Iterator<?> responses = ClientCalls.blockingServerStreamingCall(channel,
        TestServiceGrpc.getStreamingOutputCallMethod(), options(sizes), request);
    responses.forEachRemaining(r -> { });

    assertThat(sizes.perMessage).hasSize(2);
    assertThat(sizes.perMessage.get(0)).isLessThan(31415 / 10);
    assertThat(sizes.perMessage.get(1)).isGreaterThanOrEqualTo(92653);
  }

  private long unaryWireSize(boolean compressed) {
    WireSizes sizes = new WireSizes();
    SimpleRequest request = SimpleRequest.newBuilder()
        .setResponseSize(314159)
        .setResponseCompressed(BoolValue.newBuilder().setValue(compressed))
        .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[1000])))
        .build();
    var response = ClientCalls.blockingUnaryCall(
        channel, TestServiceGrpc.getUnaryCallMethod(), options(sizes), request);
    assertThat(response.getPayload().getBody().size()).isEqualTo(314159);
    assertThat(sizes.perMessage).hasSize(1);
    return sizes.perMessage.get(0);
  }

  private static CallOptions options(WireSizes sizes) {
    return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)
        .withStreamTracerFactory(new ClientStreamTracer.Factory() {
          @Override
          public ClientStreamTracer newClientStreamTracer(
              ClientStreamTracer.StreamInfo info, Metadata headers) {
            return sizes;
          }
        });
  }

  /** Records the wire size of every response message, in order. */
  private static final class WireSizes extends ClientStreamTracer {
    final List<Long> perMessage = new ArrayList<>();

    @Override
    public synchronized void inboundMessageRead(int seqNo, long wireSize, long uncompressedSize) {
      perMessage.add(wireSize);
    }
  }
}
