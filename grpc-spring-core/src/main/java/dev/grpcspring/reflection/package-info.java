/**
 * gRPC server reflection ({@code grpc.reflection.v1} and {@code v1alpha}), served by {@link
 * dev.grpcspring.reflection.ProtoReflectionService} from the schemas generated code attaches to
 * its service descriptors.
 */
@NullMarked
package dev.grpcspring.reflection;

import org.jspecify.annotations.NullMarked;
