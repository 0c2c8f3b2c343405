package dev.grpcspring.boot.autoconfigure.health;

import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.health.HealthStatusManager;
import dev.grpcspring.health.v1.HealthCheckResponse.ServingStatus;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Makes the overall gRPC health (the empty service name) follow Spring Boot Actuator's health,
 * or one of its health groups: it reads the health through the {@link HealthEndpoint} when it
 * starts, before the gRPC server does, then every update interval on a daemon thread, and at
 * once after every {@link AvailabilityChangeEvent} (such as readiness turning to
 * ACCEPTING_TRAFFIC when the application is ready), and sets the status on the
 * {@link HealthStatusManager}, which tells Watch subscribers of every change. Other changes of
 * the health are seen at the next read: Actuator health has no change events. UP maps to SERVING,
 * UNKNOWN to UNKNOWN, and every other status (DOWN, OUT_OF_SERVICE, custom ones) to NOT_SERVING.
 *
 * <p>Following the overall health, it leaves out the excluded top-level contributors (by default
 * {@code grpcChannels}, so that an unreachable downstream service does not make this server
 * NOT_SERVING) and aggregates the others with the status aggregator of Actuator's primary group,
 * so the status order is Actuator's. Following a group, the group alone decides.
 */
public class ActuatorGrpcHealthUpdater
    implements SmartLifecycle, ApplicationListener<AvailabilityChangeEvent<?>> {

  private static final Log log = LogFactory.getLog(ActuatorGrpcHealthUpdater.class);

  private final HealthStatusManager manager;
  private final HealthEndpoint endpoint;
  private final HealthEndpointGroups groups;
  private final @Nullable String group;
  private final Set<String> exclude;
  private final Duration interval;
  private @Nullable ScheduledExecutorService scheduler;

  /**
   * @param group the health group to follow, or null for Actuator's overall health
   * @param exclude names of top-level contributors left out of the overall health; not applied
   *     when following a group
   * @param interval time between two reads of the health
   */
  public ActuatorGrpcHealthUpdater(HealthStatusManager manager, HealthEndpoint endpoint,
      HealthEndpointGroups groups, @Nullable String group,
      Collection<String> exclude, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("grpc.server.health.actuator.update-interval must be"
          + " positive, not " + interval);
    }
    this.manager = manager;
    this.endpoint = endpoint;
    this.groups = groups;
    this.group = group == null || group.isBlank() ? null : group;
    this.exclude = Set.copyOf(Objects.requireNonNull(exclude, "grpc.server.health.actuator.exclude"
        + " must not be null; set it empty to leave no contributor out"));
    this.interval = interval;
  }

  /**
   * The gRPC status for an Actuator status.
   */
  public static ServingStatus servingStatus(Status status) {
    if (Status.UP.equals(status)) {
      return ServingStatus.SERVING;
    }
    if (Status.UNKNOWN.equals(status)) {
      return ServingStatus.UNKNOWN;
    }
    return ServingStatus.NOT_SERVING;
  }

  /** Reads the Actuator health once and sets the overall gRPC status from it. */
  public void update() {
    ServingStatus status;
    try {
      if (group == null) {
        status = servingStatus(overallStatus(endpoint.health()));
      } else {
        HealthDescriptor health = endpoint.healthForPath(group);
        status = health == null ? ServingStatus.NOT_SERVING : servingStatus(health.getStatus());
      }
    } catch (RuntimeException e) {
      log.warn("Reading the Actuator health failed; the gRPC health is NOT_SERVING until it"
          + " succeeds", e);
      status = ServingStatus.NOT_SERVING;
    }
    ServingStatus previous = manager.getStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES);
    if (previous != status && !manager.isTerminal()) {
      log.info("gRPC health is now " + status + ", following Actuator health" + (group != null
          ? " group '" + group + "'" : exclude.isEmpty() ? "" : " without " + exclude));
    }
    manager.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
  }

  /**
   * Actuator's overall status without the excluded contributors. {@link HealthEndpoint#health()}
   * always includes the components, and gives a plain UP when no contributor exists.
   */
  private Status overallStatus(HealthDescriptor health) {
    if (exclude.isEmpty() || !(health instanceof CompositeHealthDescriptor composite)) {
      return health.getStatus();
    }
    Map<String, HealthDescriptor> components = composite.getComponents();
    if (components == null) {
      throw new IllegalStateException("Actuator's health came without its components, so"
          + " grpc.server.health.actuator.exclude " + exclude + " cannot be applied; set it"
          + " empty, or follow a health group with grpc.server.health.actuator.group");
    }
    Set<Status> statuses = components.entrySet().stream()
        .filter(e -> !exclude.contains(e.getKey()))
        .map(e -> e.getValue().getStatus())
        .collect(Collectors.toSet());
    if (statuses.isEmpty()) {
      // Actuator's own answer when no contributor is left.
      return Status.UP;
    }
    // The primary group's aggregator is the one Actuator used, with its configured status order.
    StatusAggregator aggregator = groups.getPrimary().getStatusAggregator();
    return aggregator.getAggregateStatus(statuses);
  }

  @Override
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    if (group != null && groups.get(group) == null) {
      throw new IllegalStateException("grpc.server.health.actuator.group is '" + group
          + "' but Actuator has no such health group; define it with"
          + " management.endpoint.health.group." + group + ".include, or pick one of "
          + groups.getNames());
    }
    update();
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "grpc-health-actuator");
      t.setDaemon(true);
      return t;
    });
    long nanos = interval.toNanos();
    s.scheduleWithFixedDelay(this::update, nanos, nanos, TimeUnit.NANOSECONDS);
    scheduler = s;
  }

  /**
   * Reads the health again soon, on the update thread: this event's other listeners (Spring
   * Boot's record of the availability state among them) run first, in the publishing thread.
   */
  @Override
  public synchronized void onApplicationEvent(AvailabilityChangeEvent<?> event) {
    if (scheduler != null) {
      scheduler.schedule(this::update, 10, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }

  /** Starts just before the gRPC server, so that its first answers already follow Actuator. */
  @Override
  public int getPhase() {
    return GrpcServerLifecycle.START_STOP_PHASE - 1;
  }
}
