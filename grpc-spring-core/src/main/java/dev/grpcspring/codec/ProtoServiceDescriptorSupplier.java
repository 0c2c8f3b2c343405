package dev.grpcspring.codec;

import com.google.protobuf.Descriptors;

/** Schema information for a service. */
public interface ProtoServiceDescriptorSupplier extends ProtoFileDescriptorSupplier {
  /** The protobuf descriptor of the service. */
  Descriptors.ServiceDescriptor getServiceDescriptor();
}
