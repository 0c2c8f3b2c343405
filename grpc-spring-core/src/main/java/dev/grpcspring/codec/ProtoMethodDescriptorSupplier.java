package dev.grpcspring.codec;

import com.google.protobuf.Descriptors;

/** Schema information for a method. */
public interface ProtoMethodDescriptorSupplier extends ProtoServiceDescriptorSupplier {
  /** The protobuf descriptor of the method. */
  Descriptors.MethodDescriptor getMethodDescriptor();
}
