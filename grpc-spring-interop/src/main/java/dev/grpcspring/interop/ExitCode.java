package dev.grpcspring.interop;

/** Exit codes of the interop commands. */
final class ExitCode {
  /** A test case failed, or the server could not start. */
  static final int FAILED = 1;
  /** The command line cannot be run: unknown command, flag or case, bad value, or TLS asked for. */
  static final int USAGE = 2;

  private ExitCode() {}
}
