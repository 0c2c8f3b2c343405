/**
 * gRPC server reflection ({@code grpc.reflection.v1} and {@code v1alpha}), served by {@link
 * dev.grpcspring.reflection.ProtoReflectionService} from the schemas generated code attaches to
 * its service descriptors.
 */
package dev.grpcspring.reflection;
