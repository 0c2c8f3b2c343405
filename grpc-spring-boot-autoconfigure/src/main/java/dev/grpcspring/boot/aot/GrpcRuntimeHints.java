package dev.grpcspring.boot.aot;

import dev.grpcspring.boot.autoconfigure.client.ChannelProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * Hints the starter needs whatever the beans: the property types it binds itself, outside
 * {@code @ConfigurationProperties} beans: {@link ChannelProperties}, bound per channel name when a
 * channel is first used. (The stub lists of {@code grpc.client.channel.<name>.stubs} are read at
 * build time and need none.) Registered in
 * {@code META-INF/spring/aot.factories}.
 */
class GrpcRuntimeHints implements RuntimeHintsRegistrar {

  @Override
  public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
    if (ClassUtils.isPresent("dev.grpcspring.client.ClientConn", classLoader)) {
      BindableRuntimeHintsRegistrar.forTypes(ChannelProperties.class)
          .registerHints(hints, classLoader);
    }
  }
}
