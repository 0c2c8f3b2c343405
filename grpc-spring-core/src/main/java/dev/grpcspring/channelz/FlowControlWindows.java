package dev.grpcspring.channelz;

/**
 * A connection's HTTP/2 connection-level flow-control windows, in bytes.
 *
 * @param local what the peer allows this side to send (channelz's {@code local_flow_control_window})
 * @param remote what this side allows the peer to send ({@code remote_flow_control_window})
 */
public record FlowControlWindows(long local, long remote) {}
