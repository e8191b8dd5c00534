package io.connectaws.declarations;

/**
 * Why a document or a declaration was not applied: where, which key (if one), and what to do.
 *
 * @param where the document, or the tenant within it ({@link Origin#toString()})
 * @param connector the connector's name when known, else null
 * @param key the offending key, or null
 * @param message what is wrong and how to fix it
 */
public record Problem(String where, String connector, String key, String message) {

    @Override
    public String toString() {
        return where + (connector == null ? "" : ", connector '" + connector + "'") + (key == null ? "" : ", key '" + key + "'")
                + ": " + message;
    }
}
