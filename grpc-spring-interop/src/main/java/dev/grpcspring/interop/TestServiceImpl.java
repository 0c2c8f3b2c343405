package dev.grpcspring.interop;

import com.google.protobuf.ByteString;
import dev.grpcspring.Status;
import dev.grpcspring.interop.testing.BoolValue;
import dev.grpcspring.interop.testing.EchoStatus;
import dev.grpcspring.interop.testing.Empty;
import dev.grpcspring.interop.testing.PayloadType;
import dev.grpcspring.interop.testing.SimpleRequest;
import dev.grpcspring.interop.testing.SimpleResponse;
import dev.grpcspring.interop.testing.StreamingInputCallRequest;
import dev.grpcspring.interop.testing.StreamingInputCallResponse;
import dev.grpcspring.interop.testing.StreamingOutputCallRequest;
import dev.grpcspring.interop.testing.StreamingOutputCallResponse;
import dev.grpcspring.interop.testing.TestServiceGrpc;
import dev.grpcspring.server.ServerServiceDefinition;
import dev.grpcspring.stub.ServerCallStreamObserver;
import dev.grpcspring.stub.StreamObserver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The interop {@code grpc.testing.TestService}: every server feature the standard interop cases
 * use. Payloads are zeros (the COMPRESSABLE type); {@code expect_compressed} is checked against how
 * each request message really arrived ({@link RequestCompression}); {@code response_compressed} and
 * {@code ResponseParameters.compressed} switch gzip on per response message; {@code response_status}
 * ends the call with that status; {@code interval_us} delays a response on a scheduler.
 *
 * <p>Metadata echo ({@code x-grpc-test-echo-initial}, {@code x-grpc-test-echo-trailing-bin}) is done
 * by {@link EchoMetadataInterceptor}, and the compression check needs {@link RequestCompression}:
 * register {@link #serviceDefinition()}, which installs them, rather than {@link #bindService()}.
 *
 * <p>Not supported: {@code fill_username} and {@code fill_oauth_scope} stay empty (no call
 * credentials are checked yet), {@code fill_grpclb_route_type} answers UNKNOWN (this server cannot
 * tell how a client found it), and the ORCA load reports are ignored.
 */
public final class TestServiceImpl extends TestServiceGrpc.TestServiceImplBase {
  private static final Logger logger = Logger.getLogger(TestServiceImpl.class.getName());

  private final ScheduledExecutorService scheduler;
  private final String serverId;
  private final String hostname;

  /**
   * A service whose delayed responses wait on {@code scheduler}.
   *
   * @param scheduler runs {@code interval_us} waits; the caller owns and shuts it down
   */
  public TestServiceImpl(ScheduledExecutorService scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.serverId = "grpc-spring-" + UUID.randomUUID();
    this.hostname = localHostname();
  }

  /**
   * The definition to register on a server: this service behind the interceptors its features
   * need (request-compression tracking, metadata echo, cache-control).
   */
  public ServerServiceDefinition serviceDefinition() {
    return bindService().intercept(List.of(
        new RequestCompression(), new EchoMetadataInterceptor(), new CacheControlInterceptor()));
  }

  /** What {@code fill_server_id} reports: the same for every call to this instance. */
  public String serverId() {
    return serverId;
  }

  @Override
  public void emptyCall(Empty request, StreamObserver<Empty> responseObserver) {
    responseObserver.onNext(Empty.getDefaultInstance());
    responseObserver.onCompleted();
  }

  @Override
  public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
    Status failure = checkUnaryRequest(request);
    if (failure != null) {
      responseObserver.onError(failure.asException());
      return;
    }
    ServerCallStreamObserver<SimpleResponse> observer = serverObserver(responseObserver);
    if (request.hasResponseCompressed() && request.getResponseCompressed().getValue()) {
      observer.setCompression("gzip");
      observer.setMessageCompression(true);
    }
    observer.onNext(unaryResponse(request).build());
    observer.onCompleted();
  }

  /**
   * Like {@link #unaryCall}, but meant to be cached by an HTTP proxy ({@link CacheControlInterceptor}
   * marks the response cacheable), and when the request carries a payload the response's payload is the
   * time it was made, so that a client can tell a cached answer (same bytes) from a fresh one.
   */
  @Override
  public void cacheableUnaryCall(
      SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
    Status failure = checkUnaryRequest(request);
    if (failure != null) {
      responseObserver.onError(failure.asException());
      return;
    }
    SimpleResponse.Builder response = unaryResponse(request);
    if (request.hasPayload()) {
      response.getPayloadBuilder().setBody(
          ByteString.copyFrom(Long.toString(System.nanoTime()), StandardCharsets.US_ASCII));
    }
    responseObserver.onNext(response.build());
    responseObserver.onCompleted();
  }

  @Override
  public void streamingOutputCall(
      StreamingOutputCallRequest request,
      StreamObserver<StreamingOutputCallResponse> responseObserver) {
    ResponseStream stream = new ResponseStream(serverObserver(responseObserver), scheduler);
    Status failure = checkStreamingRequest(request);
    if (failure != null) {
      stream.failNow(failure);
      return;
    }
    stream.enqueue(request.getResponseParametersList());
    if (hasEchoStatus(request.getResponseStatus())) {
      stream.enqueueStatus(echoStatus(request.getResponseStatus()));
    }
    stream.inputDone();
  }

  @Override
  public StreamObserver<StreamingInputCallRequest> streamingInputCall(
      StreamObserver<StreamingInputCallResponse> responseObserver) {
    return new StreamObserver<>() {
      private int aggregatedSize;
      private boolean failed;

      @Override
      public void onNext(StreamingInputCallRequest request) {
        if (failed) {
          return; // The call already ended; later messages have nowhere to go.
        }
        Status failure = checkExpectCompressed(request.hasExpectCompressed()
            ? request.getExpectCompressed() : null);
        if (failure != null) {
          failed = true;
          responseObserver.onError(failure.asException());
          return;
        }
        aggregatedSize += request.getPayload().getBody().size();
      }

      @Override
      public void onError(Throwable t) {
        logger.log(Level.FINE, "StreamingInputCall request stream failed", t);
      }

      @Override
      public void onCompleted() {
        if (failed) {
          return;
        }
        responseObserver.onNext(StreamingInputCallResponse.newBuilder()
            .setAggregatedPayloadSize(aggregatedSize)
            .build());
        responseObserver.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<StreamingOutputCallRequest> fullDuplexCall(
      StreamObserver<StreamingOutputCallResponse> responseObserver) {
    ResponseStream stream = new ResponseStream(serverObserver(responseObserver), scheduler);
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamingOutputCallRequest request) {
        queueResponses(stream, request);
      }

      @Override
      public void onError(Throwable t) {
        stream.requestStreamFailed(t);
      }

      @Override
      public void onCompleted() {
        stream.inputDone();
      }
    };
  }

  @Override
  public StreamObserver<StreamingOutputCallRequest> halfDuplexCall(
      StreamObserver<StreamingOutputCallResponse> responseObserver) {
    ResponseStream stream = new ResponseStream(serverObserver(responseObserver), scheduler);
    List<StreamingOutputCallRequest> requests = new ArrayList<>();
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamingOutputCallRequest request) {
        requests.add(request);
      }

      @Override
      public void onError(Throwable t) {
        requests.clear();
        stream.requestStreamFailed(t);
      }

      @Override
      public void onCompleted() {
        for (StreamingOutputCallRequest request : requests) {
          queueResponses(stream, request);
        }
        requests.clear();
        stream.inputDone();
      }
    };
  }

  /**
   * Queues the responses one streaming request asks for. A request with a non-OK
   * {@code response_status} ends the call with it instead, after the responses already queued.
   */
  private static void queueResponses(ResponseStream stream, StreamingOutputCallRequest request) {
    Status failure = checkStreamingRequest(request);
    if (failure != null) {
      stream.failNow(failure);
      return;
    }
    if (hasEchoStatus(request.getResponseStatus())) {
      stream.enqueueStatus(echoStatus(request.getResponseStatus()));
      return;
    }
    stream.enqueue(request.getResponseParametersList());
  }

  private SimpleResponse.Builder unaryResponse(SimpleRequest request) {
    SimpleResponse.Builder response = SimpleResponse.newBuilder();
    if (request.getResponseSize() > 0) {
      response.setPayload(ResponseStream.zeros(request.getResponseSize()));
    }
    if (request.getFillServerId()) {
      response.setServerId(serverId).setHostname(hostname);
    }
    return response;
  }

  /** The status a unary request must end with instead of a response, or null to answer it. */
  private static Status checkUnaryRequest(SimpleRequest request) {
    if (hasEchoStatus(request.getResponseStatus())) {
      return echoStatus(request.getResponseStatus());
    }
    if (request.getResponseType() != PayloadType.COMPRESSABLE) {
      return Status.INVALID_ARGUMENT.withDescription("response_type "
          + request.getResponseTypeValue() + " is not supported; only COMPRESSABLE (0) is");
    }
    if (request.getResponseSize() < 0) {
      return Status.INVALID_ARGUMENT.withDescription(
          "response_size must not be negative, got " + request.getResponseSize());
    }
    return checkExpectCompressed(
        request.hasExpectCompressed() ? request.getExpectCompressed() : null);
  }

  private static Status checkStreamingRequest(StreamingOutputCallRequest request) {
    if (request.getResponseType() != PayloadType.COMPRESSABLE) {
      return Status.INVALID_ARGUMENT.withDescription("response_type "
          + request.getResponseTypeValue() + " is not supported; only COMPRESSABLE (0) is");
    }
    return null;
  }

  /**
   * INVALID_ARGUMENT when the client said the message it is delivering now must have been
   * compressed and it was not.
   */
  private static Status checkExpectCompressed(BoolValue expectCompressed) {
    if (expectCompressed == null || !expectCompressed.getValue()) {
      return null;
    }
    if (!RequestCompression.lastMessageCompressed()) {
      return Status.INVALID_ARGUMENT.withDescription(
          "expect_compressed is true but the request message arrived uncompressed");
    }
    return null;
  }

  private static boolean hasEchoStatus(EchoStatus status) {
    return status.getCode() != 0;
  }

  private static Status echoStatus(EchoStatus echo) {
    return Status.fromCodeValue(echo.getCode()).withDescription(echo.getMessage());
  }

  private static <T> ServerCallStreamObserver<T> serverObserver(StreamObserver<T> observer) {
    if (observer instanceof ServerCallStreamObserver<T> serverObserver) {
      return serverObserver;
    }
    throw new IllegalStateException(
        "TestServiceImpl must be served by a grpc-spring server; got observer " + observer);
  }

  private static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      logger.log(Level.FINE, "no local hostname; reporting localhost", e);
      return "localhost";
    }
  }
}
