package dev.grpcspring.client;

import dev.grpcspring.internal.ElasticExecutor;
import dev.grpcspring.transport.NativeTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The event loops and executors channels share unless told otherwise. Daemon threads, made on
 * first use and kept for the life of the JVM (as grpc-java's shared resources), so that many
 * channels cost no more threads than one.
 */
final class SharedResources {
  private SharedResources() {}

  private static final class EventLoops {
    static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
        Runtime.getRuntime().availableProcessors(),
        new DefaultThreadFactory("grpc-spring-client-elg", true),
        NativeTransport.ioHandlerFactory());
  }

  private static final class Executors {
    /**
     * Application callbacks: a bounded number of threads (never unbounded growth under load),
     * with an unbounded queue; idle threads time out.
     */
    static final ExecutorService CALLBACKS = newPool("grpc-spring-client-executor",
        Math.max(8, 2 * Runtime.getRuntime().availableProcessors()));
    /** Channel bookkeeping (callback serializers) and blocking name lookups. */
    static final ExecutorService OFFLOAD = newPool("grpc-spring-client-offload",
        Math.max(4, Runtime.getRuntime().availableProcessors()));
  }

  static EventLoopGroup eventLoopGroup() {
    return EventLoops.GROUP;
  }

  static Executor callbackExecutor() {
    return Executors.CALLBACKS;
  }

  static Executor offloadExecutor() {
    return Executors.OFFLOAD;
  }

  private static ExecutorService newPool(String name, int threads) {
    return ElasticExecutor.create(name, threads, 60, TimeUnit.SECONDS);
  }
}
