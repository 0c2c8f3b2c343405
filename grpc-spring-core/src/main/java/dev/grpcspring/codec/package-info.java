/**
 * Message encoding: the {@link dev.grpcspring.codec.Compressor}s named in {@code grpc-encoding}
 * (grpc-go's {@code encoding} package) with their {@link dev.grpcspring.codec.CompressorRegistry},
 * and the protobuf {@link dev.grpcspring.Marshaller} with the descriptor suppliers generated stubs
 * use for reflection.
 */
@NullMarked
package dev.grpcspring.codec;

import org.jspecify.annotations.NullMarked;
