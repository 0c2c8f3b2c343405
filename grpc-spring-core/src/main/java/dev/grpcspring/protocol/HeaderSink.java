package dev.grpcspring.protocol;

/**
 * Where {@link MetadataCodec} writes header fields, so that the codec needs no HTTP/2 library type: a
 * transport passes its header block's {@code add} method.
 */
@FunctionalInterface
public interface HeaderSink {
  /** Appends one header field; names are lower-case ASCII, values printable ASCII. */
  void add(CharSequence name, CharSequence value);

  /**
   * How many fields (other than pseudo-headers) are about to be added, at most: a sink that keeps
   * them in an array sizes it once. Only a hint.
   */
  default void expectFields(int count) {}
}
