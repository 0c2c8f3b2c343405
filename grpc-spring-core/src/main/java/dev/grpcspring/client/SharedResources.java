package dev.grpcspring.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
        NioIoHandler.newFactory());
  }

  private static final class Executors {
    /**
     * Application callbacks: a bounded number of threads (never unbounded growth under load),
     * with an unbounded queue; idle threads time out.
     */
    static final ThreadPoolExecutor CALLBACKS = newPool("grpc-spring-client-executor",
        Math.max(8, 2 * Runtime.getRuntime().availableProcessors()));
    /** Channel bookkeeping (callback serializers) and blocking name lookups. */
    static final ThreadPoolExecutor OFFLOAD = newPool("grpc-spring-client-offload",
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

  private static ThreadPoolExecutor newPool(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf = r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ThreadPoolExecutor pool = new ThreadPoolExecutor(
        threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), tf);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
