package io.connectaws.declarations;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The connector set all sources declare, after templates are expanded and duplicates refused: the declarations to
 * apply, the problems of those that cannot be, and whether every document could be read (only then may connectors
 * that are no longer declared be purged).
 *
 * @param declarations valid declarations, in the order their documents were read
 * @param problems everything refused, each naming document, tenant and key
 * @param held names of connectors whose declaration exists but was refused: they are kept as they are, never purged
 * @param complete every source and document was read, and every problem names its connector: only then may
 *                 connectors that are no longer declared be purged
 */
public record DesiredSet(List<Declaration> declarations, List<Problem> problems, Set<String> held, boolean complete) {

    /**
     * Expands and checks the documents of every source, in order. A collision (same connector name, or the same
     * {@link Claims claim}) refuses the later declaration, or the one that does not exist in the cluster yet when the
     * other does.
     *
     * @param parsed the parsed documents, in source order
     * @param sourcesComplete false when a source could not be listed (its documents are unknown)
     * @param existing names of connectors the cluster has now
     */
    public static DesiredSet of(List<DocumentParser.Parsed> parsed, boolean sourcesComplete, Set<String> existing) {
        List<Problem> problems = new ArrayList<>();
        Set<String> held = new TreeSet<>();
        boolean complete = sourcesComplete;
        List<Declaration> candidates = new ArrayList<>();
        Map<String, DocumentParser.TemplateWithTenants> templates = new LinkedHashMap<>();
        List<DocumentParser.TemplateWithTenants> all = new ArrayList<>();
        for (DocumentParser.Parsed p : parsed) {
            complete &= !p.unreadable();
            problems.addAll(p.problems());
            candidates.addAll(p.connectors());
            for (DocumentParser.TemplateWithTenants t : p.templates()) {
                String id = t.template().id();
                if (id != null && templates.containsKey(id)) {
                    problems.add(new Problem(t.template().document(), null, "template.id", "template id '" + id
                            + "' is already declared in " + templates.get(id).template().document() + ": give each "
                            + "template its own id"));
                    complete = false;
                    continue;
                }
                DocumentParser.TemplateWithTenants copy = new DocumentParser.TemplateWithTenants(t.template(),
                        new ArrayList<>(t.tenants()));
                if (id != null) {
                    templates.put(id, copy);
                }
                all.add(copy);
            }
        }
        for (DocumentParser.Parsed p : parsed) {
            for (DocumentParser.TenantsFor tf : p.tenantsFor()) {
                DocumentParser.TemplateWithTenants t = templates.get(tf.templateId());
                if (t == null) {
                    problems.add(new Problem(tf.document(), null, "tenantsOf", "no template has id '" + tf.templateId()
                            + "'" + (templates.isEmpty() ? "" : ": known ids are " + new TreeSet<>(templates.keySet()))));
                    complete = false;
                } else {
                    t.tenants().addAll(tf.tenants());
                }
            }
        }
        for (DocumentParser.TemplateWithTenants t : all) {
            Map<String, Tenant> seen = new HashMap<>();
            for (Tenant tenant : t.tenants()) {
                Tenant before = seen.putIfAbsent(tenant.id(), tenant);
                if (before != null) {
                    problems.add(new Problem(tenant.listedIn(), null, "tenant", "tenant '" + tenant.id() + "' is "
                            + "already listed in " + before.listedIn() + " for the same template: list it once"));
                    continue;
                }
                Template.Expansion e = t.template().expand(tenant);
                if (e.declaration() != null) {
                    candidates.add(e.declaration());
                } else {
                    problems.addAll(e.problems());
                    if (e.name() != null) {
                        held.add(e.name());
                    } else {
                        complete = false;
                    }
                }
            }
        }
        List<Declaration> accepted = refuseCollisions(candidates, existing, problems, held);
        // A refused declaration whose connector is known by name is held (kept as it is); one whose name is unknown
        // (a syntax error, a tenant without a valid id, a misspelt key) could be any connector: then nothing is purged.
        for (Problem p : problems) {
            if (p.connector() == null) {
                complete = false;
            } else {
                held.add(p.connector());
            }
        }
        return new DesiredSet(List.copyOf(accepted), List.copyOf(problems), Collections.unmodifiableSet(held), complete);
    }

    private static List<Declaration> refuseCollisions(List<Declaration> candidates, Set<String> existing,
                                                      List<Problem> problems, Set<String> held) {
        // connectors the cluster already runs keep what they claim: order them first
        List<Declaration> ordered = new ArrayList<>();
        candidates.stream().filter(d -> existing.contains(d.name())).forEach(ordered::add);
        candidates.stream().filter(d -> !existing.contains(d.name())).forEach(ordered::add);
        Map<String, Declaration> byName = new LinkedHashMap<>();
        Map<String, Declaration> byClaim = new HashMap<>();
        List<Declaration> accepted = new ArrayList<>();
        for (Declaration d : ordered) {
            Declaration sameName = byName.get(d.name());
            if (sameName != null) {
                problems.add(new Problem(d.origin().toString(), d.name(), "name", "connector name '" + d.name()
                        + "' is already declared by " + sameName.origin() + ": give each connector its own name"));
                continue;
            }
            Map<String, String> config;
            try {
                config = d.appliedConfig();
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(d.origin().toString(), d.name(), "config", e.getMessage()));
                continue;
            }
            Claims.Claim clash = null;
            Declaration other = null;
            for (Claims.Claim c : Claims.of(config)) {
                if (byClaim.containsKey(c.identity())) {
                    clash = c;
                    other = byClaim.get(c.identity());
                    break;
                }
            }
            if (clash != null) {
                problems.add(new Problem(d.origin().toString(), d.name(), clash.key(), "would use " + clash.describe()
                        + ", already used by connector '" + other.name() + "' of " + other.origin() + ": "
                        + Claims.why(clash)));
                held.add(d.name());
                continue;
            }
            byName.put(d.name(), d);
            Claims.of(config).forEach(c -> byClaim.put(c.identity(), d));
            accepted.add(d);
        }
        // keep the documents' order for applying
        List<Declaration> inOrder = new ArrayList<>(candidates);
        inOrder.retainAll(accepted);
        return inOrder;
    }
}
