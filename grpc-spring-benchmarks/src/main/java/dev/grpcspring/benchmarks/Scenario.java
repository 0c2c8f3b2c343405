package dev.grpcspring.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The load shapes of PERFORMANCE.md. Every scenario is closed-loop: each of {@code channels x
 * outstanding} workers keeps exactly one call (or one ping-pong message) in flight.
 */
public enum Scenario {
  UNARY_LATENCY("unary-latency", 1, 1, 100, false),
  UNARY_THROUGHPUT("unary-throughput", 4, 100, 100, false),
  STREAMING_THROUGHPUT("streaming-throughput", 4, 100, 100, true),
  LARGE_PAYLOAD("large-payload", 1, 4, 1024 * 1024, false),
  MANY_CONNECTIONS("many-connections", 1000, 1, 100, false);

  private final String id;
  private final int channels;
  private final int outstandingPerChannel;
  private final int payloadBytes;
  private final boolean streaming;

  Scenario(String id, int channels, int outstandingPerChannel, int payloadBytes, boolean streaming) {
    this.id = id;
    this.channels = channels;
    this.outstandingPerChannel = outstandingPerChannel;
    this.payloadBytes = payloadBytes;
    this.streaming = streaming;
  }

  public String id() {
    return id;
  }

  /** Channels (each its own connection). */
  public int channels() {
    return channels;
  }

  /** Calls (or ping-pong streams) kept in flight on each channel. */
  public int outstandingPerChannel() {
    return outstandingPerChannel;
  }

  /** Size of the request payload and of the response payload asked for. */
  public int payloadBytes() {
    return payloadBytes;
  }

  /** Whether each worker ping-pongs on one StreamingCall instead of making unary calls. */
  public boolean streaming() {
    return streaming;
  }

  /** The load this scenario puts on a server. */
  public LoadShape shape() {
    return new LoadShape(id, channels, outstandingPerChannel, payloadBytes, streaming);
  }

  /** Reads a scenario name as PERFORMANCE.md writes it. */
  public static Scenario fromId(String id) {
    for (Scenario s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("Unknown scenario '" + id + "'; known: " + ids());
  }

  /** {@code all} or one scenario name. */
  public static List<Scenario> parseList(String value) {
    List<Scenario> list = new ArrayList<>();
    if (value.equals("all")) {
      list.addAll(List.of(values()));
    } else {
      for (String part : value.split(",")) {
        list.add(fromId(part.trim()));
      }
    }
    return list;
  }

  static String ids() {
    StringBuilder sb = new StringBuilder();
    for (Scenario s : values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(s.id);
    }
    return sb.toString();
  }
}
