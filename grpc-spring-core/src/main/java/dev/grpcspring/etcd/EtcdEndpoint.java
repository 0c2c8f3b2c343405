package dev.grpcspring.etcd;

import dev.grpcspring.internal.JsonParser;
import dev.grpcspring.internal.JsonWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * One endpoint as grpc-go's etcd naming stores it: the JSON of its {@code Update} type with Go's
 * field names, {@code {"Op":0,"Addr":"10.0.0.7:50051","Metadata":...}}. {@code Op} is written as 0
 * (add) for readers that still look at it and ignored when read (a key's presence is what counts,
 * as in grpc-go's resolver); etcd's own examples leave it out. Like Go's {@code encoding/json},
 * field names are matched case-insensitively.
 *
 * @param addr {@code host:port} to connect to
 * @param metadata any JSON value (maps, lists, strings, numbers, booleans) or null
 */
public record EtcdEndpoint(String addr, @Nullable Object metadata) {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  public EtcdEndpoint {
    Objects.requireNonNull(addr, "addr");
  }

  /**
   * Reads a stored value.
   *
   * @throws IllegalArgumentException when it is not a JSON object with a non-empty string {@code
   *     Addr}, saying what is wrong
   */
  public static EtcdEndpoint parse(String json) {
    if (!(JsonParser.parse(json) instanceof Map<?, ?> object)) {
      throw new IllegalArgumentException("an endpoint must be a JSON object like {\"Addr\":\"host:port\"}");
    }
    Object addr = null;
    Object metadata = null;
    for (Map.Entry<?, ?> e : object.entrySet()) {
      String name = (String) e.getKey();
      if (name.equalsIgnoreCase("Addr")) {
        addr = e.getValue();
      } else if (name.equalsIgnoreCase("Metadata")) {
        metadata = e.getValue();
      }
    }
    if (!(addr instanceof String a) || a.isEmpty()) {
      throw new IllegalArgumentException("the endpoint has no \"Addr\" string");
    }
    return new EtcdEndpoint(a, metadata);
  }

  /**
   * The stored form, as grpc-go's endpoints manager writes it.
   *
   * @throws IllegalArgumentException when the metadata holds something that is not JSON-like
   */
  public String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      g.writeStartObject();
      g.writeName("Op");
      g.writeNumber(0);
      g.writeName("Addr");
      g.writeString(addr);
      g.writeName("Metadata");
      JsonWriter.write(g, metadata);
      g.writeEndObject();
    }
    return out.toString();
  }
}
