package dev.grpcspring.boot.it;

import dev.grpcspring.boot.client.GrpcClient;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import org.springframework.stereotype.Component;

/**
 * An application bean calling the application's own server: its stub is injected before the
 * server has bound, so the channel target's port placeholder is resolved at the first call.
 */
@Component
public class EchoCaller {

  private final EchoServiceGrpc.EchoServiceBlockingStub stub;

  public EchoCaller(@GrpcClient("echo") EchoServiceGrpc.EchoServiceBlockingStub stub) {
    this.stub = stub;
  }

  public String echo(String text) {
    return stub.echo(EchoRequest.newBuilder().setText(text).build()).getText();
  }
}
