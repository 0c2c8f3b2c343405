package dev.grpcspring.codec;

import com.google.protobuf.Descriptors;

/**
 * Schema information that generated code attaches to service and method descriptors, so that
 * reflection can serve the {@code .proto} files.
 */
public interface ProtoFileDescriptorSupplier {
  /** The file that declares the service. */
  Descriptors.FileDescriptor getFileDescriptor();
}
