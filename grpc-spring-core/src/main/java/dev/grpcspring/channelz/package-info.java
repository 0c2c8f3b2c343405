/**
 * Channelz (gRFC A14): a registry of every channel, subchannel, server and socket with their
 * counters ({@link dev.grpcspring.channelz.Channelz}), served as {@code grpc.channelz.v1.Channelz}
 * by {@code dev.grpcspring.channelz.service.ChannelzService}. This package depends only on the root
 * package; the client, server and transports fill in the counter holders it defines.
 */
@NullMarked
package dev.grpcspring.channelz;

import org.jspecify.annotations.NullMarked;
