package dev.grpcspring.channelz;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.ServiceDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.codec.ProtoMarshaller;
import dev.grpcspring.server.ServerServiceDefinition;
import dev.grpcspring.stub.ClientCalls;
import dev.grpcspring.stub.ServerCalls;
import dev.grpcspring.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small service and the known call sequence the channelz tests count: 3 unary successes, 2
 * unary failures, one bidi stream with 2 messages each way that the client cancels, and one bidi
 * call to a method the server does not have (no messages).
 */
public final class ChannelzTestPeer {
  static final String SERVICE = "channelz.test.Echo";
  static final ProtoMarshaller<StringValue> M = ProtoMarshaller.of(StringValue.getDefaultInstance());
  static final MethodDescriptor<StringValue, StringValue> UNARY = method("Unary", MethodType.UNARY);
  static final MethodDescriptor<StringValue, StringValue> BIDI =
      method("Bidi", MethodType.BIDI_STREAMING);
  static final MethodDescriptor<StringValue, StringValue> MISSING =
      method("Missing", MethodType.BIDI_STREAMING);

  private ChannelzTestPeer() {}

  static MethodDescriptor<StringValue, StringValue> method(String name, MethodType type) {
    return MethodDescriptor.<StringValue, StringValue>newBuilder().setType(type)
        .setFullMethodName(SERVICE + "/" + name).setRequestMarshaller(M).setResponseMarshaller(M)
        .build();
  }

  /** Unary echoes, failing INVALID_ARGUMENT for "fail"; bidi echoes each message. */
  public static ServerServiceDefinition service() {
    ServiceDescriptor desc = ServiceDescriptor.newBuilder(SERVICE).addMethod(UNARY).addMethod(BIDI)
        .build();
    return ServerServiceDefinition.builder(desc)
        .addMethod(UNARY, ServerCalls.asyncUnaryCall((StringValue req, StreamObserver<StringValue> out) -> {
          if (req.getValue().equals("fail")) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("asked to fail").asException());
          } else {
            out.onNext(req);
            out.onCompleted();
          }
        }))
        .addMethod(BIDI, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<StringValue>() {
          @Override
          public void onNext(StringValue v) {
            out.onNext(v);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            out.onCompleted();
          }
        }))
        .build();
  }

  /** Runs the known sequence on {@code cc}; returns once every call has closed on the client. */
  public static void runKnownSequence(ClientConn cc) throws Exception {
    for (int i = 0; i < 3; i++) {
      ClientCalls.blockingUnaryCall(cc, UNARY, CallOptions.DEFAULT, StringValue.of("ok" + i));
    }
    for (int i = 0; i < 2; i++) {
      try {
        ClientCalls.blockingUnaryCall(cc, UNARY, CallOptions.DEFAULT, StringValue.of("fail"));
        throw new AssertionError("the call should have failed");
      } catch (StatusException expected) {
        if (expected.getStatus().getCode() != dev.grpcspring.Code.INVALID_ARGUMENT) {
          throw expected;
        }
      }
    }
    // A bidi stream: 2 messages each way, then the client cancels.
    Recorder bidi = new Recorder();
    ClientCall<StringValue, StringValue> call = cc.newCall(BIDI, CallOptions.DEFAULT);
    call.start(bidi, new Metadata());
    call.request(10);
    call.sendMessage(StringValue.of("a"));
    call.sendMessage(StringValue.of("b"));
    bidi.awaitMessage();
    bidi.awaitMessage();
    call.cancel("test cancels", null);
    bidi.awaitClose(dev.grpcspring.Code.CANCELLED);
    // A method the server does not have, sending nothing.
    Recorder missing = new Recorder();
    ClientCall<StringValue, StringValue> m = cc.newCall(MISSING, CallOptions.DEFAULT);
    m.start(missing, new Metadata());
    m.request(1);
    m.halfClose();
    missing.awaitClose(dev.grpcspring.Code.UNIMPLEMENTED);
  }

  private static final class Recorder extends ClientCall.Listener<StringValue> {
    final BlockingQueue<StringValue> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Status> closes = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(StringValue message) {
      messages.add(message);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      closes.add(status);
    }

    void awaitMessage() throws InterruptedException {
      if (messages.poll(5, TimeUnit.SECONDS) == null) {
        throw new AssertionError("no message within 5 s");
      }
    }

    void awaitClose(dev.grpcspring.Code code) throws InterruptedException {
      Status s = closes.poll(5, TimeUnit.SECONDS);
      if (s == null || s.getCode() != code) {
        throw new AssertionError("expected the call to close with " + code + ", got " + s);
      }
    }
  }
}
