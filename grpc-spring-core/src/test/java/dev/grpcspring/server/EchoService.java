package dev.grpcspring.server;

import com.google.protobuf.Any;
import com.google.protobuf.StringValue;
import com.google.rpc.ErrorInfo;
import dev.grpcspring.Code;
import dev.grpcspring.Context;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.ServiceDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.StatusProto;
import dev.grpcspring.codec.ProtoMarshaller;
import dev.grpcspring.interceptor.ForwardingServerCall;
import dev.grpcspring.interceptor.ServerInterceptor;
import dev.grpcspring.stub.ServerCallStreamObserver;
import dev.grpcspring.stub.ServerCalls;
import dev.grpcspring.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test service over {@code google.protobuf.StringValue}, with the same methods described for our
 * server and for grpc-java's client. The request text picks the behaviour.
 */
final class EchoService {
  static final String NAME = "test.Echo";
  static final ProtoMarshaller<StringValue> MARSHALLER =
      ProtoMarshaller.of(StringValue.getDefaultInstance());

  static final MethodDescriptor<StringValue, StringValue> UNARY = method("Unary", MethodType.UNARY);
  static final MethodDescriptor<StringValue, StringValue> SERVER_STREAMING =
      method("ServerStreaming", MethodType.SERVER_STREAMING);
  static final MethodDescriptor<StringValue, StringValue> CLIENT_STREAMING =
      method("ClientStreaming", MethodType.CLIENT_STREAMING);
  static final MethodDescriptor<StringValue, StringValue> BIDI =
      method("Bidi", MethodType.BIDI_STREAMING);
  /** A raw handler that answers unary calls with 0 or 2 responses, to test cardinality. */
  static final MethodDescriptor<StringValue, StringValue> BAD_UNARY =
      method("BadUnary", MethodType.UNARY);

  /** Client-streaming; asks for requests only once {@link #manualRelease} opens. */
  static final MethodDescriptor<StringValue, StringValue> MANUAL =
      method("Manual", MethodType.CLIENT_STREAMING);

  static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.newBuilder(NAME)
      .addMethod(UNARY).addMethod(SERVER_STREAMING).addMethod(CLIENT_STREAMING).addMethod(BIDI)
      .addMethod(BAD_UNARY).addMethod(MANUAL).build();

  static final com.google.rpc.Status RICH = com.google.rpc.Status.newBuilder()
      .setCode(Code.FAILED_PRECONDITION.value())
      .setMessage("rich failure")
      .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("TEST_REASON").setDomain("test").build()))
      .build();

  /** What handlers saw, for assertions. */
  final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  /** Released by tests to let a waiting streaming call finish. */
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch manualRelease = new CountDownLatch(1);
  final List<Context> contexts = new ArrayList<>();

  private static MethodDescriptor<StringValue, StringValue> method(String name, MethodType type) {
    return MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(type)
        .setFullMethodName(NAME + "/" + name)
        .setRequestMarshaller(MARSHALLER)
        .setResponseMarshaller(MARSHALLER)
        .build();
  }

  static StringValue sv(String s) {
    return StringValue.of(s);
  }

  ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(DESCRIPTOR)
        .addMethod(UNARY, ServerCalls.asyncUnaryCall(this::unary))
        .addMethod(SERVER_STREAMING, ServerCalls.asyncServerStreamingCall(this::serverStreaming))
        .addMethod(CLIENT_STREAMING, ServerCalls.asyncClientStreamingCall(this::clientStreaming))
        .addMethod(BIDI, ServerCalls.asyncBidiStreamingCall(this::bidi))
        .addMethod(BAD_UNARY, badUnary())
        .addMethod(MANUAL, manual())
        .build();
  }

  private void unary(StringValue request, StreamObserver<StringValue> out) {
    String r = request.getValue();
    Context ctx = Context.current();
    events.add("deadline:" + (ctx.getDeadline() != null));
    if (r.equals("boom")) {
      throw new IllegalStateException("secret internal detail");
    } else if (r.startsWith("status:")) {
      String[] p = r.split(":", 3);
      out.onError(Status.fromCodeValue(Integer.parseInt(p[1])).withDescription(p[2]).asException());
    } else if (r.equals("details")) {
      out.onError(StatusProto.toStatusException(RICH));
    } else if (r.equals("wait")) {
      CountDownLatch cancelled = new CountDownLatch(1);
      ctx.addListener(c -> cancelled.countDown(), Runnable::run);
      ((ServerCallStreamObserver<StringValue>) out).setOnCancelHandler(
          () -> events.add("onCancel"));
      try {
        if (cancelled.await(10, TimeUnit.SECONDS)) {
          events.add("context-cancelled:" + ctx.cancellationCause().getClass().getSimpleName());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (r.startsWith("compress:")) {
      ((ServerCallStreamObserver<StringValue>) out).setCompression(r.substring(9));
      out.onNext(sv("z".repeat(10_000)));
      out.onCompleted();
    } else {
      out.onNext(sv("echo:" + r));
      out.onCompleted();
    }
  }

  private void serverStreaming(StringValue request, StreamObserver<StringValue> out) {
    String r = request.getValue();
    ServerCallStreamObserver<StringValue> so = (ServerCallStreamObserver<StringValue>) out;
    if (r.equals("hold")) {
      // Sends one, waits for the test (or a cancellation), then sends one more.
      so.setOnCancelHandler(() -> events.add("onCancel"));
      out.onNext(sv("first"));
      new Thread(() -> {
        try {
          boolean released = release.await(10, TimeUnit.SECONDS);
          events.add("released:" + released);
          if (!so.isCancelled()) {
            out.onNext(sv("second"));
            out.onCompleted();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }).start();
      return;
    }
    if (r.equals("ready")) {
      // 200 messages of 16 KiB, sent only while the transport is ready.
      String chunk = "r".repeat(16 * 1024);
      int[] sent = new int[1];
      boolean[] sawNotReady = new boolean[1];
      so.setOnReadyHandler(() -> {
        events.add("onReady");
        while (sent[0] < 200) {
          if (!so.isReady()) {
            if (!sawNotReady[0]) {
              sawNotReady[0] = true;
              events.add("not-ready");
            }
            return;
          }
          out.onNext(sv(chunk));
          sent[0]++;
        }
        if (sent[0] == 200) {
          sent[0]++;
          out.onCompleted();
        }
      });
      return;
    }
    int n = Integer.parseInt(r);
    for (int i = 0; i < n; i++) {
      out.onNext(sv(Integer.toString(i)));
    }
    out.onCompleted();
  }

  private StreamObserver<StringValue> clientStreaming(StreamObserver<StringValue> out) {
    List<String> got = new ArrayList<>();
    return new StreamObserver<>() {
      @Override
      public void onNext(StringValue value) {
        got.add(value.getValue());
      }

      @Override
      public void onError(Throwable t) {
        events.add("client-streaming-error:" + Status.fromThrowable(t).getCode());
      }

      @Override
      public void onCompleted() {
        out.onNext(sv(String.join(",", got)));
        out.onCompleted();
      }
    };
  }

  private StreamObserver<StringValue> bidi(StreamObserver<StringValue> out) {
    return new StreamObserver<>() {
      @Override
      public void onNext(StringValue value) {
        out.onNext(sv("bidi:" + value.getValue()));
      }

      @Override
      public void onError(Throwable t) {
        events.add("bidi-error:" + Status.fromThrowable(t).getCode());
      }

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }

  private ServerCallHandler<StringValue, StringValue> manual() {
    return (call, headers) -> {
      Thread t = new Thread(() -> {
        try {
          if (manualRelease.await(10, TimeUnit.SECONDS)) {
            call.request(Integer.MAX_VALUE);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.setDaemon(true);
      t.start();
      return new ServerCall.Listener<>() {
        private long chars;

        @Override
        public void onMessage(StringValue message) {
          chars += message.getValue().length();
        }

        @Override
        public void onHalfClose() {
          call.sendMessage(sv(Long.toString(chars)));
          call.close(Status.OK, new Metadata());
        }
      };
    };
  }

  private static ServerCallHandler<StringValue, StringValue> badUnary() {
    return (call, headers) -> {
      call.request(1);
      return new ServerCall.Listener<>() {
        private StringValue request;

        @Override
        public void onMessage(StringValue message) {
          request = message;
        }

        @Override
        public void onHalfClose() {
          if (request.getValue().equals("two")) {
            call.sendMessage(sv("1"));
            call.sendMessage(sv("2"));
            call.close(Status.OK, new Metadata());
          } else {
            call.close(Status.OK, new Metadata());
          }
        }
      };
    };
  }

  /** Echoes {@code x-echo-initial*} into response headers and {@code x-echo-trailing*} into trailers. */
  static final ServerInterceptor METADATA_ECHO = new ServerInterceptor() {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
        Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      return next.startCall(new ForwardingServerCall<>(call) {
        @Override
        public void sendHeaders(Metadata responseHeaders) {
          copy(headers, responseHeaders, "x-echo-initial");
          super.sendHeaders(responseHeaders);
        }

        @Override
        public void close(Status status, Metadata trailers) {
          copy(headers, trailers, "x-echo-trailing");
          super.close(status, trailers);
        }
      }, headers);
    }
  };

  private static void copy(Metadata from, Metadata to, String prefix) {
    for (int i = 0; i < from.size(); i++) {
      String name = from.name(i);
      if (name.startsWith(prefix)) {
        Object v = from.rawValue(i);
        if (v instanceof byte[] b) {
          to.putBinary(name, b);
        } else {
          to.putAscii(name, (String) v);
        }
      }
    }
  }
}
