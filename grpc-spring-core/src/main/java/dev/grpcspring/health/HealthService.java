package dev.grpcspring.health;

import dev.grpcspring.Status;
import dev.grpcspring.health.v1.HealthCheckRequest;
import dev.grpcspring.health.v1.HealthCheckResponse;
import dev.grpcspring.health.v1.HealthCheckResponse.ServingStatus;
import dev.grpcspring.health.v1.HealthGrpc;
import dev.grpcspring.health.v1.HealthListRequest;
import dev.grpcspring.health.v1.HealthListResponse;
import dev.grpcspring.stub.ServerCallStreamObserver;
import dev.grpcspring.stub.StreamObserver;
import java.util.Map;

/**
 * The {@code grpc.health.v1.Health} service over a {@link HealthStatusManager}'s statuses: Check
 * answers NOT_FOUND for a service with no status; Watch sends the current status at once and then
 * every change, with {@code SERVICE_UNKNOWN} while a service has no status, and stays open until
 * the client cancels; List answers every status. Get one from
 * {@link HealthStatusManager#getHealthService()}.
 */
public final class HealthService extends HealthGrpc.HealthImplBase {
  private final HealthStatusManager manager;

  HealthService(HealthStatusManager manager) {
    this.manager = manager;
  }

  @Override
  public void check(HealthCheckRequest request,
      StreamObserver<HealthCheckResponse> responseObserver) {
    ServingStatus status = manager.getStatus(request.getService());
    if (status == null) {
      responseObserver.onError(Status.NOT_FOUND
          .withDescription("No health status for service '" + request.getService()
              + "'; the empty name asks about the whole server")
          .asException());
      return;
    }
    responseObserver.onNext(HealthStatusManager.response(status));
    responseObserver.onCompleted();
  }

  @Override
  public void watch(HealthCheckRequest request,
      StreamObserver<HealthCheckResponse> responseObserver) {
    String service = request.getService();
    if (responseObserver instanceof ServerCallStreamObserver<HealthCheckResponse> call) {
      // Set before the watcher is added, so a cancel in between cannot leave it behind.
      call.setOnCancelHandler(() -> manager.removeWatcher(service, responseObserver));
    }
    manager.addWatcher(service, responseObserver);
  }

  @Override
  public void list(HealthListRequest request,
      StreamObserver<HealthListResponse> responseObserver) {
    HealthListResponse.Builder response = HealthListResponse.newBuilder();
    for (Map.Entry<String, ServingStatus> e : manager.getStatuses().entrySet()) {
      response.putStatuses(e.getKey(), HealthStatusManager.response(e.getValue()));
    }
    responseObserver.onNext(response.build());
    responseObserver.onCompleted();
  }
}
