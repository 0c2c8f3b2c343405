/** Auto-configuration of the channelz service and meters. */
@NullMarked
package dev.grpcspring.boot.autoconfigure.channelz;

import org.jspecify.annotations.NullMarked;
