package dev.grpcspring.boot.it;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.boot.advice.GrpcAdvice;
import dev.grpcspring.boot.advice.GrpcExceptionHandler;
import dev.grpcspring.boot.client.GrpcGlobalClientInterceptor;
import dev.grpcspring.boot.server.GrpcGlobalServerInterceptor;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.interceptor.ServerInterceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;

/** The application of the end-to-end tests. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({EchoServiceImpl.class, EchoCaller.class})
public class EchoApplication {

  /** Trailer the advice adds to mapped errors. */
  public static final Metadata.Key<String> ERROR_REASON =
      Metadata.Key.of("error-reason", Metadata.ASCII_STRING_MARSHALLER);

  /** Names of the interceptors, in the order they saw calls. */
  public static final List<String> INTERCEPTED = new CopyOnWriteArrayList<>();

  static ServerInterceptor recording(String name) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
          Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        INTERCEPTED.add(name);
        return next.startCall(call, headers);
      }
    };
  }

  @Bean
  @GrpcGlobalServerInterceptor
  @Order(20)
  ServerInterceptor globalSecond() {
    return recording("global-20");
  }

  @Bean
  @GrpcGlobalServerInterceptor
  @Order(10)
  ServerInterceptor globalFirst() {
    return recording("global-10");
  }

  /** Names of the client interceptors, in the order they saw calls. */
  public static final List<String> CLIENT_INTERCEPTED = new CopyOnWriteArrayList<>();

  static ClientInterceptor clientRecording(String name) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        CLIENT_INTERCEPTED.add(name);
        return next.newCall(method, callOptions);
      }
    };
  }

  @Bean
  @GrpcGlobalClientInterceptor
  ClientInterceptor globalClient() {
    return clientRecording("global-client");
  }

  @Bean
  ClientInterceptor perClient() {
    return clientRecording("per-client");
  }

  @Bean
  ServerInterceptor serviceInterceptor() {
    return recording("service");
  }

  /** Maps the service's exception to NOT_FOUND with a trailer (registered as a member class). */
  @GrpcAdvice
  public static class Advice {
    @GrpcExceptionHandler
    StatusException missing(EchoServiceImpl.MissingException e) {
      Metadata trailers = new Metadata();
      trailers.put(ERROR_REASON, "missing-thing");
      return Status.NOT_FOUND.withDescription(e.getMessage()).asException(trailers);
    }
  }
}
