package dev.grpcspring.boot.client;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.type.AnnotationMetadata;

/** Registers the stub beans that {@link ImportGrpcClients} declares. */
class GrpcClientsRegistrar implements ImportBeanDefinitionRegistrar {

  @Override
  public void registerBeanDefinitions(AnnotationMetadata metadata,
      BeanDefinitionRegistry registry) {
    String source = "@ImportGrpcClients on " + metadata.getClassName();
    // Streams both a single annotation and the ones held by the repeatable container.
    metadata.getAnnotations().stream(ImportGrpcClients.class)
        .filter(MergedAnnotation::isDirectlyPresent)
        .forEach(a -> {
          String channel = a.getString("channel");
          for (Class<?> type : a.getClassArray("types")) {
            GrpcStubBeans.register(registry, channel, type, source);
          }
        });
    metadata.getAnnotations().stream(ImportGrpcClients.List.class)
        .filter(MergedAnnotation::isDirectlyPresent)
        .forEach(list -> {
          for (MergedAnnotation<ImportGrpcClients> a
              : list.getAnnotationArray("value", ImportGrpcClients.class)) {
            for (Class<?> type : a.getClassArray("types")) {
              GrpcStubBeans.register(registry, a.getString("channel"), type, source);
            }
          }
        });
  }
}
