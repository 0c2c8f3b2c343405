package dev.grpcspring.reflection;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.grpcspring.Code;
import dev.grpcspring.Status;
import dev.grpcspring.reflection.v1.ErrorResponse;
import dev.grpcspring.reflection.v1.ExtensionNumberResponse;
import dev.grpcspring.reflection.v1.ExtensionRequest;
import dev.grpcspring.reflection.v1.FileDescriptorResponse;
import dev.grpcspring.reflection.v1.ListServiceResponse;
import dev.grpcspring.reflection.v1.ServerReflectionGrpc;
import dev.grpcspring.reflection.v1.ServerReflectionRequest;
import dev.grpcspring.reflection.v1.ServerReflectionResponse;
import dev.grpcspring.reflection.v1.ServiceResponse;
import dev.grpcspring.server.BindableService;
import dev.grpcspring.server.ServerServiceDefinition;
import dev.grpcspring.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Server reflection, {@code grpc.reflection.v1} and the older {@code grpc.reflection.v1alpha}
 * (register both; {@link #bindServices()} gives both): tells clients such as grpcurl which
 * services the server offers and sends the {@code .proto} file descriptors that describe them.
 *
 * <p>It describes every service of the server whose {@code ServiceDescriptor} carries a
 * {@link dev.grpcspring.codec.ProtoFileDescriptorSupplier} schema, as generated code's does; it
 * learns the services from the supplier given to it, read at the first request (and again
 * whenever the supplier returns a different collection), so it can be built before the server:
 * <pre>{@code
 * AtomicReference<Server> server = new AtomicReference<>();
 * ProtoReflectionService reflection = new ProtoReflectionService(() -> server.get().getServices());
 * ServerBuilder builder = Server.builder().port(0).registerService(new GreeterImpl());
 * reflection.bindServices().forEach(builder::registerService);
 * server.set(builder.build().start());
 * }</pre>
 *
 * <p>A file descriptor answer holds the file asked for and every file it depends on,
 * transitively, except dependencies already sent on the same stream. Unknown names get an
 * {@code error_response} with NOT_FOUND; the stream stays open.
 */
public final class ProtoReflectionService {
  private static final Logger log = Logger.getLogger(ProtoReflectionService.class.getName());

  private final Supplier<? extends Collection<ServerServiceDefinition>> services;
  private final Object lock = new Object();
  private @Nullable Collection<ServerServiceDefinition> indexedServices;
  private @Nullable ReflectionIndex index;

  /**
   * @param services the server's services, typically {@code () -> server.getServices()}; it may
   *     return null before the server exists, and reflection then describes nothing
   */
  public ProtoReflectionService(Supplier<? extends Collection<ServerServiceDefinition>> services) {
    this.services = Objects.requireNonNull(services, "services");
  }

  /** {@code grpc.reflection.v1.ServerReflection}. */
  public BindableService v1() {
    return new ServerReflectionGrpc.ServerReflectionImplBase() {
      @Override
      public StreamObserver<ServerReflectionRequest> serverReflectionInfo(
          StreamObserver<ServerReflectionResponse> responseObserver) {
        return new ReflectionStream<>(responseObserver, r -> r, r -> r);
      }
    };
  }

  /** {@code grpc.reflection.v1alpha.ServerReflection}, the deprecated name older clients use. */
  public BindableService v1alpha() {
    return new dev.grpcspring.reflection.v1alpha.ServerReflectionGrpc.ServerReflectionImplBase() {
      @Override
      public StreamObserver<dev.grpcspring.reflection.v1alpha.ServerReflectionRequest>
          serverReflectionInfo(StreamObserver<dev.grpcspring.reflection.v1alpha
              .ServerReflectionResponse> responseObserver) {
        // The two versions are the same on the wire, so each message converts through its bytes.
        return new ReflectionStream<>(responseObserver,
            r -> convert(r.toByteString(), ServerReflectionRequest.parser()::parseFrom),
            r -> convert(r.toByteString(),
                dev.grpcspring.reflection.v1alpha.ServerReflectionResponse.parser()::parseFrom));
      }
    };
  }

  /** Both versions' definitions, to register on a server. */
  public List<ServerServiceDefinition> bindServices() {
    return List.of(v1().bindService(), v1alpha().bindService());
  }

  private ReflectionIndex index() {
    Collection<ServerServiceDefinition> current = services.get();
    synchronized (lock) {
      if (index == null || current != indexedServices) {
        index = ReflectionIndex.of(current == null ? List.of() : current);
        indexedServices = current;
      }
      return index;
    }
  }

  /** The answer to one request; {@code sent} holds the files this stream has already sent. */
  ServerReflectionResponse answer(ServerReflectionRequest request, Set<String> sent) {
    ServerReflectionResponse.Builder response = ServerReflectionResponse.newBuilder()
        .setValidHost(request.getHost())
        .setOriginalRequest(request);
    ReflectionIndex idx = index();
    switch (request.getMessageRequestCase()) {
      case FILE_BY_FILENAME -> {
        FileDescriptor file = idx.fileByName(request.getFileByFilename());
        if (file == null) {
          return error(response, "No file named '" + request.getFileByFilename() + "'");
        }
        response.setFileDescriptorResponse(files(file, sent));
      }
      case FILE_CONTAINING_SYMBOL -> {
        FileDescriptor file = idx.fileBySymbol(request.getFileContainingSymbol());
        if (file == null) {
          return error(response, "No symbol '" + request.getFileContainingSymbol()
              + "'; give a fully-qualified service, method, message, enum or extension name");
        }
        response.setFileDescriptorResponse(files(file, sent));
      }
      case FILE_CONTAINING_EXTENSION -> {
        ExtensionRequest ext = request.getFileContainingExtension();
        FieldDescriptor extension = idx.extension(ext.getContainingType(),
            ext.getExtensionNumber());
        if (extension == null) {
          return error(response, "No extension " + ext.getExtensionNumber() + " of '"
              + ext.getContainingType() + "'");
        }
        response.setFileDescriptorResponse(files(extension.getFile(), sent));
      }
      case ALL_EXTENSION_NUMBERS_OF_TYPE -> {
        String type = request.getAllExtensionNumbersOfType();
        if (!idx.isMessageType(type)) {
          return error(response, "No message type '" + type + "'");
        }
        response.setAllExtensionNumbersResponse(ExtensionNumberResponse.newBuilder()
            .setBaseTypeName(type.startsWith(".") ? type.substring(1) : type)
            .addAllExtensionNumber(idx.extensionNumbers(type)));
      }
      case LIST_SERVICES -> {
        ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
        for (String name : idx.serviceNames()) {
          list.addService(ServiceResponse.newBuilder().setName(name));
        }
        response.setListServicesResponse(list);
      }
      case MESSAGEREQUEST_NOT_SET -> {
        return response.setErrorResponse(ErrorResponse.newBuilder()
            .setErrorCode(Code.INVALID_ARGUMENT.value())
            .setErrorMessage("The request asks nothing: set one of file_by_filename,"
                + " file_containing_symbol, file_containing_extension,"
                + " all_extension_numbers_of_type or list_services"))
            .build();
      }
      default -> throw new AssertionError(request.getMessageRequestCase());
    }
    return response.build();
  }

  /** {@code file} first, then its dependencies (breadth first) that were not sent yet. */
  private static FileDescriptorResponse files(FileDescriptor file, Set<String> sent) {
    FileDescriptorResponse.Builder out = FileDescriptorResponse.newBuilder();
    Set<String> seen = new HashSet<>();
    Deque<FileDescriptor> pending = new ArrayDeque<>();
    pending.add(file);
    seen.add(file.getName());
    while (!pending.isEmpty()) {
      FileDescriptor f = pending.poll();
      // The file asked for is always sent, so that every answer names what it answers.
      if (f == file || !sent.contains(f.getName())) {
        out.addFileDescriptorProto(f.toProto().toByteString());
        sent.add(f.getName());
      }
      for (FileDescriptor dep : f.getDependencies()) {
        if (seen.add(dep.getName())) {
          pending.add(dep);
        }
      }
    }
    return out.build();
  }

  private static ServerReflectionResponse error(ServerReflectionResponse.Builder response,
      String message) {
    return response.setErrorResponse(ErrorResponse.newBuilder()
        .setErrorCode(Code.NOT_FOUND.value())
        .setErrorMessage(message)).build();
  }

  private interface Parser<T> {
    T parse(ByteString bytes) throws InvalidProtocolBufferException;
  }

  private static <T> T convert(ByteString bytes, Parser<T> parser) {
    try {
      return parser.parse(bytes);
    } catch (InvalidProtocolBufferException e) {
      // Both versions have the same fields, so this means a corrupt message.
      throw Status.INTERNAL.withDescription("Reflection message did not convert between"
          + " v1 and v1alpha: " + e.getMessage()).withCause(e).asException();
    }
  }

  /** One reflection stream: answers each request in order and remembers the files sent. */
  private final class ReflectionStream<ReqT, RespT> implements StreamObserver<ReqT> {
    private final StreamObserver<RespT> responses;
    private final Function<ReqT, ServerReflectionRequest> toV1;
    private final Function<ServerReflectionResponse, RespT> fromV1;
    private final Set<String> sent = new HashSet<>();

    ReflectionStream(StreamObserver<RespT> responses,
        Function<ReqT, ServerReflectionRequest> toV1,
        Function<ServerReflectionResponse, RespT> fromV1) {
      this.responses = responses;
      this.toV1 = toV1;
      this.fromV1 = fromV1;
    }

    @Override
    public void onNext(ReqT request) {
      responses.onNext(fromV1.apply(answer(toV1.apply(request), sent)));
    }

    @Override
    public void onError(Throwable t) {
      log.log(Level.FINE, "Reflection stream ended by the client", t);
    }

    @Override
    public void onCompleted() {
      responses.onCompleted();
    }
  }
}
