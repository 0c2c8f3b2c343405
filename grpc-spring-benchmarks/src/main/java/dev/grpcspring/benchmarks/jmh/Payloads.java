package dev.grpcspring.benchmarks.jmh;

import com.google.protobuf.ByteString;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.Payload;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleRequest;

/** Requests of the sizes the scenarios use, for the microbenchmarks. */
final class Payloads {
  private Payloads() {}

  /** A SimpleRequest carrying {@code size} payload bytes and asking for as many back. */
  static SimpleRequest request(int size) {
    byte[] body = new byte[size];
    for (int i = 0; i < size; i++) {
      body[i] = (byte) (i * 31);
    }
    return SimpleRequest.newBuilder()
        .setResponseSize(size)
        .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(body)))
        .build();
  }
}
