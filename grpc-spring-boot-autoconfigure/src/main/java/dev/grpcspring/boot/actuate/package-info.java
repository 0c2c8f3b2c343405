/** Actuator support: the {@code grpc} endpoint and health indicators for the server and channels. */
package dev.grpcspring.boot.actuate;
