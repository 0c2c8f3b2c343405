package dev.grpcspring.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TlsPipelineTest {

  @Test
  void hostAndPortOfAnAuthorityAreTheSniNameAndSessionPort() {
    assertThat(TlsPipeline.hostOf("api.example.com:8443")).isEqualTo("api.example.com");
    assertThat(TlsPipeline.portOf("api.example.com:8443")).isEqualTo(8443);
    assertThat(TlsPipeline.hostOf("api.example.com")).isEqualTo("api.example.com");
    assertThat(TlsPipeline.portOf("api.example.com")).isEqualTo(443);
    assertThat(TlsPipeline.hostOf("[::1]:9090")).isEqualTo("::1");
    assertThat(TlsPipeline.portOf("[::1]:9090")).isEqualTo(9090);
    assertThat(TlsPipeline.hostOf("[::1]")).isEqualTo("::1");
    assertThat(TlsPipeline.portOf("[::1]")).isEqualTo(443);
    assertThat(TlsPipeline.hostOf("::1")).isEqualTo("::1");
    assertThat(TlsPipeline.portOf("::1")).isEqualTo(443);
    assertThat(TlsPipeline.hostOf("user@host:1")).isEqualTo("host");
    assertThat(TlsPipeline.portOf("user@host:1")).isEqualTo(1);
  }
}
