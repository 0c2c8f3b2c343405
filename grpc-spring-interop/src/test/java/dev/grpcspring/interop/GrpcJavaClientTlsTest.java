package dev.grpcspring.interop;

/**
 * Every case of {@link GrpcJavaClientTest} over TLS: our interop server as {@code server
 * --use_tls=true} (grpc's test certificate server1, from grpc-testing) and grpc-java's interop
 * client as {@code --use_tls=true --use_test_ca=true --server_host_override=foo.test.google.fr}.
 */
class GrpcJavaClientTlsTest extends GrpcJavaClientTest {
  @Override
  boolean tls() {
    return true;
  }
}
