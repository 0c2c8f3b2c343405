/**
 * Ahead-of-time support: runtime hints for what the starter reaches by reflection (stub factories,
 * {@code @GrpcClient} members, {@code @GrpcService} and {@code @GrpcAdvice} beans, generated
 * messages, the channel properties it binds itself).
 */
@NullMarked
package dev.grpcspring.boot.aot;

import org.jspecify.annotations.NullMarked;
