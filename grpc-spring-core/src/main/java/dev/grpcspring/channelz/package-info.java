/**
 * Channelz (gRFC A14): a registry of every channel, subchannel, server and socket with their
 * counters ({@link dev.grpcspring.channelz.Channelz}), and the {@code grpc.channelz.v1.Channelz}
 * service that serves it ({@link dev.grpcspring.channelz.ChannelzService}). This package depends
 * only on the root package; the client, server and transports fill in the counter holders it
 * defines.
 */
package dev.grpcspring.channelz;
