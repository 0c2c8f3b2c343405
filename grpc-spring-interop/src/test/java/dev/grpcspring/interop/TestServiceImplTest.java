package dev.grpcspring.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.interop.testing.BoolValue;
import dev.grpcspring.interop.testing.EchoStatus;
import dev.grpcspring.interop.testing.Payload;
import dev.grpcspring.interop.testing.ResponseParameters;
import dev.grpcspring.interop.testing.SimpleRequest;
import dev.grpcspring.interop.testing.SimpleResponse;
import dev.grpcspring.interop.testing.StreamingInputCallRequest;
import dev.grpcspring.interop.testing.StreamingInputCallResponse;
import dev.grpcspring.interop.testing.StreamingOutputCallRequest;
import dev.grpcspring.interop.testing.StreamingOutputCallResponse;
import dev.grpcspring.interop.testing.TestServiceGrpc;
import dev.grpcspring.server.ServerMethodDefinition;
import dev.grpcspring.server.ServerServiceDefinition;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service's per-message behaviour, checked on a call with no transport: which responses are
 * compressed, when {@code expect_compressed} refuses a request, the echoed status and metadata, and
 * the pacing of {@code interval_us}. A grpc-java client cannot see most of this on the wire.
 */
class TestServiceImplTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ServerServiceDefinition service =
      new TestServiceImpl(scheduler).serviceDefinition();

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  @Test
  void unaryAnswersWithZerosOfTheAskedSize() throws Exception {
    RecordingServerCall<SimpleRequest, SimpleResponse> call = unary(
        SimpleRequest.newBuilder().setResponseSize(314159).setPayload(zeros(271828)).build(),
        false, new Metadata());

    assertThat(call.status().getCode()).isEqualTo(Code.OK);
    assertThat(call.sent()).hasSize(1);
    ByteString body = call.sent().get(0).message().getPayload().getBody();
    assertThat(body.size()).isEqualTo(314159);
    assertThat(body.toByteArray()).containsOnly(0);
  }

  @Test
  void expectCompressedRefusesAnUncompressedRequestAndAcceptsACompressedOne() throws Exception {
    SimpleRequest request = SimpleRequest.newBuilder().setResponseSize(10)
        .setExpectCompressed(bool(true)).build();

    RecordingServerCall<SimpleRequest, SimpleResponse> plain = unary(request, false, new Metadata());
    assertThat(plain.status().getCode()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(plain.status().getDescription()).contains("expect_compressed");
    assertThat(plain.sent()).isEmpty();

    RecordingServerCall<SimpleRequest, SimpleResponse> compressed =
        unary(request, true, new Metadata());
    assertThat(compressed.status().getCode()).isEqualTo(Code.OK);
    assertThat(compressed.sent().get(0).message().getPayload().getBody().size()).isEqualTo(10);
  }

  @Test
  void responseCompressedSetsTheFlagOnlyWhenAsked() throws Exception {
    SimpleRequest.Builder request = SimpleRequest.newBuilder().setResponseSize(100);

    assertThat(unary(request.setResponseCompressed(bool(true)).build(), false, new Metadata())
        .sent().get(0).compressed()).isTrue();
    assertThat(unary(request.setResponseCompressed(bool(false)).build(), false, new Metadata())
        .sent().get(0).compressed()).isFalse();
    assertThat(unary(request.clearResponseCompressed().build(), false, new Metadata())
        .sent().get(0).compressed()).isFalse();
  }

  @Test
  void unsupportedResponseTypeIsInvalidArgument() throws Exception {
    RecordingServerCall<SimpleRequest, SimpleResponse> call = unary(
        SimpleRequest.newBuilder().setResponseTypeValue(7).setResponseSize(1).build(),
        false, new Metadata());

    assertThat(call.status().getCode()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(call.status().getDescription()).contains("response_type 7");
  }

  @Test
  void echoStatusEndsTheCallWithThatCodeAndMessage() throws Exception {
    String message = "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08";
    RecordingServerCall<SimpleRequest, SimpleResponse> call = unary(
        SimpleRequest.newBuilder().setResponseSize(10)
            .setResponseStatus(EchoStatus.newBuilder().setCode(2).setMessage(message)).build(),
        false, new Metadata());

    assertThat(call.status().getCode()).isEqualTo(Code.UNKNOWN);
    assertThat(call.status().getDescription()).isEqualTo(message);
    assertThat(call.sent()).isEmpty();
  }

  @Test
  void echoMetadataGoesToHeadersAndTrailers() throws Exception {
    Metadata headers = echoHeaders();
    RecordingServerCall<SimpleRequest, SimpleResponse> call =
        unary(SimpleRequest.newBuilder().setResponseSize(1).build(), false, headers);

    assertThat(call.headers().get(EchoMetadataInterceptor.ECHO_INITIAL))
        .isEqualTo("test_initial_metadata_value");
    assertThat(call.trailers().get(EchoMetadataInterceptor.ECHO_TRAILING))
        .containsExactly(0xab, 0xab, 0xab);
  }

  @Test
  void echoedInitialMetadataRidesInTheTrailersWhenNoHeadersWereSent() throws Exception {
    RecordingServerCall<SimpleRequest, SimpleResponse> call = unary(
        SimpleRequest.newBuilder()
            .setResponseStatus(EchoStatus.newBuilder().setCode(5).setMessage("gone")).build(),
        false, echoHeaders());

    assertThat(call.headers()).isNull();
    assertThat(call.status().getCode()).isEqualTo(Code.NOT_FOUND);
    assertThat(call.trailers().get(EchoMetadataInterceptor.ECHO_INITIAL))
        .isEqualTo("test_initial_metadata_value");
    assertThat(call.trailers().get(EchoMetadataInterceptor.ECHO_TRAILING))
        .containsExactly(0xab, 0xab, 0xab);
  }

  @Test
  void fillServerIdIsStableAcrossCalls() throws Exception {
    SimpleRequest request = SimpleRequest.newBuilder().setFillServerId(true).build();
    String first = unary(request, false, new Metadata()).sent().get(0).message().getServerId();
    String second = unary(request, false, new Metadata()).sent().get(0).message().getServerId();

    assertThat(first).isNotEmpty().isEqualTo(second);
  }

  @Test
  void cacheableUnaryIsMarkedCacheableAndStampsThePayload() throws Exception {
    RecordingServerCall<SimpleRequest, SimpleResponse> call = start(
        TestServiceGrpc.getCacheableUnaryCallMethod(), new Metadata());
    ServerCall.Listener<SimpleRequest> listener = call.listener;
    listener.onMessage(SimpleRequest.newBuilder().setPayload(zeros(4)).build());
    listener.onHalfClose();
    call.awaitClose();

    assertThat(call.headers().get(CacheControlInterceptor.CACHE_CONTROL))
        .isEqualTo("max-age=60, public");
    assertThat(call.sent().get(0).message().getPayload().getBody().toStringUtf8())
        .matches("[0-9]+");
  }

  @Test
  void streamingOutputPacesByIntervalAndCompressesPerMessage() throws Exception {
    StreamingOutputCallRequest request = StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(31415)
            .setCompressed(bool(true)).setIntervalUs(30_000))
        .addResponseParameters(ResponseParameters.newBuilder().setSize(9)
            .setIntervalUs(30_000))
        .addResponseParameters(ResponseParameters.newBuilder().setSize(2653)
            .setCompressed(bool(false)))
        .build();
    RecordingServerCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = start(
        TestServiceGrpc.getStreamingOutputCallMethod(), new Metadata());
    long started = System.nanoTime();
    call.listener.onMessage(request);
    call.listener.onHalfClose();
    call.awaitClose();

    assertThat(call.status().getCode()).isEqualTo(Code.OK);
    List<RecordingServerCall.Sent<StreamingOutputCallResponse>> sent = call.sent();
    assertThat(sent).extracting(s -> s.message().getPayload().getBody().size())
        .containsExactly(31415, 9, 2653);
    assertThat(sent).extracting(RecordingServerCall.Sent::compressed)
        .containsExactly(true, false, false);
    assertThat(TimeUnit.NANOSECONDS.toMillis(sent.get(0).nanoTime() - started))
        .isGreaterThanOrEqualTo(29);
    assertThat(TimeUnit.NANOSECONDS.toMillis(sent.get(1).nanoTime() - sent.get(0).nanoTime()))
        .isGreaterThanOrEqualTo(29);
  }

  @Test
  void fullDuplexAnswersEachRequestInOrderThenEndsWithAnEchoedStatus() throws Exception {
    RecordingServerCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = start(
        TestServiceGrpc.getFullDuplexCallMethod(), new Metadata());
    // The first answer waits 20 ms; the second must still come after it.
    call.listener.onMessage(StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(5).setIntervalUs(20_000))
        .build());
    call.listener.onMessage(StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(6))
        .build());
    call.listener.onMessage(StreamingOutputCallRequest.newBuilder()
        .setResponseStatus(EchoStatus.newBuilder().setCode(2).setMessage("test status message"))
        .build());
    call.awaitClose();

    assertThat(call.sent()).extracting(s -> s.message().getPayload().getBody().size())
        .containsExactly(5, 6);
    assertThat(call.status().getCode()).isEqualTo(Code.UNKNOWN);
    assertThat(call.status().getDescription()).isEqualTo("test status message");
  }

  @Test
  void halfDuplexAnswersOnlyAfterTheClientHalfCloses() throws Exception {
    RecordingServerCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = start(
        TestServiceGrpc.getHalfDuplexCallMethod(), new Metadata());
    call.listener.onMessage(StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(3)).build());
    call.listener.onMessage(StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(4)).build());
    assertThat(call.sent()).isEmpty();

    call.listener.onHalfClose();
    call.awaitClose();
    assertThat(call.sent()).extracting(s -> s.message().getPayload().getBody().size())
        .containsExactly(3, 4);
    assertThat(call.status().getCode()).isEqualTo(Code.OK);
  }

  @Test
  void streamingInputChecksEachMessageAgainstHowItArrived() throws Exception {
    RecordingServerCall<StreamingInputCallRequest, StreamingInputCallResponse> ok = start(
        TestServiceGrpc.getStreamingInputCallMethod(), new Metadata());
    ok.inboundCompressed = true;
    ok.listener.onMessage(StreamingInputCallRequest.newBuilder()
        .setExpectCompressed(bool(true)).setPayload(zeros(27182)).build());
    ok.inboundCompressed = false;
    ok.listener.onMessage(StreamingInputCallRequest.newBuilder()
        .setExpectCompressed(bool(false)).setPayload(zeros(45904)).build());
    ok.listener.onHalfClose();
    ok.awaitClose();
    assertThat(ok.status().getCode()).isEqualTo(Code.OK);
    assertThat(ok.sent().get(0).message().getAggregatedPayloadSize()).isEqualTo(73086);

    RecordingServerCall<StreamingInputCallRequest, StreamingInputCallResponse> probe = start(
        TestServiceGrpc.getStreamingInputCallMethod(), new Metadata());
    probe.listener.onMessage(StreamingInputCallRequest.newBuilder()
        .setExpectCompressed(bool(true)).setPayload(zeros(27182)).build());
    probe.awaitClose();
    assertThat(probe.status().getCode()).isEqualTo(Code.INVALID_ARGUMENT);
  }

  @Test
  void streamingWaitsWhileTheCallIsNotReady() throws Exception {
    RecordingServerCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = start(
        TestServiceGrpc.getFullDuplexCallMethod(), new Metadata());
    call.ready = false;
    call.listener.onMessage(StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(7))
        .addResponseParameters(ResponseParameters.newBuilder().setSize(8))
        .build());
    call.listener.onHalfClose();
    assertThat(call.sent()).isEmpty();
    assertThat(call.status()).isNull();

    call.ready = true;
    call.listener.onReady();
    call.awaitClose();
    assertThat(call.sent()).extracting(s -> s.message().getPayload().getBody().size())
        .containsExactly(7, 8);
    assertThat(call.status().getCode()).isEqualTo(Code.OK);
  }

  @Test
  void cancellationStopsDelayedResponses() throws Exception {
    RecordingServerCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = start(
        TestServiceGrpc.getFullDuplexCallMethod(), new Metadata());
    call.listener.onMessage(StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(5).setIntervalUs(100_000))
        .build());
    call.markCancelled();
    call.listener.onCancel();
    Thread.sleep(300); // well past the 100 ms the response was due

    assertThat(call.sent()).isEmpty();
    assertThat(call.status()).isNull();
  }

  // ---- helpers ----

  private RecordingServerCall<SimpleRequest, SimpleResponse> unary(
      SimpleRequest request, boolean arrivedCompressed, Metadata headers) throws Exception {
    RecordingServerCall<SimpleRequest, SimpleResponse> call =
        start(TestServiceGrpc.getUnaryCallMethod(), headers);
    call.inboundCompressed = arrivedCompressed;
    call.listener.onMessage(request);
    call.inboundCompressed = false;
    call.listener.onHalfClose();
    call.awaitClose();
    return call;
  }

  /** Starts a call of {@code method} on the registered (intercepted) service. */
  private <ReqT, RespT> RecordingServerCall<ReqT, RespT> start(
      MethodDescriptor<ReqT, RespT> method, Metadata headers) {
    @SuppressWarnings("unchecked")
    ServerMethodDefinition<ReqT, RespT> definition =
        (ServerMethodDefinition<ReqT, RespT>) service.getMethod(method.getFullMethodName());
    RecordingServerCall<ReqT, RespT> call = new RecordingServerCall<>(method);
    ServerCallHandler<ReqT, RespT> handler = definition.getServerCallHandler();
    call.listener = handler.startCall(call, headers);
    return call;
  }

  private static Metadata echoHeaders() {
    Metadata headers = new Metadata();
    headers.put(EchoMetadataInterceptor.ECHO_INITIAL, "test_initial_metadata_value");
    headers.put(EchoMetadataInterceptor.ECHO_TRAILING,
        new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab});
    return headers;
  }

  private static Payload zeros(int size) {
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }

  private static BoolValue bool(boolean value) {
    return BoolValue.newBuilder().setValue(value).build();
  }
}
