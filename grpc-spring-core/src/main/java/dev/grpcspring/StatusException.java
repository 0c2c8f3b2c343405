package dev.grpcspring;

import org.jspecify.annotations.Nullable;

/**
 * A {@link Status} as an exception, with the trailers that came (or are to go) with it. Unchecked,
 * so that stubs and handlers can throw it freely; the message is the code and description.
 */
public class StatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;
  private final transient @Nullable Metadata trailers;

  public StatusException(Status status) {
    this(status, null);
  }

  public StatusException(Status status, @Nullable Metadata trailers) {
    super(message(status), status.getCause());
    this.status = status;
    this.trailers = trailers;
  }

  private static String message(Status status) {
    return status.getDescription() == null
        ? status.getCode().name()
        : status.getCode() + ": " + status.getDescription();
  }

  public Status getStatus() {
    return status;
  }

  /** The trailers, or {@code null} when there were none. */
  public @Nullable Metadata getTrailers() {
    return trailers;
  }
}
