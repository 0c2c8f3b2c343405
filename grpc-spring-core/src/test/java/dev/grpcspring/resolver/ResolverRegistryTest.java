package dev.grpcspring.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResolverRegistryTest {
  /** Resolves nothing; only its scheme matters here. */
  private static ResolverBuilder builder(String scheme) {
    return new ResolverBuilder() {
      @Override
      public String scheme() {
        return scheme;
      }

      @Override
      public Resolver build(Target target, ResolverClientConn cc, ResolverBuildOptions options) {
        throw new UnsupportedOperationException("not built in this test");
      }
    };
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        // target                                | scheme      | authority    | endpoint
        "dns:///foo.googleapis.com:8080          | dns         | ''           | foo.googleapis.com:8080",
        "dns:///foo.googleapis.com               | dns         | ''           | foo.googleapis.com",
        "dns://8.8.8.8/foo.googleapis.com:8080   | dns         | 8.8.8.8      | foo.googleapis.com:8080",
        "dns:foo.googleapis.com:8080             | dns         | ''           | foo.googleapis.com:8080",
        "DNS:///foo.com                          | dns         | ''           | foo.com",
        "dns:///[2001:db8::1]:443                | dns         | ''           | [2001:db8::1]:443",
        "unix:relative/path.sock                 | unix        | ''           | relative/path.sock",
        "unix:///abs/path.sock                   | unix        | ''           | abs/path.sock",
        "unix:/abs/path.sock                     | unix        | ''           | abs/path.sock",
        "passthrough:///localhost:50051          | passthrough | ''           | localhost:50051",
        "passthrough:///[::1]:50051              | passthrough | ''           | [::1]:50051",
        "passthrough:///a%20b:1                  | passthrough | ''           | a b:1",
        "static://h1:1,h2:2                      | static      | h1:1,h2:2    | ''",
        // Not a URI with a registered scheme: the whole string goes to the default scheme.
        "localhost:50051                         | passthrough | ''           | localhost:50051",
        "127.0.0.1:50051                         | passthrough | ''           | 127.0.0.1:50051",
        "[::1]:50051                             | passthrough | ''           | [::1]:50051",
        "foo.googleapis.com:8080                 | passthrough | ''           | foo.googleapis.com:8080",
        "foo.googleapis.com                      | passthrough | ''           | foo.googleapis.com",
        "unknown:///host:1                       | passthrough | ''           | unknown:///host:1",
        "/tmp/x.sock                             | passthrough | ''           | /tmp/x.sock",
      })
  void parsesTargetsPerGrpcNaming(String target, String scheme, String authority, String endpoint) {
    ResolverRegistry registry = ResolverRegistry.newRegistry();
    for (String s : new String[] {"dns", "unix", "passthrough", "static"}) {
      registry.register(builder(s));
    }
    ResolverRegistry.ParsedTarget parsed = registry.parseTarget(target);
    assertThat(parsed.target().scheme()).isEqualTo(scheme);
    assertThat(parsed.target().authority()).isEqualTo(authority);
    assertThat(parsed.target().endpoint()).isEqualTo(endpoint);
    assertThat(parsed.builder().scheme()).isEqualTo(scheme);
  }

  @Test
  void keepsTheUriSoUnixCanTellRelativeFromAbsolute() {
    assertThat(Target.parse("unix:rel/x").uri().isOpaque()).isTrue();
    assertThat(Target.parse("unix:///abs/x").uri().getPath()).isEqualTo("/abs/x");
    assertThat(Target.parse("passthrough:///[::1]:50051").uri().getPath()).isEqualTo("/[::1]:50051");
  }

  @Test
  void targetParseRejectsStringsWithoutASchemeOrWithBadEscapes() {
    assertThatThrownBy(() -> Target.parse("[::1]:50051")).hasMessageContaining("not a URI");
    assertThatThrownBy(() -> Target.parse("dns:///a%zz")).hasMessageContaining("not a URI");
    assertThatThrownBy(() -> Target.parse("dns:///a%2")).hasMessageContaining("not a URI");
  }

  @Test
  void aBadEscapeFailsEvenUnderTheDefaultScheme() {
    ResolverRegistry registry = ResolverRegistry.newRegistry().register(builder("passthrough"));
    assertThatThrownBy(() -> registry.parseTarget("host%zz:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("percent-escapes");
  }

  @Test
  void defaultSchemeIsConfigurableAndMustBeRegistered() {
    ResolverRegistry registry = ResolverRegistry.newRegistry().register(builder("passthrough"));
    assertThat(registry.getDefaultScheme()).isEqualTo("passthrough");
    registry.setDefaultScheme("dns");
    assertThatThrownBy(() -> registry.parseTarget("localhost:1"))
        .hasMessageContaining("No resolver is registered for the default scheme 'dns'");
    registry.register(builder("dns"));
    assertThat(registry.parseTarget("localhost:1").target().toString()).isEqualTo("dns:///localhost:1");
  }

  @Test
  void childRegistryLayersOverItsParent() {
    ResolverRegistry parent = ResolverRegistry.newRegistry().register(builder("passthrough"));
    ResolverBuilder parentDns = builder("dns");
    parent.register(parentDns);
    ResolverRegistry child = parent.newChild();
    ResolverBuilder childDns = builder("dns");
    ResolverBuilder custom = builder("custom");
    child.register(childDns).register(custom);

    assertThat(child.get("dns")).isSameAs(childDns);
    assertThat(child.get("CUSTOM")).isSameAs(custom);
    assertThat(child.get("passthrough")).isSameAs(parent.get("passthrough"));
    assertThat(parent.get("dns")).isSameAs(parentDns);
    assertThat(parent.get("custom")).isNull();

    assertThat(child.getDefaultScheme()).isEqualTo("passthrough");
    parent.setDefaultScheme("dns");
    assertThat(child.getDefaultScheme()).isEqualTo("dns");
    child.setDefaultScheme("custom");
    assertThat(child.getDefaultScheme()).isEqualTo("custom");
    assertThat(parent.getDefaultScheme()).isEqualTo("dns");

    child.deregister(childDns);
    assertThat(child.get("dns")).isSameAs(parentDns);
  }

  @Test
  void defaultRegistryHasTheBuiltInSchemes() {
    ResolverRegistry registry = ResolverRegistry.getDefaultRegistry();
    assertThat(registry.getDefaultScheme()).isEqualTo("passthrough");
    assertThat(registry.get("passthrough")).isInstanceOf(PassthroughResolverBuilder.class);
    ResolverRegistry.ParsedTarget parsed = registry.parseTarget("localhost:50051");
    assertThat(parsed.target().toString()).isEqualTo("passthrough:///localhost:50051");
    assertThat(parsed.defaultAuthority()).isEqualTo("localhost:50051");
  }
}
