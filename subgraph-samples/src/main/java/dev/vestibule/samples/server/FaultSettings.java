package dev.vestibule.samples.server;

import java.util.Map;

/**
 * What a subgraph does wrong on purpose. Rates are shares of requests in [0, 1]; one draw per request picks at most
 * one fault, in the order of the fields (hang, disconnect, HTTP 500, invalid JSON, GraphQL errors). Latency applies
 * to every request that is not hung, before its answer.
 */
public record FaultSettings(int latencyMinMs, int latencyMaxMs, double hangRate, double disconnectRate,
                            double http500Rate, double invalidJsonRate, double errorRate) {

    public static final FaultSettings NONE = new FaultSettings(0, 0, 0, 0, 0, 0, 0);

    public FaultSettings {
        if (latencyMinMs < 0 || latencyMaxMs < latencyMinMs) {
            throw new IllegalArgumentException("latency must be N or MIN-MAX milliseconds with 0 <= MIN <= MAX, got "
                    + latencyMinMs + "-" + latencyMaxMs);
        }
        double total = 0;
        for (var rate : Map.of("hangRate", hangRate, "disconnectRate", disconnectRate, "http500Rate", http500Rate,
                "invalidJsonRate", invalidJsonRate, "errorRate", errorRate).entrySet()) {
            if (!(rate.getValue() >= 0 && rate.getValue() <= 1)) {
                throw new IllegalArgumentException(rate.getKey() + " must be between 0 and 1, got " + rate.getValue());
            }
            total += rate.getValue();
        }
        if (total > 1.000_001) {
            throw new IllegalArgumentException("the fault rates add up to " + total + "; together they must be at most 1");
        }
    }

    public FaultSettings withLatency(int minMs, int maxMs) {
        return new FaultSettings(minMs, maxMs, hangRate, disconnectRate, http500Rate, invalidJsonRate, errorRate);
    }

    public FaultSettings withHangRate(double rate) {
        return new FaultSettings(latencyMinMs, latencyMaxMs, rate, disconnectRate, http500Rate, invalidJsonRate, errorRate);
    }

    public FaultSettings withDisconnectRate(double rate) {
        return new FaultSettings(latencyMinMs, latencyMaxMs, hangRate, rate, http500Rate, invalidJsonRate, errorRate);
    }

    public FaultSettings withHttp500Rate(double rate) {
        return new FaultSettings(latencyMinMs, latencyMaxMs, hangRate, disconnectRate, rate, invalidJsonRate, errorRate);
    }

    public FaultSettings withInvalidJsonRate(double rate) {
        return new FaultSettings(latencyMinMs, latencyMaxMs, hangRate, disconnectRate, http500Rate, rate, errorRate);
    }

    public FaultSettings withErrorRate(double rate) {
        return new FaultSettings(latencyMinMs, latencyMaxMs, hangRate, disconnectRate, http500Rate, invalidJsonRate, rate);
    }

    /** The fault one request gets, from a uniform draw in [0, 1). */
    public Fault pick(double draw) {
        double edge = hangRate;
        if (draw < edge) return Fault.HANG;
        if (draw < (edge += disconnectRate)) return Fault.DISCONNECT;
        if (draw < (edge += http500Rate)) return Fault.HTTP_500;
        if (draw < (edge += invalidJsonRate)) return Fault.INVALID_JSON;
        if (draw < edge + errorRate) return Fault.GRAPHQL_ERROR;
        return Fault.NONE;
    }

    public enum Fault { NONE, HANG, DISCONNECT, HTTP_500, INVALID_JSON, GRAPHQL_ERROR }
}
