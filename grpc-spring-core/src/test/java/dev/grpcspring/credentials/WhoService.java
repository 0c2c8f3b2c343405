package dev.grpcspring.credentials;

import com.google.protobuf.StringValue;
import dev.grpcspring.Attributes;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.ServiceDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.codec.ProtoMarshaller;
import dev.grpcspring.server.ServerServiceDefinition;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A unary method that answers with what the handler sees of the connection: "level=...
 * protocol=... client=CN or none auth=token-or-none".
 */
final class WhoService {
  static final MethodDescriptor<StringValue, StringValue> WHO =
      MethodDescriptor.<StringValue, StringValue>newBuilder()
          .setType(MethodType.UNARY)
          .setFullMethodName("test.Tls/Who")
          .setRequestMarshaller(ProtoMarshaller.of(StringValue.getDefaultInstance()))
          .setResponseMarshaller(ProtoMarshaller.of(StringValue.getDefaultInstance()))
          .build();
  static final Metadata.Key<String> AUTH =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private WhoService() {}

  static ServerServiceDefinition definition() {
    ServiceDescriptor descriptor = ServiceDescriptor.newBuilder("test.Tls").addMethod(WHO).build();
    return ServerServiceDefinition.builder(descriptor).addMethod(WHO, handler()).build();
  }

  private static ServerCallHandler<StringValue, StringValue> handler() {
    return (call, headers) -> {
      call.request(1);
      return new ServerCall.Listener<>() {
        @Override
        public void onHalfClose() {
          call.sendHeaders(new Metadata());
          call.sendMessage(StringValue.of(describe(call, headers)));
          call.close(Status.OK, new Metadata());
        }
      };
    };
  }

  static String describe(ServerCall<?, ?> call, Metadata headers) {
    SSLSession session = call.getAttributes().get(Attributes.SSL_SESSION);
    String client = "none";
    if (session != null) {
      try {
        client = ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal()
            .getName();
      } catch (SSLPeerUnverifiedException e) {
        client = "none";
      }
    }
    String auth = headers.get(AUTH);
    return "level=" + call.getSecurityLevel()
        + " protocol=" + (session == null ? "none" : session.getProtocol())
        + " client=" + client
        + " auth=" + (auth == null ? "none" : auth)
        + " remote=" + (call.getAttributes().get(Attributes.REMOTE_ADDRESS) != null);
  }
}
