package dev.grpcspring.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EtcdEndpointTest {
  @Test
  void writesWhatGrpcGoWritesAndReadsItBack() {
    EtcdEndpoint e = new EtcdEndpoint("10.0.0.7:50051", Map.of("zone", "a"));
    assertThat(e.toJson()).isEqualTo("{\"Op\":0,\"Addr\":\"10.0.0.7:50051\",\"Metadata\":{\"zone\":\"a\"}}");
    assertThat(EtcdEndpoint.parse(e.toJson())).isEqualTo(e);
    assertThat(new EtcdEndpoint("h:1", null).toJson()).isEqualTo("{\"Op\":0,\"Addr\":\"h:1\",\"Metadata\":null}");
  }

  @Test
  void readsFieldNamesCaseInsensitivelyAsGoDoes() {
    assertThat(EtcdEndpoint.parse("{\"addr\":\"h:1\",\"metadata\":[1,true]}"))
        .isEqualTo(new EtcdEndpoint("h:1", List.of(1L, true)));
  }

  @Test
  void rejectsValuesWithoutAnAddress() {
    assertThatThrownBy(() -> EtcdEndpoint.parse("[1]")).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> EtcdEndpoint.parse("{\"Addr\":\"\"}")).hasMessageContaining("Addr");
    assertThatThrownBy(() -> EtcdEndpoint.parse("{\"Addr\":5}")).hasMessageContaining("Addr");
    assertThatThrownBy(() -> EtcdEndpoint.parse("{")).hasMessageContaining("Malformed JSON");
    assertThatThrownBy(() -> new EtcdEndpoint("h:1", new Object()).toJson())
        .hasMessageContaining("JSON-like values");
  }

  @Test
  void prefixEndIncrementsTheLastByteThatCan() {
    assertThat(EtcdClient.prefixEnd(ByteString.copyFromUtf8("svc/echo/")).toStringUtf8()).isEqualTo("svc/echo0");
    assertThat(EtcdClient.prefixEnd(ByteString.copyFrom(new byte[] {'a', (byte) 0xff})))
        .isEqualTo(ByteString.copyFromUtf8("b"));
    assertThat(EtcdClient.prefixEnd(ByteString.copyFrom(new byte[] {(byte) 0xff})))
        .isEqualTo(ByteString.copyFrom(new byte[] {0}));
  }

  @Test
  void clientRejectsBadEndpoints() {
    assertThatThrownBy(() -> EtcdClient.newBuilder().build()).hasMessageContaining("at least one endpoint");
    assertThatThrownBy(() -> EtcdClient.newBuilder().endpoints("https://h").build())
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> EtcdClient.newBuilder().endpoints("h")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> EtcdClient.newBuilder().credentials("u", null)).hasMessageContaining("both");
  }
}
