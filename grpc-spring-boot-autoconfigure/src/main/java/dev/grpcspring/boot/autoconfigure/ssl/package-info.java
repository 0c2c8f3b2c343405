/** TLS credentials for gRPC servers and channels from Spring Boot SSL bundles. */
@NullMarked
package dev.grpcspring.boot.autoconfigure.ssl;

import org.jspecify.annotations.NullMarked;
