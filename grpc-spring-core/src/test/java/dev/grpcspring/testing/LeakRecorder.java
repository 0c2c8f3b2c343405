package dev.grpcspring.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every leak report Netty's detector makes, so tests can fail on them instead of leaving a
 * log line nobody reads. Installed once per test JVM by {@link LeakDetectionSessionListener}.
 */
public final class LeakRecorder {
  private static final List<String> REPORTS = new ArrayList<>();
  private static volatile boolean installed;

  private LeakRecorder() {}

  /** Installs the recording factory; must run before Netty's buffer classes initialize. */
  static synchronized void install() {
    if (installed) {
      return;
    }
    if (ResourceLeakDetector.getLevel().ordinal() < ResourceLeakDetector.Level.PARANOID.ordinal()) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    installed = true;
  }

  /**
   * Runs the garbage collector and allocates buffers so that the detector polls for leaked ones,
   * then returns and clears what was reported.
   */
  public static List<String> collect() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      System.runFinalization();
      // Each allocation of a tracked buffer polls the detector's reference queue.
      for (int j = 0; j < 64; j++) {
        ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        a.release();
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
        b.release();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    synchronized (REPORTS) {
      List<String> out = new ArrayList<>(REPORTS);
      REPORTS.clear();
      return out;
    }
  }

  static void record(String report) {
    synchronized (REPORTS) {
      REPORTS.add(report);
    }
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new RecordingDetector<>(resource, samplingInterval);
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
      return new RecordingDetector<>(resource, samplingInterval);
    }
  }

  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    private final String type;

    RecordingDetector(Class<T> resource, int samplingInterval) {
      super(resource, samplingInterval);
      this.type = resource.getSimpleName();
    }

    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      record("LEAK: " + resourceType + " was not released." + records);
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      record("LEAK: " + resourceType + " was not released (untraced).");
      super.reportUntracedLeak(resourceType);
    }

    @Override
    public String toString() {
      return "RecordingDetector{" + type + "}";
    }
  }
}
