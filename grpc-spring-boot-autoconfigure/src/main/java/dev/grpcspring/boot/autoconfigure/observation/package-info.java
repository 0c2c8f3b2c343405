/** Auto-configuration of gRPC observations (metrics and traces per call). */
@NullMarked
package dev.grpcspring.boot.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
