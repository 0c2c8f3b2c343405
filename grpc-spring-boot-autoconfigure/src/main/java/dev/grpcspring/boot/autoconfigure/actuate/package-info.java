/** Auto-configuration of the gRPC actuator endpoint and health contributors. */
package dev.grpcspring.boot.autoconfigure.actuate;
