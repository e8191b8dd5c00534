package io.connectaws.declarations;

/**
 * Where a declaration came from, for messages and the status reply: a document (a file path or an SSM parameter name)
 * and, for a connector expanded from a template, the tenant and where that tenant was listed.
 *
 * @param document {@code file:/opt/connect/connectors/orders.yaml} or {@code ssm:/connect/prod/tenants/acme}
 * @param tenant the tenant id, or null for a connector declared directly
 * @param tenantListedIn the document (and line) that lists the tenant, or null
 */
public record Origin(String document, String tenant, String tenantListedIn) {

    /** A connector declared directly in {@code document}. */
    public static Origin of(String document) {
        return new Origin(document, null, null);
    }

    @Override
    public String toString() {
        if (tenant == null) {
            return document;
        }
        return "tenant '" + tenant + "' (" + (tenantListedIn == null ? document : tenantListedIn)
                + (tenantListedIn == null || tenantListedIn.equals(document) ? "" : ", template in " + document) + ")";
    }
}
