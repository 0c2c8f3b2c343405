/**
 * Auto-configuration of the gRPC health service from {@code grpc.server.health.*}, following
 * Spring Boot Actuator's health when it is present.
 */
@NullMarked
package dev.grpcspring.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
