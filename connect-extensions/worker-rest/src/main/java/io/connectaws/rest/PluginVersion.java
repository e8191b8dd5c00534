package io.connectaws.rest;

/** The version a plugin of this project reports to Connect ({@code version()}): its jar's, or "dev" outside a jar. */
public final class PluginVersion {
    private PluginVersion() {
    }

    /** The {@code Implementation-Version} of the jar holding {@code plugin}'s package, or {@code dev}. */
    public static String of(Class<?> plugin) {
        String v = plugin.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
