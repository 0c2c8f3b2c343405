package dev.grpcspring.client;

import com.google.protobuf.StringValue;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.codec.ProtoMarshaller;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A grpc-java server (the peer we check ourselves against) with an echo service over {@link
 * StringValue}: all four call kinds, and requests that steer it ("sleep:MS", "fail:CODE:msg",
 * "echo-headers", "big:N", "hang").
 */
final class JavaPeer implements AutoCloseable {
  static final String SERVICE = "test.Echo";

  // Our descriptors for the client side.
  static final MethodDescriptor<StringValue, StringValue> UNARY = ours("Unary", MethodType.UNARY);
  static final MethodDescriptor<StringValue, StringValue> SERVER_STREAM =
      ours("ServerStream", MethodType.SERVER_STREAMING);
  static final MethodDescriptor<StringValue, StringValue> CLIENT_STREAM =
      ours("ClientStream", MethodType.CLIENT_STREAMING);
  static final MethodDescriptor<StringValue, StringValue> BIDI = ours("Bidi", MethodType.BIDI_STREAMING);

  /** Request headers the server saw, one entry per call. */
  final BlockingQueue<Metadata> seenHeaders = new LinkedBlockingQueue<>();
  /** Calls whose server-side context was cancelled. */
  final List<String> cancelled = new CopyOnWriteArrayList<>();
  /** Calls whose handler started waiting ("hang" requests). */
  final BlockingQueue<String> hanging = new LinkedBlockingQueue<>();
  Server server;
  final String name;

  /**
   * The request headers of the first call {@code ours} accepts, waiting up to 5 s. Calls another
   * test left behind (one a client failed locally can still reach this server's handler later)
   * are skipped, so a test reads the headers of its own call.
   */
  Metadata awaitHeaders(String what, java.util.function.Predicate<Metadata> ours)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<Metadata> skipped = new java.util.ArrayList<>();
    for (long left; (left = end - System.nanoTime()) > 0; ) {
      Metadata m = seenHeaders.poll(left, TimeUnit.NANOSECONDS);
      if (m != null && ours.test(m)) {
        return m;
      }
      if (m != null) {
        skipped.add(m);
      }
    }
    throw new AssertionError("No call with " + what + " reached " + name + " within 5 s; other calls: "
        + skipped);
  }

  private JavaPeer(String name) {
    this.name = name;
  }

  static JavaPeer start(String name) throws IOException {
    return start(name, 0, null);
  }

  static JavaPeer start(String name, int port, Function<JavaPeer, ServerServiceDefinition> extra)
      throws IOException {
    return start(name, port, extra, b -> {});
  }

  /** A peer whose grpc-java server builder {@code customize} adjusts (keepalive policy, ...). */
  static JavaPeer start(String name, java.util.function.Consumer<NettyServerBuilder> customize)
      throws IOException {
    return start(name, 0, null, customize);
  }

  static JavaPeer start(String name, int port, Function<JavaPeer, ServerServiceDefinition> extra,
      java.util.function.Consumer<NettyServerBuilder> customize) throws IOException {
    JavaPeer[] holder = {new JavaPeer(name)};
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
    customize.accept(b);
    ServerServiceDefinition echo = ServerInterceptors.intercept(echoService(holder, name), new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        holder[0].seenHeaders.add(headers);
        if (headers.get(KEY_ECHO) != null) {
          return next.startCall(new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
              responseHeaders.merge(headers);
              super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
              trailers.put(KEY_TRAILER, "bye");
              trailers.put(KEY_TRAILER_BIN, new byte[] {1, 2, 3, (byte) 0xff});
              super.close(status, trailers);
            }
          }, headers);
        }
        return next.startCall(call, headers);
      }
    });
    b.addService(echo);
    if (extra != null) {
      b.addService(extra.apply(holder[0]));
    }
    holder[0].server = b.build().start();
    return holder[0];
  }

  static final Metadata.Key<String> KEY_ECHO = Metadata.Key.of("x-echo", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> KEY_TRAILER = Metadata.Key.of("x-trailer", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<byte[]> KEY_TRAILER_BIN = Metadata.Key.of("x-trailer-bin", Metadata.BINARY_BYTE_MARSHALLER);

  int port() {
    return server.getPort();
  }

  String target() {
    return "127.0.0.1:" + port();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  static MethodDescriptor<StringValue, StringValue> ours(String method, MethodType type) {
    return MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(type)
        .setFullMethodName(SERVICE + "/" + method)
        .setRequestMarshaller(ProtoMarshaller.of(StringValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoMarshaller.of(StringValue.getDefaultInstance()))
        .build();
  }

  static io.grpc.MethodDescriptor<StringValue, StringValue> theirs(String method,
      io.grpc.MethodDescriptor.MethodType type) {
    return theirsIn(SERVICE, method, type);
  }

  static io.grpc.MethodDescriptor<StringValue, StringValue> theirsIn(String service, String method,
      io.grpc.MethodDescriptor.MethodType type) {
    return io.grpc.MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(type)
        .setFullMethodName(service + "/" + method)
        .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .build();
  }

  static StringValue sv(String s) {
    return StringValue.of(s);
  }

  private static ServerServiceDefinition echoService(JavaPeer[] holder, String name) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(theirs("Unary", io.grpc.MethodDescriptor.MethodType.UNARY),
            ServerCalls.asyncUnaryCall((req, obs) -> handle(holder[0], name, req.getValue(), obs)))
        .addMethod(theirs("ServerStream", io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING),
            ServerCalls.asyncServerStreamingCall((req, obs) -> {
              int n = Integer.parseInt(req.getValue());
              for (int i = 0; i < n; i++) {
                obs.onNext(sv("item-" + i));
              }
              obs.onCompleted();
            }))
        .addMethod(theirs("ClientStream", io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING),
            ServerCalls.asyncClientStreamingCall(obs -> new StreamObserver<StringValue>() {
              final StringBuilder sb = new StringBuilder();

              @Override
              public void onNext(StringValue value) {
                sb.append(value.getValue());
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                obs.onNext(sv(sb.toString()));
                obs.onCompleted();
              }
            }))
        .addMethod(theirs("Bidi", io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING),
            ServerCalls.asyncBidiStreamingCall(obs -> new StreamObserver<StringValue>() {
              @Override
              public void onNext(StringValue value) {
                obs.onNext(sv("echo:" + value.getValue()));
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                obs.onCompleted();
              }
            }))
        .build();
  }

  private static void handle(JavaPeer peer, String name, String req, StreamObserver<StringValue> obs) {
    try {
      if (req.startsWith("sleep:")) {
        Thread.sleep(Long.parseLong(req.substring(6)));
        obs.onNext(sv(name));
        obs.onCompleted();
      } else if (req.startsWith("fail:")) {
        String[] parts = req.split(":", 3);
        Metadata trailers = new Metadata();
        trailers.put(Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER),
            com.google.rpc.Status.newBuilder().setCode(Integer.parseInt(parts[1]))
                .setMessage(parts[2]).build().toByteArray());
        obs.onError(Status.fromCodeValue(Integer.parseInt(parts[1])).withDescription(parts[2])
            .asRuntimeException(trailers));
      } else if (req.startsWith("big:")) {
        obs.onNext(sv("x".repeat(Integer.parseInt(req.substring(4)))));
        obs.onCompleted();
      } else if (req.equals("hang")) {
        Context.current().addListener(c -> peer.cancelled.add(req), Runnable::run);
        peer.hanging.add(req);
      } else {
        obs.onNext(sv(req.isEmpty() ? name : req));
        obs.onCompleted();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      obs.onError(e);
    }
  }

  static Context currentGrpcJavaContext() {
    return Context.current();
  }
}
