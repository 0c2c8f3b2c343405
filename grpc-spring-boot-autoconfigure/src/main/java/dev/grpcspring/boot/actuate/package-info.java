/** Actuator support: the {@code grpc} endpoint and health indicators for the server and channels. */
@NullMarked
package dev.grpcspring.boot.actuate;

import org.jspecify.annotations.NullMarked;
