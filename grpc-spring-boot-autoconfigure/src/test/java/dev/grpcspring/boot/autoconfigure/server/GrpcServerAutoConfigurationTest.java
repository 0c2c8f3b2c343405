package dev.grpcspring.boot.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Metadata;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.server.GrpcServerFactory;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.boot.server.GrpcServerStartedEvent;
import dev.grpcspring.boot.server.GrpcServerStoppedEvent;
import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.boot.server.GrpcServiceDiscoverer;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.interceptor.ServerInterceptor;
import dev.grpcspring.server.ElasticPool;
import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerServiceDefinition;
import dev.grpcspring.stub.StreamObserver;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class GrpcServerAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(GrpcExceptionHandlingAutoConfiguration.class,
          GrpcServerAutoConfiguration.class, GrpcClientAutoConfiguration.class))
      .withPropertyValues("grpc.server.port=0",
          "grpc.client.channel.default.target=localhost:${local.grpc.server.port}");

  /** Tests of the server itself with no services of their own: the property starts it. */
  private final ApplicationContextRunner serverWithoutServices =
      runner.withPropertyValues("grpc.server.enabled=true");

  static class Echo extends EchoServiceGrpc.EchoServiceImplBase {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void echo(EchoRequest request, StreamObserver<EchoResponse> responseObserver) {
      calls.incrementAndGet();
      responseObserver.onNext(EchoResponse.newBuilder().setText(request.getText()).build());
      responseObserver.onCompleted();
    }
  }

  static final List<String> seen = new CopyOnWriteArrayList<>();

  static class TypedInterceptor implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
        Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      seen.add("typed");
      return next.startCall(call, headers);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class BeanMethodService {
    @Bean
    @GrpcService(interceptors = TypedInterceptor.class)
    Echo echo() {
      return new Echo();
    }
  }

  private static String call(GrpcChannelFactory channels, String text) {
    return EchoServiceGrpc.newBlockingStub(channels.getChannel("it", List.of()))
        .echo(EchoRequest.newBuilder().setText(text).build()).getText();
  }

  @Test
  void servesGrpcServiceBeanMethodsAndPublishesThePort() {
    seen.clear();
    runner.withUserConfiguration(BeanMethodService.class).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      GrpcServerLifecycle lifecycle = ctx.getBean(GrpcServerLifecycle.class);
      assertThat(lifecycle.isRunning()).isTrue();
      int port = lifecycle.getServer().getPort();
      assertThat(ctx.getEnvironment().getProperty("local.grpc.server.port", Integer.class))
          .isEqualTo(port);
      assertThat(call(ctx.getBean(GrpcChannelFactory.class), "hi")).isEqualTo("hi");
      // The typed interceptor has no bean, so the annotation made one.
      assertThat(seen).containsExactly("typed");
    });
  }

  @Test
  void bindsEveryServerProperty() {
    serverWithoutServices.withPropertyValues(
            "grpc.server.address=127.0.0.1",
            "grpc.server.max-concurrent-streams=7",
            "grpc.server.connection-setup-timeout=3",
            "grpc.server.flow-control-window=128KB",
            "grpc.server.inbound.message.max-size=2MB",
            "grpc.server.inbound.metadata.max-size=16KB",
            "grpc.server.shutdown.grace-period=2s",
            "grpc.server.executor.threads=3")
        .run(ctx -> {
          GrpcServerProperties p = ctx.getBean(GrpcServerProperties.class);
          assertThat(p.getPort()).isZero();
          assertThat(p.getAddress()).isEqualTo("127.0.0.1");
          assertThat(p.getMaxConcurrentStreams()).isEqualTo(7);
          assertThat(p.getConnectionSetupTimeout()).isEqualTo(Duration.ofSeconds(3));
          assertThat(p.getFlowControlWindow()).isEqualTo(DataSize.ofKilobytes(128));
          assertThat(p.getInbound().getMessage().getMaxSize()).isEqualTo(DataSize.ofMegabytes(2));
          assertThat(p.getInbound().getMetadata().getMaxSize())
              .isEqualTo(DataSize.ofKilobytes(16));
          assertThat(p.getShutdown().getGracePeriod()).isEqualTo(Duration.ofSeconds(2));
          ElasticPool pool = (ElasticPool)
              ctx.getBean(GrpcServerExecutorProvider.class).getExecutor();
          assertThat(pool.maximumPoolSize()).isEqualTo(3);
          Server server = ctx.getBean(GrpcServerLifecycle.class).getServer();
          assertThat(server.getListenAddresses()).singleElement().asString()
              .contains("127.0.0.1");
        });
  }

  @Test
  void defaults() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GrpcServerAutoConfiguration.class))
        .run(ctx -> {
          GrpcServerProperties p = ctx.getBean(GrpcServerProperties.class);
          assertThat(p.getPort()).isEqualTo(9090);
          assertThat(p.getInbound().getMessage().getMaxSize()).isEqualTo(DataSize.ofMegabytes(4));
          assertThat(p.getInbound().getMetadata().getMaxSize()).isEqualTo(DataSize.ofKilobytes(8));
          assertThat(p.getShutdown().getGracePeriod()).isEqualTo(Duration.ofSeconds(30));
          assertThat(p.getExecutor().isDirect()).isFalse();
        });
  }

  @Test
  void directExecutorRunsHandlersOnTheTransport() {
    serverWithoutServices.withPropertyValues("grpc.server.executor.direct=true").run(ctx ->
        assertThat(ctx.getBean(GrpcServerExecutorProvider.class).getExecutor()).isNull());
  }

  static class ThreadNameEcho extends EchoServiceGrpc.EchoServiceImplBase {
    @Override
    public void echo(EchoRequest request, StreamObserver<EchoResponse> responseObserver) {
      responseObserver.onNext(
          EchoResponse.newBuilder().setText(Thread.currentThread().getName()).build());
      responseObserver.onCompleted();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ThreadNameService {
    @Bean
    @GrpcService
    ThreadNameEcho threadNameEcho() {
      return new ThreadNameEcho();
    }
  }

  @Test
  void eventLoopThreadsSetHowManyIoThreadsServeTheConnections() {
    runner.withUserConfiguration(ThreadNameService.class)
        .withPropertyValues("grpc.server.executor.direct=true", "grpc.server.event-loop-threads=3")
        .run(ctx -> {
          int port = ctx.getBean(GrpcServerLifecycle.class).getServer().getPort();
          Set<String> threads = new HashSet<>();
          // Six connections, each answered on its I/O thread (handlers run there when direct).
          for (int i = 0; i < 6; i++) {
            try (ClientConn cc = ClientConn.dial("127.0.0.1:" + port,
                DialOptions.newBuilder().insecure().build())) {
              threads.add(EchoServiceGrpc.newBlockingStub(cc).withDeadlineAfter(10, TimeUnit.SECONDS)
                  .echo(EchoRequest.newBuilder().setText("x").build()).getText());
            }
          }
          assertThat(threads).hasSize(3).allMatch(t -> t.startsWith("grpc-server-worker-"));
        });
    serverWithoutServices.withPropertyValues("grpc.server.event-loop-threads=0").run(ctx ->
        assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("grpc.server.event-loop-threads")
            .hasMessageContaining("Set a positive number of I/O threads"));
  }

  @Test
  void disabledByProperty() {
    runner.withUserConfiguration(BeanMethodService.class)
        .withPropertyValues("grpc.server.enabled=false").run(ctx -> {
      assertThat(ctx).doesNotHaveBean(GrpcServerLifecycle.class);
      assertThat(ctx).doesNotHaveBean(GrpcServerFactory.class);
    });
  }

  @Test
  void backsOffWithoutTheServerRuntime() {
    runner.withClassLoader(new FilteredClassLoader(Server.class))
        .run(ctx -> assertThat(ctx).doesNotHaveBean(GrpcServerLifecycle.class));
  }

  @Test
  void backsOffForUserBeans() {
    GrpcServerExecutorProvider executor = () -> Runnable::run;
    GrpcServerFactory factory = services -> Server.builder().port(0).build();
    serverWithoutServices.withBean(GrpcServerExecutorProvider.class, () -> executor)
        .withBean(GrpcServerFactory.class, () -> factory)
        .run(ctx -> {
          assertThat(ctx).getBean(GrpcServerExecutorProvider.class).isSameAs(executor);
          assertThat(ctx).getBean(GrpcServerFactory.class).isSameAs(factory);
          assertThat(ctx).hasSingleBean(GrpcServiceDiscoverer.class);
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class ProxiedServices {
    static final AtomicInteger advised = new AtomicInteger();

    @Bean
    @GrpcService
    Echo echo() {
      return new Echo();
    }

    /** Proxies the service the way @Transactional would: a CGLIB subclass with advice. */
    @Bean
    static BeanPostProcessor proxier() {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
          if (!(bean instanceof Echo)) {
            return bean;
          }
          ProxyFactory pf = new ProxyFactory(bean);
          pf.setProxyTargetClass(true);
          pf.addAdvice((MethodInterceptor) inv -> {
            advised.incrementAndGet();
            return inv.proceed();
          });
          return pf.getProxy();
        }
      };
    }
  }

  @Test
  void aopProxiedServiceRoutesThroughItsAdvice() {
    ProxiedServices.advised.set(0);
    runner.withUserConfiguration(ProxiedServices.class).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(org.springframework.aop.support.AopUtils.isCglibProxy(ctx.getBean("echo")))
          .isTrue();
      int before = ProxiedServices.advised.get();
      assertThat(call(ctx.getBean(GrpcChannelFactory.class), "proxied")).isEqualTo("proxied");
      assertThat(ProxiedServices.advised.get()).isEqualTo(before + 1);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class InterfaceProxiedService {
    @Bean
    @GrpcService
    Object echo() {
      ProxyFactory pf = new ProxyFactory(new Echo());
      pf.setInterfaces(dev.grpcspring.server.BindableService.class);
      return pf.getProxy();
    }
  }

  @Test
  void interfaceProxiedServiceStillRoutes() {
    runner.withUserConfiguration(InterfaceProxiedService.class).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(call(ctx.getBean(GrpcChannelFactory.class), "jdk")).isEqualTo("jdk");
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class Events {
    static final List<Object> events = new CopyOnWriteArrayList<>();

    @Bean
    ApplicationListener<GrpcServerStartedEvent> started() {
      return events::add;
    }

    @Bean
    ApplicationListener<GrpcServerStoppedEvent> stopped() {
      return events::add;
    }
  }

  @Test
  void publishesStartedAndStoppedEvents() {
    Events.events.clear();
    serverWithoutServices.withUserConfiguration(Events.class)
        .withPropertyValues("grpc.server.shutdown.grace-period=1s")
        .run(ctx -> {
          assertThat(Events.events).singleElement().isInstanceOfSatisfying(
              GrpcServerStartedEvent.class, e -> assertThat(e.getPort()).isPositive());
        });
    assertThat(Events.events).hasSize(2);
    assertThat(Events.events.get(1)).isInstanceOfSatisfying(GrpcServerStoppedEvent.class,
        e -> assertThat(e.isTerminated()).isTrue());
  }

  @Test
  void discovererFindsServicesByTheirDescriptorName() {
    runner.withUserConfiguration(BeanMethodService.class).run(ctx -> {
      List<ServerServiceDefinition> services =
          ctx.getBean(GrpcServiceDiscoverer.class).findServices();
      assertThat(services).singleElement().satisfies(s ->
          assertThat(s.getServiceDescriptor().getName()).isEqualTo(EchoServiceGrpc.SERVICE_NAME));
    });
  }

  @Test
  void invalidServerSettingsFailStartupNamingTheProperty() {
    serverWithoutServices.withPropertyValues("grpc.server.port=70000").run(ctx ->
        assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining("grpc.server.port"));
    serverWithoutServices.withPropertyValues("grpc.server.inbound.message.max-size=0B")
        .run(ctx ->
        assertThat(ctx).hasFailed().getFailure()
            .hasStackTraceContaining("grpc.server.inbound.message.max-size"));
  }
}
