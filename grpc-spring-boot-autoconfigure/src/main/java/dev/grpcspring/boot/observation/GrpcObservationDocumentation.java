package dev.grpcspring.boot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The gRPC observations, named and keyed as Micrometer's own gRPC instrumentation names them, so
 * that dashboards built for it keep working: {@code grpc.server} and {@code grpc.client}, with
 * low-cardinality keys {@code rpc.service}, {@code rpc.method}, {@code rpc.type} and {@code
 * grpc.status_code}.
 */
public enum GrpcObservationDocumentation implements ObservationDocumentation {
  /** A call served by this process. */
  SERVER {
    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>>
        getDefaultConvention() {
      return DefaultGrpcServerObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return LowCardinalityKeys.values();
    }

    @Override
    public KeyName[] getHighCardinalityKeyNames() {
      return HighCardinalityKeys.values();
    }
  },

  /** A call this process made. */
  CLIENT {
    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>>
        getDefaultConvention() {
      return DefaultGrpcClientObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return LowCardinalityKeys.values();
    }

    @Override
    public KeyName[] getHighCardinalityKeyNames() {
      return HighCardinalityKeys.values();
    }
  };

  /** Keys with few values, on meters and spans. */
  public enum LowCardinalityKeys implements KeyName {
    /** The service's full name, such as {@code helloworld.Greeter}. */
    SERVICE {
      @Override
      public String asString() {
        return "rpc.service";
      }
    },
    /** The method's name within its service, such as {@code SayHello}. */
    METHOD {
      @Override
      public String asString() {
        return "rpc.method";
      }
    },
    /** UNARY, CLIENT_STREAMING, SERVER_STREAMING or BIDI_STREAMING. */
    METHOD_TYPE {
      @Override
      public String asString() {
        return "rpc.type";
      }
    },
    /** The call's status code name, such as {@code OK} or {@code UNAVAILABLE}. */
    STATUS_CODE {
      @Override
      public String asString() {
        return "grpc.status_code";
      }
    }
  }

  /** Keys with many values, on spans only. */
  public enum HighCardinalityKeys implements KeyName {
    /** The {@code :authority} of the call. */
    AUTHORITY {
      @Override
      public String asString() {
        return "grpc.authority";
      }
    },
    /** Client only: how many attempts the call made (more than 1 with retries or hedging). */
    ATTEMPTS {
      @Override
      public String asString() {
        return "grpc.attempts";
      }
    }
  }
}
