package dev.grpcspring.boot.server;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Value;

/**
 * Injects the port the gRPC server actually bound, for tests that run it with
 * {@code grpc.server.port=0}. Shorthand for {@code @Value("${local.grpc.server.port}")}.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Value("${local.grpc.server.port}")
public @interface LocalGrpcServerPort {}
