/**
 * Property types that the server ({@code grpc.server.*}) and every channel ({@code
 * grpc.client.channel.<name>.*}) configure alike, so that both sides keep one shape, one default
 * and one description for the same key.
 */
@NullMarked
package dev.grpcspring.boot.autoconfigure.common;

import org.jspecify.annotations.NullMarked;
