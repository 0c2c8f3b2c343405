package dev.grpcspring.reflection;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.grpcspring.codec.ProtoFileDescriptorSupplier;
import dev.grpcspring.server.ServerServiceDefinition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What reflection can tell about a set of services: their names and every file, symbol and
 * extension reachable from the files that declare them. Immutable once built.
 */
final class ReflectionIndex {
  private final List<String> serviceNames;
  private final Map<String, FileDescriptor> filesByName = new HashMap<>();
  private final Map<String, FileDescriptor> filesBySymbol = new HashMap<>();
  /** Message type name, then extension number, to the extension. */
  private final Map<String, Map<Integer, FieldDescriptor>> extensions = new HashMap<>();

  private ReflectionIndex(List<String> serviceNames) {
    this.serviceNames = serviceNames;
  }

  /**
   * Indexes the services whose descriptor carries a {@link ProtoFileDescriptorSupplier} schema (as
   * generated code's does); others are left out, since there is no schema to describe them.
   */
  static ReflectionIndex of(Collection<ServerServiceDefinition> services) {
    TreeSet<String> names = new TreeSet<>();
    List<FileDescriptor> roots = new ArrayList<>();
    for (ServerServiceDefinition service : services) {
      Object schema = service.getServiceDescriptor().getSchemaDescriptor();
      if (schema instanceof ProtoFileDescriptorSupplier supplier) {
        names.add(service.getServiceDescriptor().getName());
        roots.add(supplier.getFileDescriptor());
      }
    }
    ReflectionIndex index = new ReflectionIndex(List.copyOf(names));
    Deque<FileDescriptor> pending = new ArrayDeque<>(roots);
    while (!pending.isEmpty()) {
      FileDescriptor file = pending.pop();
      if (index.filesByName.putIfAbsent(file.getName(), file) == null) {
        index.addSymbols(file);
        pending.addAll(file.getDependencies());
      }
    }
    return index;
  }

  /** The services' full names, sorted. */
  List<String> serviceNames() {
    return serviceNames;
  }

  @Nullable FileDescriptor fileByName(String name) {
    return filesByName.get(name);
  }

  /** The file declaring a fully-qualified symbol; a leading dot is allowed. */
  @Nullable FileDescriptor fileBySymbol(String symbol) {
    return filesBySymbol.get(symbol.startsWith(".") ? symbol.substring(1) : symbol);
  }

  /** Whether {@code name} is a known message type. */
  boolean isMessageType(String name) {
    FileDescriptor file = fileBySymbol(name);
    String plain = name.startsWith(".") ? name.substring(1) : name;
    return file != null && findMessage(file, plain) != null;
  }

  /** The extension of {@code messageType} with {@code number}, or null. */
  @Nullable FieldDescriptor extension(String messageType, int number) {
    Map<Integer, FieldDescriptor> byNumber = extensions.get(strip(messageType));
    return byNumber == null ? null : byNumber.get(number);
  }

  /** The extension numbers of {@code messageType}, ascending. */
  List<Integer> extensionNumbers(String messageType) {
    Map<Integer, FieldDescriptor> byNumber = extensions.get(strip(messageType));
    return byNumber == null ? List.of() : List.copyOf(byNumber.keySet());
  }

  private static String strip(String name) {
    return name.startsWith(".") ? name.substring(1) : name;
  }

  private static @Nullable Descriptor findMessage(FileDescriptor file, String fullName) {
    Deque<Descriptor> pending = new ArrayDeque<>(file.getMessageTypes());
    while (!pending.isEmpty()) {
      Descriptor d = pending.pop();
      if (d.getFullName().equals(fullName)) {
        return d;
      }
      pending.addAll(d.getNestedTypes());
    }
    return null;
  }

  private void addSymbols(FileDescriptor file) {
    for (ServiceDescriptor service : file.getServices()) {
      filesBySymbol.putIfAbsent(service.getFullName(), file);
      for (MethodDescriptor method : service.getMethods()) {
        filesBySymbol.putIfAbsent(method.getFullName(), file);
      }
    }
    for (Descriptor message : file.getMessageTypes()) {
      addMessage(file, message);
    }
    for (EnumDescriptor e : file.getEnumTypes()) {
      filesBySymbol.putIfAbsent(e.getFullName(), file);
    }
    for (FieldDescriptor extension : file.getExtensions()) {
      addExtension(file, extension);
    }
  }

  private void addMessage(FileDescriptor file, Descriptor message) {
    filesBySymbol.putIfAbsent(message.getFullName(), file);
    for (Descriptor nested : message.getNestedTypes()) {
      addMessage(file, nested);
    }
    for (EnumDescriptor e : message.getEnumTypes()) {
      filesBySymbol.putIfAbsent(e.getFullName(), file);
    }
    for (FieldDescriptor extension : message.getExtensions()) {
      addExtension(file, extension);
    }
  }

  private void addExtension(FileDescriptor file, FieldDescriptor extension) {
    filesBySymbol.putIfAbsent(extension.getFullName(), file);
    extensions.computeIfAbsent(extension.getContainingType().getFullName(), t -> new TreeMap<>())
        .putIfAbsent(extension.getNumber(), extension);
  }
}
