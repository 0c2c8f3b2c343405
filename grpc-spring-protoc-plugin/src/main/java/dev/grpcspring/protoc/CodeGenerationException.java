package dev.grpcspring.protoc;

/**
 * The input cannot be turned into compiling code; the message says which element and why, and
 * protoc shows it to the user as the plugin's error.
 */
final class CodeGenerationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CodeGenerationException(String message) {
    super(message);
  }
}
