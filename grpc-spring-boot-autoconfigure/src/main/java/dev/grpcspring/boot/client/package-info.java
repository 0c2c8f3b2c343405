/** Client-side Spring integration: {@code @GrpcClient} injection, global client interceptors, the channel factory and its customizers. */
@NullMarked
package dev.grpcspring.boot.client;

import org.jspecify.annotations.NullMarked;
