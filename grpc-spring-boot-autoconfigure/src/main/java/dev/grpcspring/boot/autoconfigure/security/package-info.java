/** Auto-configuration of Spring Security for the gRPC server and channels. */
@NullMarked
package dev.grpcspring.boot.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
