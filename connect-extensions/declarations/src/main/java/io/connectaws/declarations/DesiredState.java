package io.connectaws.declarations;

import java.util.Locale;

/** The state a declaration asks for; Kafka's {@code initial_state} values, written in any case. */
public enum DesiredState {
    RUNNING, PAUSED, STOPPED;

    /** Parses {@code running}, {@code PAUSED}, ...; null for anything else. */
    static DesiredState parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
