/**
 * The gRPC runtime: channels, servers, stubs and the extension points (resolvers, balancers,
 * credentials, codecs, interceptors, health, reflection, channelz).
 *
 * <p>Exported packages are the API. The machinery behind them ({@code internal}, the HTTP/2 and
 * in-process transports, and the wire protocol) is not exported, so that it can change without
 * breaking users; the tests in every module that uses this one fail when its code references a
 * package missing from the exports below.
 */
module dev.grpcspring {
  // Types from these appear in the API: ByteBuf in Marshaller, EventLoopGroup and SslContext in
  // the builders and credentials, protobuf messages in the generated services and StatusProto.
  requires transitive io.netty.buffer;
  requires transitive io.netty.common;
  requires transitive io.netty.handler;
  requires transitive io.netty.transport;
  requires transitive com.google.protobuf;
  // No Automatic-Module-Name in its manifest: the name comes from the jar's file name.
  requires transitive proto.google.common.protos;

  // @NullMarked and @Nullable are in the API; annotations are not needed at run time.
  requires static transitive org.jspecify;

  requires io.netty.codec;
  requires io.netty.codec.dns;
  requires io.netty.codec.http2;
  requires io.netty.resolver;
  requires io.netty.resolver.dns;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.unix.common;
  requires tools.jackson.core;
  requires java.logging;
  requires java.management;

  exports dev.grpcspring;
  exports dev.grpcspring.balancer;
  exports dev.grpcspring.channelz;
  exports dev.grpcspring.channelz.service;
  exports dev.grpcspring.channelz.v1;
  exports dev.grpcspring.client;
  exports dev.grpcspring.codec;
  exports dev.grpcspring.credentials;
  exports dev.grpcspring.etcd;
  exports dev.grpcspring.etcd.v3;
  exports dev.grpcspring.health;
  exports dev.grpcspring.health.v1;
  exports dev.grpcspring.inprocess;
  exports dev.grpcspring.interceptor;
  exports dev.grpcspring.proxy;
  exports dev.grpcspring.reflection;
  exports dev.grpcspring.reflection.v1;
  exports dev.grpcspring.reflection.v1alpha;
  exports dev.grpcspring.resolver;
  exports dev.grpcspring.server;
  exports dev.grpcspring.serviceconfig;
  exports dev.grpcspring.stub;
}
