package dev.grpcspring.transport;

import dev.grpcspring.codec.CompressorRegistry;

/**
 * What a server connection needs to know ({@link Http2Server}).
 *
 * @param maxInboundMessageSize largest request message, in bytes
 * @param maxHeaderListSize largest request header list (SETTINGS_MAX_HEADER_LIST_SIZE)
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS
 * @param initialWindowSize the stream and connection flow-control window
 * @param bdpPing whether the windows grow to the measured bandwidth-delay product
 *     ({@link BdpPinger})
 * @param handshakeTimeoutNanos how long the client has to send its preface and SETTINGS
 * @param compressors what request encodings are understood and response encodings offered
 * @param policy keepalive, connection idleness and age, and flood limits
 */
public record ServerTransportConfig(int maxInboundMessageSize, int maxHeaderListSize,
    int maxConcurrentStreams, int initialWindowSize, boolean bdpPing, long handshakeTimeoutNanos,
    CompressorRegistry compressors, ServerConnectionPolicy policy) {}
