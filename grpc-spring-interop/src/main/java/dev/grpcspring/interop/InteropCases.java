package dev.grpcspring.interop;

import com.google.protobuf.ByteString;
import dev.grpcspring.Channel;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.interceptor.ClientInterceptors;
import dev.grpcspring.interop.testing.BoolValue;
import dev.grpcspring.interop.testing.EchoStatus;
import dev.grpcspring.interop.testing.Empty;
import dev.grpcspring.interop.testing.Payload;
import dev.grpcspring.interop.testing.ResponseParameters;
import dev.grpcspring.interop.testing.SimpleRequest;
import dev.grpcspring.interop.testing.SimpleResponse;
import dev.grpcspring.interop.testing.StreamingInputCallRequest;
import dev.grpcspring.interop.testing.StreamingInputCallResponse;
import dev.grpcspring.interop.testing.StreamingOutputCallRequest;
import dev.grpcspring.interop.testing.StreamingOutputCallResponse;
import dev.grpcspring.interop.testing.TestServiceGrpc;
import dev.grpcspring.interop.testing.UnimplementedServiceGrpc;
import dev.grpcspring.stub.ClientCallStreamObserver;
import dev.grpcspring.stub.StreamObserver;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The standard interop test cases (grpc/grpc doc/interop-test-descriptions.md, and the cases
 * grpc-java adds), run as a client on a {@link Channel} with our generated stubs. Each case returns
 * normally when it passes and throws an {@link AssertionError} or a {@link StatusException} naming
 * what went wrong when it fails.
 */
public final class InteropCases {
  /** The case names this client runs, as {@code --test_case} spells them. */
  public static final List<String> NAMES = List.of(
      "empty_unary", "large_unary", "client_compressed_unary", "client_compressed_unary_noprobe",
      "server_compressed_unary", "client_streaming", "client_compressed_streaming",
      "client_compressed_streaming_noprobe", "server_streaming", "server_compressed_streaming",
      "ping_pong", "empty_stream", "custom_metadata", "status_code_and_message",
      "special_status_message", "unimplemented_method", "unimplemented_service",
      "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server",
      "very_large_request", "pick_first_unary", "rpc_soak", "channel_soak");

  /**
   * Standard cases (grpc-java's TestCases) this client does not run, and why: each needs something
   * outside this program (a caching proxy, cloud credentials, TLS, an ORCA-aware balancer).
   */
  static final Map<String, String> NOT_SUPPORTED = Map.ofEntries(
      Map.entry("cacheable_unary", "it needs a caching HTTP proxy in front of the server"),
      Map.entry("compute_engine_creds", "it needs TLS and Google credentials"),
      Map.entry("compute_engine_channel_credentials",
          "it needs TLS and Google credentials"),
      Map.entry("service_account_creds", "it needs TLS and Google credentials"),
      Map.entry("jwt_token_creds", "it needs TLS and Google credentials"),
      Map.entry("oauth2_auth_token", "it needs TLS and Google credentials"),
      Map.entry("per_rpc_creds", "it needs TLS and Google credentials"),
      Map.entry("google_default_credentials", "it needs TLS and Google credentials"),
      Map.entry("orca_per_rpc", "it needs an ORCA-aware load balancer"),
      Map.entry("orca_oob", "it needs an ORCA-aware load balancer"));

  /** How long any one call may take before the case fails; the interop cases are small. */
  private static final long CALL_TIMEOUT_SECONDS = 30;
  private static final String STATUS_MESSAGE = "test status message";
  private static final String SPECIAL_STATUS_MESSAGE =
      "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08\t\n";
  private static final Metadata.Key<String> ECHO_INITIAL =
      Metadata.Key.of("x-grpc-test-echo-initial", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> ECHO_TRAILING =
      Metadata.Key.of("x-grpc-test-echo-trailing-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private final Channel channel;
  private final SoakTest.Config soak;
  private final SoakTest.ChannelSource freshChannels;

  /**
   * Cases that call the interop services over {@code channel}, with the default soak settings and
   * no way to make new channels (so channel_soak cannot run).
   */
  public InteropCases(Channel channel) {
    this(channel, SoakTest.Config.DEFAULTS, null);
  }

  /**
   * Cases over {@code channel}; the soak cases use {@code soak}, and channel_soak takes a new
   * channel from {@code freshChannels} for every call.
   */
  InteropCases(Channel channel, SoakTest.Config soak, SoakTest.ChannelSource freshChannels) {
    this.channel = channel;
    this.soak = soak;
    this.freshChannels = freshChannels;
  }

  /**
   * Runs one case by its {@code --test_case} name.
   *
   * @throws IllegalArgumentException if this client has no such case
   */
  public void run(String name) throws Exception {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "empty_unary" -> emptyUnary();
      case "large_unary" -> largeUnary();
      case "client_compressed_unary" -> clientCompressedUnary(true);
      case "client_compressed_unary_noprobe" -> clientCompressedUnary(false);
      case "server_compressed_unary" -> serverCompressedUnary();
      case "client_streaming" -> clientStreaming();
      case "client_compressed_streaming" -> clientCompressedStreaming(true);
      case "client_compressed_streaming_noprobe" -> clientCompressedStreaming(false);
      case "server_streaming" -> serverStreaming();
      case "server_compressed_streaming" -> serverCompressedStreaming();
      case "ping_pong" -> pingPong();
      case "empty_stream" -> emptyStream();
      case "custom_metadata" -> customMetadata();
      case "status_code_and_message" -> statusCodeAndMessage(STATUS_MESSAGE);
      case "special_status_message" -> statusCodeAndMessage(SPECIAL_STATUS_MESSAGE);
      case "unimplemented_method" -> unimplementedMethod();
      case "unimplemented_service" -> unimplementedService();
      case "cancel_after_begin" -> cancelAfterBegin();
      case "cancel_after_first_response" -> cancelAfterFirstResponse();
      case "timeout_on_sleeping_server" -> timeoutOnSleepingServer();
      case "very_large_request" -> veryLargeRequest();
      case "pick_first_unary" -> pickFirstUnary();
      case "rpc_soak" -> SoakTest.run(soak, SoakTest.shared(channel));
      case "channel_soak" -> {
        if (freshChannels == null) {
          throw new IllegalStateException("channel_soak needs a way to dial new channels");
        }
        SoakTest.run(soak, freshChannels);
      }
      default -> throw new IllegalArgumentException("Unknown test case '" + name
          + "'; this client runs: " + String.join(", ", NAMES));
    }
  }

  void emptyUnary() {
    Empty response = blocking().emptyCall(Empty.getDefaultInstance());
    check(response != null && response.getSerializedSize() == 0,
        "EmptyCall answered " + response + " instead of an empty message");
  }

  void largeUnary() {
    SimpleResponse response = blocking().unaryCall(largeRequest().build());
    checkZeros(response.getPayload(), 314159, "UnaryCall response");
  }

  void clientCompressedUnary(boolean probe) {
    SimpleRequest expectCompressed = largeRequest().setExpectCompressed(bool(true)).build();
    SimpleRequest expectUncompressed = largeRequest().setExpectCompressed(bool(false)).build();
    if (probe) {
      // Sent uncompressed while claiming otherwise: a server that checks must refuse it.
      expectStatus(Code.INVALID_ARGUMENT, () -> blocking().unaryCall(expectCompressed),
          "the uncompressed probe with expect_compressed=true");
    }
    SimpleResponse compressed = blocking().withCompression("gzip").unaryCall(expectCompressed);
    checkZeros(compressed.getPayload(), 314159, "response to the compressed request");
    SimpleResponse plain = blocking().unaryCall(expectUncompressed);
    checkZeros(plain.getPayload(), 314159, "response to the uncompressed request");
  }

  void serverCompressedUnary() {
    for (boolean compress : new boolean[] {true, false}) {
      CompressionCapture capture = new CompressionCapture();
      SimpleResponse response = TestServiceGrpc.newBlockingStub(
              ClientInterceptors.intercept(channel, List.of(capture)))
          .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .unaryCall(largeRequest().setResponseCompressed(bool(compress)).build());
      checkZeros(response.getPayload(), 314159,
          "response with response_compressed=" + compress);
      check(capture.flags().equals(List.of(compress)), "with response_compressed=" + compress
          + " the response's compressed flags were " + capture.flags());
    }
  }

  void clientStreaming() throws InterruptedException {
    StreamRecorder<StreamingInputCallResponse> responses = new StreamRecorder<>();
    StreamObserver<StreamingInputCallRequest> requests = async().streamingInputCall(responses);
    for (int size : new int[] {27182, 8, 1828, 45904}) {
      requests.onNext(StreamingInputCallRequest.newBuilder().setPayload(zeros(size)).build());
    }
    requests.onCompleted();
    checkAggregatedSize(responses, 74922);
  }

  void clientCompressedStreaming(boolean probe) throws InterruptedException {
    StreamingInputCallRequest expectCompressed = StreamingInputCallRequest.newBuilder()
        .setExpectCompressed(bool(true)).setPayload(zeros(27182)).build();
    StreamingInputCallRequest expectUncompressed = StreamingInputCallRequest.newBuilder()
        .setExpectCompressed(bool(false)).setPayload(zeros(45904)).build();
    if (probe) {
      StreamRecorder<StreamingInputCallResponse> probeResponses = new StreamRecorder<>();
      StreamObserver<StreamingInputCallRequest> probeRequests =
          async().streamingInputCall(probeResponses);
      probeRequests.onNext(expectCompressed);
      probeResponses.awaitCompletion(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      check(probeResponses.status().getCode() == Code.INVALID_ARGUMENT,
          "the uncompressed probe with expect_compressed=true ended with "
              + probeResponses.status() + " instead of INVALID_ARGUMENT");
      // The server ended the call; finish our side so nothing is left open.
      probeRequests.onError(Status.CANCELLED.withDescription("probe done").asException());
    }
    StreamRecorder<StreamingInputCallResponse> responses = new StreamRecorder<>();
    ClientCallStreamObserver<StreamingInputCallRequest> requests =
        clientObserver(async().withCompression("gzip").streamingInputCall(responses));
    requests.setMessageCompression(true);
    requests.onNext(expectCompressed);
    requests.setMessageCompression(false);
    requests.onNext(expectUncompressed);
    requests.onCompleted();
    checkAggregatedSize(responses, 73086);
  }

  void serverStreaming() throws InterruptedException {
    int[] sizes = {31415, 9, 2653, 58979};
    StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
    for (int size : sizes) {
      request.addResponseParameters(ResponseParameters.newBuilder().setSize(size));
    }
    StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
    async().streamingOutputCall(request.build(), responses);
    checkStreamedSizes(responses, sizes);
  }

  void serverCompressedStreaming() throws InterruptedException {
    StreamingOutputCallRequest request = StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(
            ResponseParameters.newBuilder().setSize(31415).setCompressed(bool(true)))
        .addResponseParameters(
            ResponseParameters.newBuilder().setSize(92653).setCompressed(bool(false)))
        .build();
    CompressionCapture capture = new CompressionCapture();
    StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
    TestServiceGrpc.newStub(ClientInterceptors.intercept(channel, List.of(capture)))
        .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .streamingOutputCall(request, responses);
    checkStreamedSizes(responses, new int[] {31415, 92653});
    check(capture.flags().equals(List.of(true, false)),
        "the responses' compressed flags were " + capture.flags() + " instead of [true, false]");
  }

  void pingPong() throws InterruptedException {
    int[] requestSizes = {27182, 8, 1828, 45904};
    int[] responseSizes = {31415, 9, 2653, 58979};
    PingPongObserver responses = new PingPongObserver();
    StreamObserver<StreamingOutputCallRequest> requests = async().fullDuplexCall(responses);
    for (int i = 0; i < requestSizes.length; i++) {
      requests.onNext(streamingRequest(requestSizes[i], responseSizes[i]));
      Object next = responses.queue.poll(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      check(next != null, "no response to ping " + (i + 1) + " within " + CALL_TIMEOUT_SECONDS
          + " s");
      if (next instanceof Throwable t) {
        throw new AssertionError("the call failed at ping " + (i + 1) + ": "
            + Status.fromThrowable(t), t);
      }
      check(next instanceof StreamingOutputCallResponse,
          "the call ended before pong " + (i + 1));
      checkZeros(((StreamingOutputCallResponse) next).getPayload(), responseSizes[i],
          "pong " + (i + 1));
    }
    requests.onCompleted();
    Object end = responses.queue.poll(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    check(end == PingPongObserver.COMPLETED,
        "expected the call to complete OK after 4 pongs, got " + describe(end));
  }

  void emptyStream() throws InterruptedException {
    StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
    async().fullDuplexCall(responses).onCompleted();
    responses.awaitCompletion(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkOk(responses, "FullDuplexCall half-closed at once");
    check(responses.values().isEmpty(),
        "expected no responses, got " + responses.values().size());
  }

  void customMetadata() throws InterruptedException {
    byte[] trailing = {(byte) 0xab, (byte) 0xab, (byte) 0xab};
    Metadata echo = new Metadata();
    echo.put(ECHO_INITIAL, "test_initial_metadata_value");
    echo.put(ECHO_TRAILING, trailing);

    MetadataCapture unaryCapture = new MetadataCapture(echo);
    TestServiceGrpc.TestServiceBlockingStub unaryStub = TestServiceGrpc.newBlockingStub(
            ClientInterceptors.intercept(channel, List.of(unaryCapture)))
        .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    SimpleResponse response = unaryStub.unaryCall(largeRequest().build());
    checkZeros(response.getPayload(), 314159, "UnaryCall response");
    checkEchoed(unaryCapture, trailing, "UnaryCall");

    MetadataCapture streamCapture = new MetadataCapture(echo);
    TestServiceGrpc.TestServiceStub streamStub = TestServiceGrpc.newStub(
            ClientInterceptors.intercept(channel, List.of(streamCapture)))
        .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = streamStub.fullDuplexCall(responses);
    requests.onNext(streamingRequest(271828, 314159));
    requests.onCompleted();
    checkStreamedSizes(responses, new int[] {314159});
    checkEchoed(streamCapture, trailing, "FullDuplexCall");
  }

  void statusCodeAndMessage(String message) throws InterruptedException {
    EchoStatus echo = EchoStatus.newBuilder().setCode(Code.UNKNOWN.value()).setMessage(message)
        .build();
    try {
      blocking().unaryCall(SimpleRequest.newBuilder().setResponseStatus(echo).build());
      throw new AssertionError("UnaryCall with response_status succeeded; expected UNKNOWN");
    } catch (StatusException e) {
      checkStatus(e.getStatus(), Code.UNKNOWN, message, "UnaryCall");
    }
    StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = async().fullDuplexCall(responses);
    requests.onNext(StreamingOutputCallRequest.newBuilder().setResponseStatus(echo).build());
    requests.onCompleted();
    responses.awaitCompletion(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkStatus(responses.status(), Code.UNKNOWN, message, "FullDuplexCall");
  }

  void unimplementedMethod() {
    expectStatus(Code.UNIMPLEMENTED,
        () -> blocking().unimplementedCall(Empty.getDefaultInstance()),
        "TestService/UnimplementedCall");
  }

  void unimplementedService() {
    UnimplementedServiceGrpc.UnimplementedServiceBlockingStub stub =
        UnimplementedServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    expectStatus(Code.UNIMPLEMENTED, () -> stub.unimplementedCall(Empty.getDefaultInstance()),
        "UnimplementedService/UnimplementedCall");
  }

  void cancelAfterBegin() throws InterruptedException {
    StreamRecorder<StreamingInputCallResponse> responses = new StreamRecorder<>();
    ClientCallStreamObserver<StreamingInputCallRequest> requests =
        clientObserver(async().streamingInputCall(responses));
    requests.cancel("cancel_after_begin cancels before sending anything", null);
    responses.awaitCompletion(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    check(responses.status().getCode() == Code.CANCELLED,
        "expected CANCELLED, got " + responses.status());
  }

  void cancelAfterFirstResponse() throws InterruptedException {
    StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
    ClientCallStreamObserver<StreamingOutputCallRequest> requests =
        clientObserver(async().fullDuplexCall(responses));
    requests.onNext(streamingRequest(27182, 31415));
    responses.awaitFirst(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    check(responses.error() == null,
        "the call failed before its first response: " + responses.status());
    checkZeros(responses.values().get(0).getPayload(), 31415, "first response");
    requests.cancel("cancel_after_first_response cancels after the first response", null);
    responses.awaitCompletion(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    check(responses.status().getCode() == Code.CANCELLED,
        "expected CANCELLED, got " + responses.status());
  }

  void timeoutOnSleepingServer() throws InterruptedException {
    StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
    StreamObserver<StreamingOutputCallRequest> requests =
        TestServiceGrpc.newStub(channel).withDeadlineAfter(1, TimeUnit.MILLISECONDS)
            .fullDuplexCall(responses);
    try {
      requests.onNext(StreamingOutputCallRequest.newBuilder().setPayload(zeros(27182)).build());
    } catch (RuntimeException e) {
      // The deadline may pass before the message goes out; the call's status still tells.
      check(Status.fromThrowable(e).getCode() == Code.DEADLINE_EXCEEDED
              || e instanceof IllegalStateException,
          "sending failed with " + e + " instead of the deadline passing");
    }
    responses.awaitCompletion(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    check(responses.status().getCode() == Code.DEADLINE_EXCEEDED,
        "expected DEADLINE_EXCEEDED, got " + responses.status());
  }

  void veryLargeRequest() {
    SimpleRequest request = SimpleRequest.newBuilder()
        .setResponseSize(10)
        .setPayload(zeros(10 * 1024 * 1024))
        .build();
    SimpleResponse response = blocking().unaryCall(request);
    checkZeros(response.getPayload(), 10, "response to the 10 MiB request");
  }

  void pickFirstUnary() {
    SimpleRequest request = SimpleRequest.newBuilder()
        .setResponseSize(1).setFillServerId(true).setPayload(zeros(1)).build();
    String first = blocking().unaryCall(request).getServerId();
    check(!first.isEmpty(), "the server left server_id empty though fill_server_id was set");
    for (int i = 0; i < 100; i++) {
      String id = blocking().unaryCall(request).getServerId();
      check(first.equals(id), "call " + (i + 2) + " reached server '" + id
          + "' after the first reached '" + first + "'; pick_first must stay on one server");
    }
  }

  // ---- helpers ----

  private TestServiceGrpc.TestServiceBlockingStub blocking() {
    return TestServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private TestServiceGrpc.TestServiceStub async() {
    return TestServiceGrpc.newStub(channel)
        .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private static SimpleRequest.Builder largeRequest() {
    return SimpleRequest.newBuilder().setResponseSize(314159).setPayload(zeros(271828));
  }

  private static StreamingOutputCallRequest streamingRequest(int requestSize, int responseSize) {
    return StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(responseSize))
        .setPayload(zeros(requestSize))
        .build();
  }

  private static Payload zeros(int size) {
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }

  private static BoolValue bool(boolean value) {
    return BoolValue.newBuilder().setValue(value).build();
  }

  private static <T> ClientCallStreamObserver<T> clientObserver(StreamObserver<T> observer) {
    if (observer instanceof ClientCallStreamObserver<T> clientObserver) {
      return clientObserver;
    }
    throw new IllegalStateException("expected the stub to return a ClientCallStreamObserver, got "
        + observer.getClass().getName());
  }

  private static void checkZeros(Payload payload, int size, String what) {
    ByteString body = payload.getBody();
    check(body.size() == size,
        what + " carried " + body.size() + " payload bytes instead of " + size);
    for (int i = 0; i < size; i++) {
      if (body.byteAt(i) != 0) {
        throw new AssertionError(what + " payload has a non-zero byte at " + i);
      }
    }
  }

  private static void checkAggregatedSize(
      StreamRecorder<StreamingInputCallResponse> responses, int expected)
      throws InterruptedException {
    responses.awaitCompletion(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkOk(responses, "StreamingInputCall");
    check(responses.values().size() == 1,
        "StreamingInputCall answered " + responses.values().size() + " responses instead of 1");
    int size = responses.values().get(0).getAggregatedPayloadSize();
    check(size == expected, "aggregated_payload_size is " + size + " instead of " + expected);
  }

  private static void checkStreamedSizes(
      StreamRecorder<StreamingOutputCallResponse> responses, int[] sizes)
      throws InterruptedException {
    responses.awaitCompletion(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkOk(responses, "the streaming call");
    List<StreamingOutputCallResponse> values = responses.values();
    int[] got = values.stream().mapToInt(r -> r.getPayload().getBody().size()).toArray();
    check(Arrays.equals(got, sizes), "response payload sizes were " + Arrays.toString(got)
        + " instead of " + Arrays.toString(sizes));
    for (int i = 0; i < sizes.length; i++) {
      checkZeros(values.get(i).getPayload(), sizes[i], "response " + (i + 1));
    }
  }

  private static void checkOk(StreamRecorder<?> responses, String what) {
    Throwable error = responses.error();
    if (error != null) {
      throw new AssertionError(what + " failed: " + Status.fromThrowable(error), error);
    }
  }

  private static void checkEchoed(MetadataCapture capture, byte[] trailing, String what) {
    Metadata headers = capture.headers();
    String initial = headers == null ? null : headers.get(ECHO_INITIAL);
    check("test_initial_metadata_value".equals(initial),
        what + ": x-grpc-test-echo-initial came back as " + initial
            + " in the response headers");
    Metadata trailers = capture.trailers();
    byte[] echoed = trailers == null ? null : trailers.get(ECHO_TRAILING);
    check(Arrays.equals(trailing, echoed), what + ": x-grpc-test-echo-trailing-bin came back as "
        + (echoed == null ? "nothing" : Arrays.toString(echoed)) + " in the trailers");
  }

  private static void checkStatus(Status status, Code code, String message, String what) {
    check(status.getCode() == code && message.equals(status.getDescription()),
        what + " ended with " + status.getCode() + " '" + status.getDescription()
            + "' instead of " + code + " '" + message + "'");
  }

  private static void expectStatus(Code code, Runnable call, String what) {
    try {
      call.run();
    } catch (StatusException e) {
      check(e.getStatus().getCode() == code,
          what + " failed with " + e.getStatus() + " instead of " + code);
      return;
    }
    throw new AssertionError(what + " succeeded; expected " + code);
  }

  private static void check(boolean condition, String failure) {
    if (!condition) {
      throw new AssertionError(failure);
    }
  }

  private static String describe(Object event) {
    if (event instanceof Throwable t) {
      return "an error: " + Status.fromThrowable(t);
    }
    return event == null ? "nothing within " + CALL_TIMEOUT_SECONDS + " s" : "another response";
  }

  /** Queues each response, error or completion as it comes, for the lock-step ping_pong. */
  private static final class PingPongObserver
      implements StreamObserver<StreamingOutputCallResponse> {
    static final Object COMPLETED = new Object();
    final java.util.concurrent.LinkedBlockingQueue<Object> queue =
        new java.util.concurrent.LinkedBlockingQueue<>();

    @Override
    public void onNext(StreamingOutputCallResponse value) {
      queue.add(value);
    }

    @Override
    public void onError(Throwable t) {
      queue.add(t);
    }

    @Override
    public void onCompleted() {
      queue.add(COMPLETED);
    }
  }
}
