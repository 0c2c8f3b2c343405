package dev.grpcspring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attributes compare their values by equals and their keys by identity. */
class AttributesTest {
  private static final Attributes.Key<String> NAME = Attributes.Key.create("name");
  private static final Attributes.Key<Map<String, String>> META = Attributes.Key.create("meta");

  @Test
  void equalValuesThatAreDistinctObjectsMakeEqualAttributes() {
    Attributes a = Attributes.newBuilder().set(NAME, new String("x")).set(META, Map.of("k", "v")).build();
    Attributes b = Attributes.newBuilder().set(NAME, new String("x"))
        .set(META, new java.util.TreeMap<>(Map.of("k", "v"))).build();
    assertThat(a).isEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
    assertThat(List.of(a)).isEqualTo(List.of(b));
  }

  @Test
  void differentValuesOrKeysMakeDifferentAttributes() {
    Attributes a = Attributes.newBuilder().set(NAME, "x").build();
    assertThat(a).isNotEqualTo(Attributes.newBuilder().set(NAME, "y").build());
    Attributes.Key<String> sameName = Attributes.Key.create("name");
    assertThat(a).isNotEqualTo(Attributes.newBuilder().set(sameName, "x").build());
    assertThat(a).isNotEqualTo(Attributes.EMPTY);
    assertThat(Attributes.newBuilder().build()).isEqualTo(Attributes.EMPTY);
  }
}
