/** Auto-configuration of the gRPC actuator endpoint and health contributors. */
@NullMarked
package dev.grpcspring.boot.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
