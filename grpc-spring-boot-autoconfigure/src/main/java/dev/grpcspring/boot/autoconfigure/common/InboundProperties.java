package dev.grpcspring.boot.autoconfigure.common;

import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Limits on what the peer sends: {@code inbound.message.max-size} and {@code
 * inbound.metadata.max-size}, on the server for requests and on a channel for responses.
 */
public class InboundProperties {

  private final Message message = new Message();

  private final Metadata metadata = new Metadata();

  public Message getMessage() {
    return message;
  }

  public Metadata getMetadata() {
    return metadata;
  }

  /** Limits on received messages. */
  public static class Message {

    /**
     * Maximum size of one received message (a request on the server, a response on a channel),
     * after decompression. Larger messages fail the call with RESOURCE_EXHAUSTED.
     */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize maxSize = DataSize.ofMegabytes(4);

    public DataSize getMaxSize() {
      return maxSize;
    }

    public void setMaxSize(DataSize maxSize) {
      this.maxSize = maxSize;
    }
  }

  /** Limits on received metadata. */
  public static class Metadata {

    /**
     * Maximum size of the received headers or trailers of one call (HTTP/2 max header list size):
     * request headers on the server, response headers and trailers on a channel.
     */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize maxSize = DataSize.ofKilobytes(8);

    public DataSize getMaxSize() {
      return maxSize;
    }

    public void setMaxSize(DataSize maxSize) {
      this.maxSize = maxSize;
    }
  }
}
