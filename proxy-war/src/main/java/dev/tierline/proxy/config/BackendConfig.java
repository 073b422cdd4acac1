package dev.tierline.proxy.config;

/**
 * A backend as a cluster lists it.
 *
 * @param weight its share of requests relative to the cluster's other backends
 * @param state what the operator decided for it, applied at each (re)load
 * @param route the instance's jvmRoute, for session affinity by Tomcat session id
 */
public record BackendConfig(Backend backend, int weight, AdminState state, String route) {

    /** Weight 1, enabled, its id as its route. */
    public static BackendConfig of(Backend backend) {
        return new BackendConfig(backend, 1, AdminState.ENABLED, backend.id());
    }
}
