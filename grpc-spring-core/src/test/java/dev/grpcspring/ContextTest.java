package dev.grpcspring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContextTest {
  private static final Context.Key<String> USER = Context.key("user");
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void tearDown() {
    scheduler.shutdownNow();
  }

  @Test
  void valuesAreScopedToAttach() {
    Context ctx = Context.current().withValue(USER, "ann");
    assertThat(USER.get()).isNull();
    ctx.run(() -> assertThat(USER.get()).isEqualTo("ann"));
    assertThat(USER.get()).isNull();
    assertThat(Context.current()).isSameAs(Context.ROOT);
  }

  @Test
  void cancellingParentCancelsChildrenAndFiresListeners() {
    Context.CancellableContext parent = Context.ROOT.withCancellation();
    Context child = parent.withValue(USER, "bob");
    Context.CancellableContext grandchild = child.withCancellation();
    List<String> fired = new CopyOnWriteArrayList<>();
    child.addListener(c -> fired.add("child"), Runnable::run);
    grandchild.addListener(c -> fired.add("grandchild"), Runnable::run);

    RuntimeException why = new RuntimeException("stop");
    assertThat(parent.cancel(why)).isTrue();
    assertThat(parent.cancel(null)).isFalse();

    assertThat(child.isCancelled()).isTrue();
    assertThat(grandchild.isCancelled()).isTrue();
    assertThat(grandchild.cancellationCause()).isSameAs(why);
    assertThat(fired).containsExactlyInAnyOrder("child", "grandchild");
  }

  @Test
  void cancellingChildLeavesParentAlone() {
    Context.CancellableContext parent = Context.ROOT.withCancellation();
    Context.CancellableContext child = parent.withCancellation();
    child.cancel(null);
    assertThat(parent.isCancelled()).isFalse();
  }

  @Test
  void listenerAddedAfterCancellationFiresAtOnce() {
    Context.CancellableContext ctx = Context.ROOT.withCancellation();
    ctx.cancel(null);
    List<Context> seen = new CopyOnWriteArrayList<>();
    ctx.addListener(seen::add, Runnable::run);
    assertThat(seen).containsExactly(ctx);
  }

  @Test
  void deadlineCancelsWithTimeoutAndChildInheritsEarlierDeadline() throws Exception {
    Context.CancellableContext ctx =
        Context.ROOT.withDeadline(Deadline.after(50, TimeUnit.MILLISECONDS), scheduler);
    Context.CancellableContext child =
        ctx.withDeadline(Deadline.after(1, TimeUnit.HOURS), scheduler);
    assertThat(child.getDeadline()).isEqualTo(ctx.getDeadline());

    CountDownLatch cancelled = new CountDownLatch(1);
    child.addListener(c -> cancelled.countDown(), Runnable::run);

    assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ctx.cancellationCause()).isInstanceOf(TimeoutException.class);
    assertThat(child.cancellationCause()).isInstanceOf(TimeoutException.class);
  }

  @Test
  void expiredDeadlineCancelsImmediately() {
    Context.CancellableContext ctx =
        Context.ROOT.withDeadline(Deadline.after(-1, TimeUnit.SECONDS), scheduler);
    assertThat(ctx.isCancelled()).isTrue();
  }

  @Test
  void removedListenerDoesNotFire() {
    Context.CancellableContext ctx = Context.ROOT.withCancellation();
    List<String> fired = new CopyOnWriteArrayList<>();
    Context.CancellationListener l = c -> fired.add("x");
    ctx.addListener(l, Runnable::run);
    ctx.removeListener(l);
    ctx.close();
    assertThat(fired).isEmpty();
  }

  @Test
  void rootIsNeverCancelled() {
    assertThat(Context.ROOT.isCancelled()).isFalse();
    assertThat(Context.ROOT.getDeadline()).isNull();
    assertThat(Context.ROOT.cancellationCause()).isNull();
  }
}
