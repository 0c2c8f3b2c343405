package dev.grpcspring.boot.support;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** Finds the beans carrying an annotation, in {@code @Order} / {@link Ordered} order. */
public final class OrderedAnnotatedBeans {

  private OrderedAnnotatedBeans() {}

  /**
   * The beans annotated with {@code annotation} (on the class or on their {@code @Bean} method),
   * lowest order first; beans of equal order keep their registration order.
   *
   * @throws IllegalStateException if such a bean is not a {@code type}
   */
  public static <T> List<T> find(ListableBeanFactory beanFactory,
      Class<? extends Annotation> annotation, Class<T> type) {
    record Ranked<T>(int order, int index, T bean) {}
    String[] names = beanFactory.getBeanNamesForAnnotation(annotation);
    List<Ranked<T>> ranked = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      Object bean = beanFactory.getBean(names[i]);
      if (!type.isInstance(bean)) {
        throw new IllegalStateException("Bean '" + names[i] + "' is annotated @"
            + annotation.getSimpleName() + " but is a " + bean.getClass().getName() + ", not a "
            + type.getName());
      }
      ranked.add(new Ranked<>(orderOf(beanFactory, names[i], bean), i, type.cast(bean)));
    }
    ranked.sort(Comparator.<Ranked<T>>comparingInt(Ranked::order)
        .thenComparingInt(Ranked::index));
    return ranked.stream().map(Ranked::bean).toList();
  }

  private static int orderOf(ListableBeanFactory beanFactory, String name, Object bean) {
    if (bean instanceof Ordered ordered) {
      return ordered.getOrder();
    }
    // Covers @Order on the class and on the @Bean method that made the bean.
    Order order = beanFactory.findAnnotationOnBean(name, Order.class);
    return order != null ? order.value() : Ordered.LOWEST_PRECEDENCE;
  }
}
