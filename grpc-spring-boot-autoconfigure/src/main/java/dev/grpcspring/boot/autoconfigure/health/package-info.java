/**
 * Auto-configuration of the gRPC health service from {@code grpc.server.health.*}, following
 * Spring Boot Actuator's health when it is present.
 */
package dev.grpcspring.boot.autoconfigure.health;
