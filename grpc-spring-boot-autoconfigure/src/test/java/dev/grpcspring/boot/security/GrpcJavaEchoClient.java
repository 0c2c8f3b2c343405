package dev.grpcspring.boot.security;

import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** grpc-java calling the test echo service, with an optional authorization header. */
final class GrpcJavaEchoClient {
  static final String SERVICE = "grpcspring.boot.test.EchoService";
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private final Channel channel;

  GrpcJavaEchoClient(Channel channel, String authorization) {
    Metadata headers = new Metadata();
    if (authorization != null) {
      headers.put(AUTHORIZATION, authorization);
    }
    this.channel = ClientInterceptors.intercept(channel,
        MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  static GrpcJavaEchoClient bearer(Channel channel, String token) {
    return new GrpcJavaEchoClient(channel, "Bearer " + token);
  }

  private static MethodDescriptor<byte[], byte[]> method(String name,
      MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type)
        .setFullMethodName(SERVICE + "/" + name)
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
  }

  private static EchoRequest request(String text) {
    return EchoRequest.newBuilder().setText(text).build();
  }

  private static String text(byte[] response) {
    try {
      return EchoResponse.parseFrom(response).getText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String echo(String text) {
    return text(ClientCalls.blockingUnaryCall(channel,
        method("Echo", MethodDescriptor.MethodType.UNARY), CallOptions.DEFAULT
            .withDeadlineAfter(10, TimeUnit.SECONDS), request(text).toByteArray()));
  }

  List<String> expand(String text, int count) {
    List<String> out = new ArrayList<>();
    ClientCalls.blockingServerStreamingCall(channel,
        method("Expand", MethodDescriptor.MethodType.SERVER_STREAMING),
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        EchoRequest.newBuilder().setText(text).setCount(count).build().toByteArray())
        .forEachRemaining(r -> out.add(text(r)));
    return out;
  }

  /** Client streaming: sends {@code texts}, returns the one answer. */
  String collect(String... texts) {
    List<String> out = stream("Collect", MethodDescriptor.MethodType.CLIENT_STREAMING, texts);
    return out.get(0);
  }

  /** Bidi streaming: sends {@code texts}, returns every answer. */
  List<String> chat(String... texts) {
    return stream("Chat", MethodDescriptor.MethodType.BIDI_STREAMING, texts);
  }

  private List<String> stream(String name, MethodDescriptor.MethodType type, String... texts) {
    List<String> out = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(method(name, type),
            CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
        new StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {
            out.add(text(value));
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    for (String t : texts) {
      requests.onNext(request(t).toByteArray());
    }
    requests.onCompleted();
    try {
      done.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException s) {
        throw new StatusRuntimeException(s.getStatus(), s.getTrailers());
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new StatusRuntimeException(Status.DEADLINE_EXCEEDED.withCause(e));
    }
    return out;
  }
}
