package dev.grpcspring.boot.test.autoconfigure;

import org.springframework.stereotype.Component;

/** A component that is not part of gRPC: the slice must leave it out. */
@Component
public class UnrelatedComponent {}
