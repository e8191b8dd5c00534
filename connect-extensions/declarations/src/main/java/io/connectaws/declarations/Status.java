package io.connectaws.declarations;

/**
 * The outcome of the last round for one declared (or formerly declared) connector.
 *
 * @param connector the connector's name
 * @param origin where it is declared ({@link Origin#toString()}), or what made it known
 * @param outcome what happened
 * @param detail the actions taken ({@code created}, {@code config updated, resumed}) or why it failed
 */
public record Status(String connector, String origin, Outcome outcome, String detail) {

    /** What one round did for a connector. */
    public enum Outcome {
        /** created, updated or moved to its declared state in this round */
        APPLIED,
        /** already as declared: nothing was sent */
        UNCHANGED,
        /** the declaration was refused (by the expansion or by Connect), the connector is left as it is */
        FAILED,
        /** created from a declaration that is gone, kept because purge is off */
        ORPHANED,
        /** created from a declaration that is gone, deleted because purge is on */
        DELETED
    }
}
