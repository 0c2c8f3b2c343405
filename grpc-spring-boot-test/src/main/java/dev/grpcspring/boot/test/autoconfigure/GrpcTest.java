package dev.grpcspring.boot.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test slice for gRPC services: loads only the gRPC auto-configuration (server, client channels,
 * exception advice, health and reflection) and, of the application's components, the gRPC ones:
 * {@code @GrpcService} beans (all of them, or only {@link #services()}), {@code @GrpcAdvice}
 * beans, global interceptors and server or channel customizers. Everything runs on the in-process
 * transport ({@link AutoConfigureInProcessTransport}), so no socket is opened; inject stubs with
 * {@code @GrpcClient("any-name")}, whose channel dials the slice's server whatever its target.
 *
 * <p>Other beans the services need are added with {@code @MockitoBean} or {@code @Import}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(GrpcTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(GrpcTypeExcludeFilter.class)
@AutoConfigureInProcessTransport
@ImportAutoConfiguration
public @interface GrpcTest {

  /** Properties in {@code key=value} form added to the environment before the context starts. */
  String[] properties() default {};

  /** Alias for {@link #services()}. */
  @AliasFor("services")
  Class<?>[] value() default {};

  /** The {@code @GrpcService} classes to load; every one the scan finds when empty. */
  @AliasFor("value")
  Class<?>[] services() default {};

  /** Whether the default filters (the gRPC components above) apply. */
  boolean useDefaultFilters() default true;

  /** More components to load than the default filters find. */
  Filter[] includeFilters() default {};

  /** Components to leave out that the default filters would load. */
  Filter[] excludeFilters() default {};

  /** Auto-configuration classes to leave out of the slice. */
  @AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
  Class<?>[] excludeAutoConfiguration() default {};
}
