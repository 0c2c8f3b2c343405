package dev.grpcspring.boot.client;

import java.util.Objects;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * Registers generated stubs as beans, for {@link ImportGrpcClients} and
 * {@code grpc.client.channel.<name>.stubs}. Each stub is a singleton made by
 * {@link GrpcStubBeanFactory#createStub} from bean definitions that carry the stub's type, so that
 * injection by type, {@code @MockitoBean} and AOT processing see it before it exists.
 */
public final class GrpcStubBeans {

  /** Name of the {@link GrpcStubBeanFactory} bean the stub beans are made by. */
  public static final String FACTORY_BEAN_NAME = "grpcStubBeanFactory";

  /** Attribute of a stub bean definition that holds its channel name. */
  static final String CHANNEL_ATTRIBUTE = GrpcStubBeans.class.getName() + ".channel";

  private GrpcStubBeans() {}

  /**
   * Name of the bean of stub {@code type} on {@code channel}: the channel name in lower camel case
   * (characters other than letters and digits dropped, the next one upper-cased), then the stub's
   * simple class name. {@code ("user-service", GreeterGrpc.GreeterBlockingStub.class)} gives
   * {@code userServiceGreeterBlockingStub}.
   */
  public static String beanName(String channel, Class<?> type) {
    StringBuilder name = new StringBuilder();
    boolean upper = false;
    for (char c : channel.toCharArray()) {
      if (Character.isLetterOrDigit(c)) {
        name.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      } else {
        upper = name.length() > 0;
      }
    }
    if (name.length() > 0) {
      name.setCharAt(0, Character.toLowerCase(name.charAt(0)));
    }
    return name + type.getSimpleName();
  }

  /**
   * Registers the bean of stub {@code type} on {@code channel}, unless the same stub on the same
   * channel is registered already.
   *
   * @param source what declared it, for error messages
   * @throws IllegalArgumentException if {@code type} is not a generated stub, the channel name is
   *     empty, or another bean already has the name
   */
  public static void register(BeanDefinitionRegistry registry, String channel, Class<?> type,
      String source) {
    if (channel == null || channel.isBlank()) {
      throw new IllegalArgumentException(source + " declares " + type.getName()
          + " without a channel name; name a channel configured under grpc.client.channel");
    }
    if (!StubFactory.isStub(type)) {
      throw new IllegalArgumentException(source + " declares " + type.getName() + " on channel '"
          + channel + "', which is not a generated stub; list the stub classes nested in a"
          + " generated <Service>Grpc class, such as FooGrpc.FooBlockingStub, FooGrpc.FooStub or"
          + " FooGrpc.FooFutureStub");
    }
    if (!registry.containsBeanDefinition(FACTORY_BEAN_NAME)) {
      RootBeanDefinition factory = new RootBeanDefinition(GrpcStubBeanFactory.class);
      factory.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
      registry.registerBeanDefinition(FACTORY_BEAN_NAME, factory);
    }
    String name = beanName(channel, type);
    if (registry.containsBeanDefinition(name)) {
      BeanDefinition existing = registry.getBeanDefinition(name);
      if (channel.equals(existing.getAttribute(CHANNEL_ATTRIBUTE))
          && existing instanceof RootBeanDefinition root
          && Objects.equals(root.getTargetType(), type)) {
        return;
      }
      Object other = existing.getAttribute(CHANNEL_ATTRIBUTE) != null
          ? "the stub bean of channel '" + existing.getAttribute(CHANNEL_ATTRIBUTE) + "', from "
              + existing.getResourceDescription()
          : Objects.toString(existing.getResourceDescription(), "a bean of another kind");
      throw new IllegalArgumentException(source + " declares stub bean '" + name + "' ("
          + type.getName() + " on channel '" + channel + "'), but that name is taken by " + other
          + "; rename the channel or the other bean");
    }
    RootBeanDefinition stub = new RootBeanDefinition();
    stub.setTargetType(type);
    stub.setFactoryBeanName(FACTORY_BEAN_NAME);
    stub.setFactoryMethodName("createStub");
    ConstructorArgumentValues args = stub.getConstructorArgumentValues();
    args.addIndexedArgumentValue(0, channel);
    args.addIndexedArgumentValue(1, type);
    stub.setAttribute(CHANNEL_ATTRIBUTE, channel);
    stub.setResourceDescription(source);
    registry.registerBeanDefinition(name, stub);
  }
}
