/**
 * The {@code grpc.channelz.v1.Channelz} service over a channelz registry (grpc-go's {@code
 * channelz/service}). Apart from the registry so that the registry, which the client, server and
 * transports fill in, depends on none of them.
 */
@NullMarked
package dev.grpcspring.channelz.service;

import org.jspecify.annotations.NullMarked;
