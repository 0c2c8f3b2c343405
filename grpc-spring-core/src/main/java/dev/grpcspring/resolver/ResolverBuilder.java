package dev.grpcspring.resolver;

/** Makes resolvers for one URI scheme; registered in a {@link ResolverRegistry}. */
public interface ResolverBuilder {
  /** The scheme this builder handles, lowercase ({@code dns}, {@code unix}, ...). */
  String scheme();

  /**
   * Starts resolving {@code target}, reporting to {@code clientConn}.
   *
   * @throws IllegalArgumentException when the target is malformed for this scheme, naming what is
   *     wrong
   */
  Resolver build(Target target, ResolverClientConn clientConn, ResolverBuildOptions options);

  /**
   * The {@code :authority} a channel to {@code target} uses unless told otherwise (grpc-go's
   * {@code resolver.AuthorityOverrider}). The endpoint by default; {@code unix} says {@code
   * localhost}.
   */
  default String defaultAuthority(Target target) {
    return target.endpoint();
  }
}
