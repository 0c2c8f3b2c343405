package dev.grpcspring;

/** The four shapes of a gRPC method. */
public enum MethodType {
  /** One request, one response. */
  UNARY(true, true),
  /** Many requests, one response. */
  CLIENT_STREAMING(false, true),
  /** One request, many responses. */
  SERVER_STREAMING(true, false),
  /** Many requests, many responses, in any interleaving. */
  BIDI_STREAMING(false, false);

  private final boolean clientSendsOneMessage;
  private final boolean serverSendsOneMessage;

  MethodType(boolean clientSendsOneMessage, boolean serverSendsOneMessage) {
    this.clientSendsOneMessage = clientSendsOneMessage;
    this.serverSendsOneMessage = serverSendsOneMessage;
  }

  /** Whether the client sends exactly one request message. */
  public boolean clientSendsOneMessage() {
    return clientSendsOneMessage;
  }

  /** Whether the server sends exactly one response message. */
  public boolean serverSendsOneMessage() {
    return serverSendsOneMessage;
  }
}
