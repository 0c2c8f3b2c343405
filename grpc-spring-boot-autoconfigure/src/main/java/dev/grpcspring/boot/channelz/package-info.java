/** Channelz for Spring: the registry's counters as Micrometer meters. */
@NullMarked
package dev.grpcspring.boot.channelz;

import org.jspecify.annotations.NullMarked;
