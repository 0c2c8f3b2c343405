/** Auto-configuration of gRPC observations (metrics and traces per call). */
package dev.grpcspring.boot.autoconfigure.observation;
