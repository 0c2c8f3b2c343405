package dev.grpcspring.boot.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Moves every gRPC server and channel of the test's application context onto the in-process
 * transport: the server opens no socket and listens only under a name unique to the context, and
 * every channel, whatever its {@code target}, dials that name. Calls still pass through the same
 * interceptors, marshallers, deadlines, flow control and status handling as over HTTP/2.
 *
 * <p>It sets, for the context it annotates, {@code grpc.server.port=-1}, {@code
 * grpc.server.in-process.name} and {@code grpc.client.in-process.name} to that name, above every
 * other property source. Use it on a {@code @SpringBootTest}; {@link GrpcTest} carries it already
 * (turn it off there with {@code @AutoConfigureInProcessTransport(enabled = false)}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureInProcessTransport {

  /** Whether to move the context onto the in-process transport. */
  boolean enabled() default true;
}
