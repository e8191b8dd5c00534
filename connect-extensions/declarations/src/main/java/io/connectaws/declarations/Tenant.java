package io.connectaws.declarations;

import java.util.Map;

/**
 * One tenant of a template: its id ({@code {{tenant}}}) and its values ({@code {{host}}}, ...).
 *
 * @param listedIn the document (and CSV line) that lists it
 */
public record Tenant(String id, Map<String, String> values, String listedIn) {
}
