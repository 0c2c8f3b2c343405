/** Client-side Spring integration: {@code @GrpcClient} injection, global client interceptors, the channel factory and its customizers. */
package dev.grpcspring.boot.client;
