/** Auto-configuration of Spring Security for the gRPC server and channels. */
package dev.grpcspring.boot.autoconfigure.security;
