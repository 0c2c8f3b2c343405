/** Helpers shared by the server and client sides of the Spring integration. */
package dev.grpcspring.boot.support;
