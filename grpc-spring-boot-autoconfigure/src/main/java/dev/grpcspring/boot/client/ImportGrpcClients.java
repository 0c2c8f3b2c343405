package dev.grpcspring.boot.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Registers generated stubs on a named channel as ordinary beans, so that they can be injected by
 * type ({@code @Autowired}, constructor parameters, {@code ObjectProvider}) and replaced in tests
 * with {@code @MockitoBean}. Put it on a {@code @Configuration} or the
 * {@code @SpringBootApplication} class; repeat it for several channels.
 *
 * <pre>{@code
 * @ImportGrpcClients(channel = "greeter", types = GreeterGrpc.GreeterBlockingStub.class)
 * }</pre>
 *
 * <p>Each stub bean is named {@code <channel><StubSimpleName>}, the channel name in lower camel
 * case ({@code user-service} becomes {@code userService}), for example
 * {@code greeterGreeterBlockingStub}: see {@link GrpcStubBeans#beanName}. The stub is made the way
 * {@link GrpcClient} makes it: on the channel configured under {@code grpc.client.channel.<name>},
 * with its default call options and interceptors. The same can be declared in properties, with
 * {@code grpc.client.channel.<name>.stubs}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(ImportGrpcClients.List.class)
@Import(GrpcClientsRegistrar.class)
public @interface ImportGrpcClients {

  /** Name of the channel, the key under {@code grpc.client.channel}. */
  String channel() default "default";

  /**
   * Generated stub classes to register, such as {@code FooGrpc.FooBlockingStub},
   * {@code FooGrpc.FooStub} or {@code FooGrpc.FooFutureStub}.
   */
  Class<?>[] types();

  /** Several {@link ImportGrpcClients} on one class. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @Documented
  @Import(GrpcClientsRegistrar.class)
  @interface List {
    ImportGrpcClients[] value();
  }
}
