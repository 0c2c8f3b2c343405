package dev.grpcspring.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentEncodingTest {
  @Test
  void leavesPrintableAsciiExceptPercent() {
    assertThat(PercentEncoding.encode("plain text ~!$&'()*+,;=:@[]")).isEqualTo("plain text ~!$&'()*+,;=:@[]");
    assertThat(PercentEncoding.encode("100%")).isEqualTo("100%25");
  }

  @Test
  void escapesControlAndUtf8BytesUppercase() {
    assertThat(PercentEncoding.encode("\t\n\r")).isEqualTo("%09%0A%0D");
    assertThat(PercentEncoding.encode("☺")).isEqualTo("%E2%98%BA");
    assertThat(PercentEncoding.encode("😈")).isEqualTo("%F0%9F%98%88");
    assertThat(PercentEncoding.encode("\u007F")).isEqualTo("%7F");
  }

  @Test
  void roundTripsTheSpecialStatusMessage() {
    String m = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
    assertThat(PercentEncoding.decode(PercentEncoding.encode(m))).isEqualTo(m);
  }

  @Test
  void decodingNeverFailsAndKeepsBadEscapes() {
    assertThat(PercentEncoding.decode("%")).isEqualTo("%");
    assertThat(PercentEncoding.decode("a%4")).isEqualTo("a%4");
    assertThat(PercentEncoding.decode("%zz%41")).isEqualTo("%zzA");
    assertThat(PercentEncoding.decode("%e2%98%ba")).isEqualTo("☺");
    // A lone continuation byte is malformed UTF-8: replaced, not thrown.
    assertThat(PercentEncoding.decode("x%80y")).isEqualTo("x\uFFFDy");
    assertThat(PercentEncoding.decode(null)).isNull();
  }
}
