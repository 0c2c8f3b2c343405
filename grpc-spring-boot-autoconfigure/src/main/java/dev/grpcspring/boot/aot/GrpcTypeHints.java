package dev.grpcspring.boot.aot;

import com.google.protobuf.Message;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.boot.client.StubFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.Set;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;

/**
 * Hints for generated code: a stub (what {@link StubFactory} calls reflectively) and the
 * {@code <Service>Grpc} class around it, and the protobuf messages its methods carry (protobuf's
 * reflection-based field accessors look up their public getters and builder methods by name).
 */
final class GrpcTypeHints {

  private final RuntimeHints hints;
  private final Set<Class<?>> seen = new HashSet<>();

  GrpcTypeHints(RuntimeHints hints) {
    this.hints = hints;
  }

  /** A stub type: its {@code <Service>Grpc} factories, its constructors and the messages. */
  void stub(Class<?> stubType) {
    if (!StubFactory.isStub(stubType) || !seen.add(stubType)) {
      return;
    }
    hints.reflection().registerType(stubType, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
    Class<?> grpc = stubType.getDeclaringClass();
    if (grpc != null) {
      grpcClass(grpc);
    }
  }

  /** A service implementation: the messages of the generated class it extends. */
  void service(Class<?> serviceType) {
    for (Class<?> c = serviceType; c != null && c != Object.class; c = c.getSuperclass()) {
      Class<?> grpc = c.getDeclaringClass();
      if (grpc != null && hasMethodDescriptors(grpc)) {
        grpcClass(grpc);
        return;
      }
    }
  }

  private void grpcClass(Class<?> grpc) {
    if (!seen.add(grpc)) {
      return;
    }
    hints.reflection().registerType(grpc, MemberCategory.INVOKE_PUBLIC_METHODS);
    for (Method m : grpc.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) && m.getReturnType() == MethodDescriptor.class
          && m.getGenericReturnType() instanceof ParameterizedType p) {
        for (Type argument : p.getActualTypeArguments()) {
          if (argument instanceof Class<?> type) {
            message(type);
          }
        }
      }
    }
  }

  private static boolean hasMethodDescriptors(Class<?> grpc) {
    for (Method m : grpc.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) && m.getReturnType() == MethodDescriptor.class) {
        return true;
      }
    }
    return false;
  }

  /** A message, its builder, and every message reachable from their public getters. */
  private void message(Class<?> type) {
    if (!Message.class.isAssignableFrom(type) || !seen.add(type)) {
      return;
    }
    hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
    for (Class<?> nested : type.getDeclaredClasses()) {
      if (nested.getSimpleName().equals("Builder")) {
        hints.reflection().registerType(nested, MemberCategory.INVOKE_PUBLIC_METHODS);
      }
    }
    for (Method m : type.getMethods()) {
      if (m.getParameterCount() == 0 && m.getDeclaringClass() == type) {
        message(m.getReturnType());
      }
    }
  }
}
