/** TLS credentials for gRPC servers and channels from Spring Boot SSL bundles. */
package dev.grpcspring.boot.autoconfigure.ssl;
