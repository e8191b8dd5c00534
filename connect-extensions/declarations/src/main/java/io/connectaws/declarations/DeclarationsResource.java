package io.connectaws.declarations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /declarations}: the last round's outcome per connector and every problem found, as JSON. Registered as a
 * class, with the report handed over as a property of Jersey's configuration ({@link #REPORT}): a resource registered as
 * an instance makes Jersey warn through {@code java.util.logging} at every start (eclipse-ee4j/jersey#3700).
 */
@Path("/declarations")
public final class DeclarationsResource {
    /** The configuration property under which {@link DeclarationsExtension} hands over the report's supplier. */
    static final String REPORT = DeclarationsResource.class.getName() + ".report";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Supplier<DeclarationLoop.Report> report;

    /** Jersey's constructor: the report's supplier from the configuration. */
    @SuppressWarnings("unchecked")
    public DeclarationsResource(@Context Configuration config) {
        this((Supplier<DeclarationLoop.Report>) config.getProperty(REPORT));
    }

    DeclarationsResource(Supplier<DeclarationLoop.Report> report) {
        this.report = report;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() throws JsonProcessingException {
        CacheControl noCache = new CacheControl();
        noCache.setNoStore(true);
        return Response.ok(JSON.writeValueAsString(body(report.get())), MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(noCache).build();
    }

    static Map<String, Object> body(DeclarationLoop.Report r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("worker", r.worker());
        body.put("role", r.role().toLowerCase(java.util.Locale.ROOT));
        body.put("leader", r.leaderUrl());
        body.put("sources", r.sources());
        body.put("purge", r.purge());
        body.put("round", r.at() == null ? null : r.at().toString());
        body.put("complete", r.complete());
        if (!r.note().isEmpty()) {
            body.put("note", r.note());
        }
        List<Map<String, Object>> connectors = new ArrayList<>();
        for (Status s : r.connectors()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", s.connector());
            c.put("origin", s.origin());
            c.put("outcome", s.outcome() == null ? null : s.outcome().name().toLowerCase(java.util.Locale.ROOT));
            c.put("detail", s.detail());
            connectors.add(c);
        }
        body.put("connectors", connectors);
        List<Map<String, Object>> problems = new ArrayList<>();
        for (Problem p : r.problems()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("where", p.where());
            m.put("connector", p.connector());
            m.put("key", p.key());
            m.put("message", p.message());
            problems.add(m);
        }
        body.put("problems", problems);
        return body;
    }
}
