package dev.grpcspring.boot.client;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.stub.AbstractStub;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.springframework.util.ReflectionUtils;

/**
 * Makes generated stubs: through the static factory of the generated {@code <Service>Grpc} class
 * that returns the stub's type ({@code newStub}, {@code newBlockingStub}, {@code newFutureStub}), or
 * else through the stub's {@code (Channel, CallOptions)} constructor.
 */
public final class StubFactory {

  private StubFactory() {}

  /** Whether {@code type} is a stub this factory can make. */
  public static boolean isStub(Class<?> type) {
    return AbstractStub.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers());
  }

  /**
   * A stub of {@code type} on {@code channel}.
   *
   * @throws IllegalArgumentException if {@code type} is no generated stub
   */
  public static <T> T newStub(Class<T> type, Channel channel) {
    if (!isStub(type)) {
      throw new IllegalArgumentException(type.getName() + " is not a generated stub; @GrpcClient"
          + " injects stubs (subclasses of AbstractStub) or dev.grpcspring.Channel");
    }
    Class<?> grpc = type.getDeclaringClass();
    if (grpc != null) {
      for (Method m : grpc.getMethods()) {
        if (Modifier.isStatic(m.getModifiers())
            && m.getParameterCount() == 1
            && m.getParameterTypes()[0] == Channel.class
            && type.isAssignableFrom(m.getReturnType())) {
          return type.cast(invoke(m, channel));
        }
      }
    }
    try {
      Constructor<T> constructor = type.getDeclaredConstructor(Channel.class, CallOptions.class);
      ReflectionUtils.makeAccessible(constructor);
      return constructor.newInstance(channel, CallOptions.DEFAULT);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("Cannot make a " + type.getName() + ": its enclosing"
          + " class has no static factory taking a Channel, and it has no (Channel, CallOptions)"
          + " constructor", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("Constructor of " + type.getName() + " failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot make a " + type.getName(), e);
    }
  }

  private static Object invoke(Method m, Channel channel) {
    try {
      return m.invoke(null, channel);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(m + " failed", e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("Cannot call " + m, e);
    }
  }
}
