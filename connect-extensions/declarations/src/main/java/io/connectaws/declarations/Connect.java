package io.connectaws.declarations;

import java.util.Map;

/** What the reconciler needs of the Connect cluster: what exists, and the REST calls that change it. */
public interface Connect {

    /** A connector the cluster has: its stored config (references unresolved) and its connector state. */
    record Existing(Map<String, String> config, String state) {
    }

    /** An answer of the REST API: status and Connect's error message (empty on success). */
    record Reply(int status, String message) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /**
     * Whether the REST API the calls below go through serves them yet (Connect installs its REST resources only after
     * the extensions are registered and the herder has started).
     */
    default boolean ready() throws Exception {
        return true;
    }

    /** Every connector of the cluster; throws when the worker cannot tell (not joined, rebalancing). */
    Map<String, Existing> connectors() throws Exception;

    /** {@code POST /connectors} with {@code initial_state}. */
    Reply create(String name, Map<String, String> config, DesiredState initialState) throws Exception;

    /** {@code PUT /connectors/NAME/config}. */
    Reply update(String name, Map<String, String> config) throws Exception;

    /** {@code PUT /connectors/NAME/pause|resume|stop}. */
    Reply changeState(String name, DesiredState state) throws Exception;

    /** {@code DELETE /connectors/NAME}. */
    Reply delete(String name) throws Exception;

    /** {@code PUT /connector-plugins/CLASS/config/validate}: empty when valid, else the errors, one per key. */
    Map<String, String> validate(Map<String, String> config) throws Exception;
}
