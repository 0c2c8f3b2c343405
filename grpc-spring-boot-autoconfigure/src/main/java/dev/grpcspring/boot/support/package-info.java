/** Helpers shared by the server and client sides of the Spring integration. */
@NullMarked
package dev.grpcspring.boot.support;

import org.jspecify.annotations.NullMarked;
