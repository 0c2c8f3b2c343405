package dev.grpcspring.resolver;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Resolver builders by URI scheme (grpc-go's {@code resolver.Register}/{@code Get}), and the parsing
 * of channel targets that picks one.
 *
 * <p>The {@linkplain #getDefaultRegistry() default registry} holds {@code passthrough}, {@code
 * dns}, {@code unix}, {@code unix-abstract}, {@code static} and {@code in-process}, with {@code
 * passthrough} as the default scheme. A channel that has resolvers of its own uses a {@linkplain #newChild() child}:
 * its own builders win, anything else comes from the parent, and its default scheme is the parent's
 * until set. Thread-safe.
 */
public final class ResolverRegistry {
  /** The scheme used when a target names none, or one that is not registered. */
  public static final String DEFAULT_SCHEME = "passthrough";

  private static final ResolverRegistry DEFAULT = createDefault();

  private final @Nullable ResolverRegistry parent;
  private final Map<String, ResolverBuilder> builders = new ConcurrentHashMap<>();
  /** Null in a child until set: it then uses its parent's. */
  private volatile @Nullable String defaultScheme;

  private ResolverRegistry(@Nullable ResolverRegistry parent, @Nullable String defaultScheme) {
    this.parent = parent;
    this.defaultScheme = defaultScheme;
  }

  /** The process-wide registry every channel falls back to. */
  public static ResolverRegistry getDefaultRegistry() {
    return DEFAULT;
  }

  /** An empty registry with no parent and {@code passthrough} as default scheme. */
  public static ResolverRegistry newRegistry() {
    return new ResolverRegistry(null, DEFAULT_SCHEME);
  }

  /** A registry layered over this one: its own builders first, then this one's. */
  public ResolverRegistry newChild() {
    return new ResolverRegistry(this, null);
  }

  /** Registers {@code builder} for its scheme, replacing any builder this registry had for it. */
  public ResolverRegistry register(ResolverBuilder builder) {
    Objects.requireNonNull(builder, "builder");
    builders.put(normalize(builder.scheme()), builder);
    return this;
  }

  /** Removes {@code builder} if it is the one registered here for its scheme. */
  public void deregister(ResolverBuilder builder) {
    builders.remove(normalize(builder.scheme()), builder);
  }

  /** The builder for {@code scheme} (case-insensitive) here or in a parent, or null. */
  public @Nullable ResolverBuilder get(String scheme) {
    String key = normalize(scheme);
    for (ResolverRegistry r = this; r != null; r = r.parent) {
      ResolverBuilder b = r.builders.get(key);
      if (b != null) {
        return b;
      }
    }
    return null;
  }

  /** The scheme for targets with no registered scheme; a child inherits its parent's until set. */
  public String getDefaultScheme() {
    for (ResolverRegistry r = this; r != null; r = r.parent) {
      String s = r.defaultScheme;
      if (s != null) {
        return s;
      }
    }
    return DEFAULT_SCHEME;
  }

  /** Sets the default scheme ({@code passthrough} unless set; grpc-go's NewClient uses dns). */
  public ResolverRegistry setDefaultScheme(String scheme) {
    this.defaultScheme = normalize(scheme);
    return this;
  }

  /**
   * Parses a channel target per gRPC naming and finds its resolver. A target whose scheme is
   * registered is used as it is. Anything else (no scheme, an unregistered scheme, or not a URI at
   * all, like {@code localhost:50051} or {@code [::1]:443}) becomes {@code
   * <defaultScheme>:///<target>}, as grpc-go does.
   *
   * @throws IllegalArgumentException when not even the default form parses, or no resolver is
   *     registered for the default scheme
   */
  public ParsedTarget parseTarget(String target) {
    Objects.requireNonNull(target, "target");
    Target parsed = TargetParser.tryParse(target);
    if (parsed != null) {
      ResolverBuilder builder = get(parsed.scheme());
      if (builder != null) {
        return new ParsedTarget(parsed, builder);
      }
    }
    String scheme = getDefaultScheme();
    ResolverBuilder builder = get(scheme);
    if (builder == null) {
      throw new IllegalArgumentException(
          "No resolver is registered for the default scheme '" + scheme + "' (target '" + target
              + "'); register one or set another default scheme");
    }
    Target fallback = TargetParser.tryParse(scheme + ":///" + target);
    if (fallback == null) {
      throw new IllegalArgumentException(
          "Target '" + target + "' is not a valid URI, not even as '" + scheme + ":///" + target
              + "'; check its percent-escapes");
    }
    return new ParsedTarget(fallback, builder);
  }

  /**
   * A target and the builder that resolves it.
   *
   * @param target the target, canonical (its scheme is registered)
   * @param builder the resolver builder for its scheme
   */
  public record ParsedTarget(Target target, ResolverBuilder builder) {
    public ParsedTarget {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(builder, "builder");
    }

    /** The {@code :authority} this target implies, as its builder says. */
    public String defaultAuthority() {
      return builder.defaultAuthority(target);
    }
  }

  private static String normalize(String scheme) {
    Objects.requireNonNull(scheme, "scheme");
    if (scheme.isEmpty()) {
      throw new IllegalArgumentException("Scheme must not be empty");
    }
    return scheme.toLowerCase(Locale.ROOT);
  }

  private static ResolverRegistry createDefault() {
    ResolverRegistry r = newRegistry();
    r.register(new PassthroughResolverBuilder());
    r.register(new DnsResolverBuilder());
    r.register(new UnixResolverBuilder());
    r.register(UnixResolverBuilder.abstractNamespace());
    r.register(new StaticResolverBuilder());
    r.register(new InProcessResolverBuilder());
    return r;
  }
}
