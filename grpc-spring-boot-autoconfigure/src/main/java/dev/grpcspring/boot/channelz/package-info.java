/** Channelz for Spring: the registry's counters as Micrometer meters. */
package dev.grpcspring.boot.channelz;
